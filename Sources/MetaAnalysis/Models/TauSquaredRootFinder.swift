import MetaNumerics

/// Roots of decreasing estimating equations g(τ²) = 0 on τ² ≥ 0 (Paule–Mandel, PMM, GENQM).
///
/// g(0) ≤ 0 gives τ² = 0 (metafor's convention: the equation is already satisfied at the boundary). Otherwise
/// the root is bracketed by widening [0, start] fourfold until g changes sign, then found by MetaNumerics'
/// `SafeguardedNewton` when g′ is supplied and by `Brent.root` otherwise, to `control.tolerance`.
enum TauSquaredRootFinder {
    static func decreasingRoot(estimator: TauSquaredEstimator, control: SolverControl, start: Double = 1,
                               _ g: (Double) -> (value: Double, derivative: Double?))
        throws(EstimationError) -> (Double, Int)
    {
        let atZero = g(0).value
        guard atZero.isFinite else { throw .nonFiniteValue(estimator: estimator, quantity: "estimating equation", tauSquared: 0) }
        if atZero <= 0 { return (0, 0) }
        var lo = 0.0
        var hi = max(start, 1e-8)
        var expansions = 0
        while true {
            let value = g(hi).value
            guard value.isFinite else { throw .nonFiniteValue(estimator: estimator, quantity: "estimating equation", tauSquared: hi) }
            if value <= 0 { break }
            lo = hi
            hi *= 4
            expansions += 1
            if hi > 1e300 { throw .rootNotBracketed(estimator: estimator, searchLimit: hi) }
        }
        do {
            if g(hi).derivative != nil {
                let root = try SafeguardedNewton.root(
                    lower: lo, upper: hi, start: hi, absoluteTolerance: control.tolerance,
                    relativeTolerance: control.tolerance, maxIterations: control.maxIterations
                ) { x in
                    let (value, derivative) = g(x)
                    return (value, derivative ?? -1)
                }
                return (root.x, expansions + root.iterations)
            }
            let root = try Brent.root(lower: lo, upper: hi, absoluteTolerance: control.tolerance,
                                      relativeTolerance: control.tolerance, maxIterations: control.maxIterations) { g($0).value }
            return (root.x, expansions + root.evaluations)
        } catch let NumericsError.didNotConverge(iterations, lastStep) {
            throw .didNotConverge(estimator: estimator, iterations: iterations, lastStep: lastStep)
        } catch let NumericsError.nonFiniteValue(at: x) {
            throw .nonFiniteValue(estimator: estimator, quantity: "estimating equation", tauSquared: x)
        } catch {
            throw .rootNotBracketed(estimator: estimator, searchLimit: hi)
        }
    }
}
