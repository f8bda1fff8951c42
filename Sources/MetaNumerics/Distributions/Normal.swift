#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution N(0, 1).
///
/// `cdf` and `survival` use the complementary error function, so each tail keeps full relative
/// accuracy down to the smallest normal doubles (survival(37) ≈ 5.7e-300).
public enum Normal {
    /// Φ(x) = P(Z ≤ x).
    @inlinable
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// 1 − Φ(x) = P(Z > x), computed without cancellation.
    @inlinable
    public static func survival(_ x: Double) -> Double {
        0.5 * erfc(x / 2.0.squareRoot())
    }

    /// The density φ(x).
    @inlinable
    public static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }

    /// Two-sided p-value 2·(1 − Φ(|z|)).
    @inlinable
    public static func twoSidedPValue(_ z: Double) -> Double {
        erfc(abs(z) / 2.0.squareRoot())
    }

    /// Φ⁻¹(p) for p in [0, 1]; −∞ at 0 and +∞ at 1, NaN outside.
    ///
    /// Abramowitz & Stegun 26.2.23 start, refined by Halley steps on the tail that holds p,
    /// which reaches full double precision in two or three steps.
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // Work in the lower tail q = min(p, 1 - p) and flip the sign at the end.
        let upper = p > 0.5
        let q = upper ? 1 - p : p
        let t = (-2 * log(q)).squareRoot()
        var x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
            / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t))
        for _ in 0..<8 {
            let f = cdf(x)
            let e = f - q
            let u = e / density(x)
            let step = u / (1 + 0.5 * x * u)
            x -= step
            if abs(step) <= 1e-16 * max(1, abs(x)) { break }
        }
        return upper ? -x : x
    }
}
