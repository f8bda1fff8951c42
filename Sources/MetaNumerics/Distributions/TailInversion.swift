#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Solves F(x) = target for x in (0, upperLimit), where F is a monotone probability (a cdf, a survival
/// function, or a central probability) — the engine behind the quantile functions.
///
/// Newton's method on ln F(x) against ln x: x ← x · exp(−ln(F/target) / (x F′/F)). On the logarithmic
/// scale power-law tails (t, F) and exponential tails (χ²) are both nearly linear, so a few steps reach
/// full precision from a rough start; x itself is kept in linear form so no precision is lost for very
/// large or small x. A bracket is maintained from the signs seen, and any step that leaves it (or is not
/// finite, e.g. when F underflows) is replaced by geometric bisection (Brent 1973, ch. 4, for the
/// safeguarding idea).
///
/// - Parameters:
///   - target: the probability to reach, in (0, 1).
///   - increasing: whether F increases with x.
///   - starts: candidate starting points; the one whose F is closest to `target` on the log scale is used.
///   - evaluate: returns F(x) and F′(x).
enum TailInversion {
    static func solve(
        target: Double, increasing: Bool, upperLimit: Double = .infinity, starts: [Double],
        evaluate: (Double) -> (value: Double, derivative: Double)
    ) -> Double {
        var x = 1.0
        var bestDistance = Double.infinity
        for start in starts where start > 0 && start < upperLimit && start.isFinite {
            let distance = abs(log(evaluate(start).value / target))
            if distance < bestDistance || x == 1.0 && bestDistance.isInfinite {
                bestDistance = distance
                x = start
            }
        }
        if x >= upperLimit { x = upperLimit / 2 }
        var low = 0.0, high = upperLimit
        for _ in 0..<400 {
            let (value, derivative) = evaluate(x)
            if value == target { return x }
            if (value > target) == increasing { high = x } else { low = x }
            let logRatio = log(value / target)
            let elasticity = x * derivative / value
            let logStep = -logRatio / elasticity
            var next = x * exp(logStep)
            if !(next > low && next < high) || !next.isFinite {
                if low > 0 && high.isFinite {
                    next = low * (high / low).squareRoot()
                } else if high.isFinite {
                    next = high / 16
                } else {
                    next = low * 16
                }
                if !(next > low && next < high) { return x }
            } else if abs(logStep) <= 0x1p-51 {
                return next
            }
            if next == x || high - low <= 0x1p-52 * x { return next }
            x = next
        }
        return x
    }
}
