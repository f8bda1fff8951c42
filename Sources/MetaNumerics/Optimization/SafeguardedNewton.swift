/// Newton's method inside a bracket, falling back to bisection: the solver for smooth monotone-ish
/// equations with a known derivative, such as likelihood score equations.
///
/// Each iteration takes the Newton step x − f(x)/f′(x); if that step leaves the current bracket, is not
/// finite, or fails to halve |f| relative to two steps before, a bisection step is taken instead
/// (Numerical Recipes §9.4, RTSAFE; Brent 1973 for the bracketing argument). The bracket shrinks every
/// iteration, so the method always converges for a continuous f with a sign change, and quadratically
/// near a simple root.
///
/// **Fisher scoring** is this method applied to the score: pass `value` = score U(θ) and `derivative` =
/// −I(θ) (minus the expected information), so the Newton step is U/I. Bracket [lower, upper] must hold
/// the root: for a variance parameter start from [0, something large] and let ``Brent/Expansion``-style
/// widening or the caller's bound choose `upper`.
public enum SafeguardedNewton {
    /// The result of ``root(lower:upper:start:absoluteTolerance:relativeTolerance:maxIterations:_:)``.
    public struct Root: Sendable, Equatable {
        /// The root estimate.
        public let x: Double
        /// f(x).
        public let value: Double
        /// Iterations taken (function evaluations after the two bracket ends).
        public let iterations: Int
        /// How many of them fell back to bisection.
        public let bisections: Int
        /// |Δx| of the final step.
        public let lastStep: Double
    }

    /// Solves f(x) = 0 for x in [lower, upper].
    ///
    /// - Parameters:
    ///   - lower, upper: a bracket: f(lower) and f(upper) must differ in sign (or one be 0).
    ///   - start: the first iterate (default: the midpoint); clamped into the bracket.
    ///   - absoluteTolerance, relativeTolerance: stop when |Δx| ≤ absoluteTolerance + relativeTolerance·|x|
    ///     (defaults 1e-13 each, the policy for τ² solvers) or f(x) = 0.
    ///   - evaluate: returns f(x) and f′(x).
    /// - Throws: ``NumericsError/noBracket(lower:upper:valueAtLower:valueAtUpper:)``,
    ///   ``NumericsError/nonFiniteValue(at:)``, ``NumericsError/didNotConverge(iterations:lastStep:)``, and
    ///   the closure's own errors.
    public static func root(
        lower: Double, upper: Double, start: Double? = nil,
        absoluteTolerance: Double = 1e-13, relativeTolerance: Double = 1e-13, maxIterations: Int = 100,
        _ evaluate: (Double) throws -> (value: Double, derivative: Double)
    ) throws -> Root {
        precondition(lower < upper, "SafeguardedNewton.root needs lower < upper")
        let fLower = try evaluate(lower).value
        let fUpper = try evaluate(upper).value
        guard fLower.isFinite else { throw NumericsError.nonFiniteValue(at: lower) }
        guard fUpper.isFinite else { throw NumericsError.nonFiniteValue(at: upper) }
        if fLower == 0 { return Root(x: lower, value: 0, iterations: 0, bisections: 0, lastStep: 0) }
        if fUpper == 0 { return Root(x: upper, value: 0, iterations: 0, bisections: 0, lastStep: 0) }
        guard (fLower > 0) != (fUpper > 0) else {
            throw NumericsError.noBracket(lower: lower, upper: upper, valueAtLower: fLower, valueAtUpper: fUpper)
        }
        // Orient so that f(negativeSide) < 0 < f(positiveSide).
        var negativeSide = fLower < 0 ? lower : upper
        var positiveSide = fLower < 0 ? upper : lower
        var x = min(max(start ?? 0.5 * (lower + upper), lower), upper)
        var previousStep = upper - lower, step = previousStep
        var bisections = 0
        for iteration in 1...maxIterations {
            let (fx, dfx) = try evaluate(x)
            guard fx.isFinite else { throw NumericsError.nonFiniteValue(at: x) }
            if fx == 0 {
                return Root(x: x, value: 0, iterations: iteration, bisections: bisections, lastStep: abs(step))
            }
            if fx < 0 { negativeSide = x } else { positiveSide = x }
            let low = min(negativeSide, positiveSide), high = max(negativeSide, positiveSide)
            let newton = x - fx / dfx
            let older = previousStep
            previousStep = step
            if newton.isFinite && newton > low && newton < high && abs(2 * (fx / dfx)) <= abs(older) {
                step = x - newton
                x = newton
            } else {
                let middle = 0.5 * (low + high)
                step = x - middle
                x = middle
                bisections += 1
            }
            if abs(step) <= absoluteTolerance + relativeTolerance * abs(x) || high - low <= absoluteTolerance {
                let fx = try evaluate(x).value
                return Root(x: x, value: fx, iterations: iteration, bisections: bisections, lastStep: abs(step))
            }
        }
        throw NumericsError.didNotConverge(iterations: maxIterations, lastStep: abs(step))
    }
}
