/// Roots of decreasing estimating equations g(τ²) = 0 on τ² ≥ 0 (Paule–Mandel, PMM, GENQM, Q-profile bounds).
///
/// g(0) ≤ 0 gives τ² = 0 (metafor's convention: the equation is already satisfied at the boundary). Otherwise
/// the root is bracketed by doubling and found by Newton steps when g′ is supplied, Illinois regula falsi
/// steps otherwise, each falling back to bisection when it would leave the bracket; the bracket shrinks
/// every iteration, so the solver cannot diverge.
enum TauSquaredRootFinder {
    static func decreasingRoot(estimator: TauSquaredEstimator, control: SolverControl, start: Double = 1,
                               _ g: (Double) -> (value: Double, derivative: Double?))
        throws(EstimationError) -> (Double, Int)
    {
        let g0 = g(0).value
        if g0 <= 0 { return (0, 0) }
        var lo = 0.0, glo = g0
        var hi = max(start, 1e-8), ghi = g(hi).value
        while ghi > 0 {
            lo = hi; glo = ghi
            hi *= 4
            if hi > 1e300 { throw .rootNotBracketed(estimator: estimator, searchLimit: hi) }
            ghi = g(hi).value
        }
        if ghi == 0 { return (hi, 0) }
        var x = hi
        var (gx, dx) = g(x)
        var side = 0
        var lastStep = Double.infinity
        for iteration in 1...control.maxIterations {
            var next: Double
            if let d = dx, d < 0 {
                next = x - gx / d
            } else {
                next = (lo * ghi - hi * glo) / (ghi - glo)
            }
            if !(next > lo && next < hi) || !next.isFinite { next = 0.5 * (lo + hi) }
            lastStep = next - x
            x = next
            (gx, dx) = g(x)
            if gx == 0 { return (x, iteration) }
            if gx > 0 {
                lo = x; glo = gx
                if side == 1 { ghi /= 2 }
                side = 1
            } else {
                hi = x; ghi = gx
                if side == -1 { glo /= 2 }
                side = -1
            }
            let scale = control.tolerance * max(1, x)
            if abs(lastStep) <= scale || hi - lo <= scale { return (x, iteration) }
        }
        throw .didNotConverge(estimator: estimator, iterations: control.maxIterations, lastStep: abs(lastStep))
    }
}
