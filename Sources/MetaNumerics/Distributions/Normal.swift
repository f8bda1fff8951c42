#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution N(0, 1).
///
/// Each tail keeps full relative accuracy down to the smallest normal doubles (survival(37) ≈ 5.7e-300):
/// for |x| ≤ 4 from the complementary error function (whose conditioning, ~x², costs at most a few ulps
/// there); beyond, as φ(x)·R(x) with Mills' ratio R from its continued fraction
/// R(x) = 1/(x + 1/(x + 2/(x + 3/(x + …)))) (Abramowitz & Stegun 26.2.14; Lentz's algorithm) and φ(x)
/// from an exactly split x², so no rounding of x²/2 enters the exponential.
public enum Normal {
    /// Φ(x) = P(Z ≤ x).
    public static func cdf(_ x: Double) -> Double {
        x < -4 ? upperTail(-x) : 0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// 1 − Φ(x) = P(Z > x), computed without cancellation.
    public static func survival(_ x: Double) -> Double {
        x > 4 ? upperTail(x) : 0.5 * erfc(x / 2.0.squareRoot())
    }

    /// The density φ(x) = exp(−x²/2)/√(2π).
    public static func density(_ x: Double) -> Double {
        // x² = high + low exactly (fma), so the exponent is exact up to the tiny low part.
        let high = x * x
        let low = (-high).addingProduct(x, x)
        return exp(-0.5 * high) * (1 - 0.5 * low) / (2 * Double.pi).squareRoot()
    }

    /// Two-sided p-value 2·(1 − Φ(|z|)).
    public static func twoSidedPValue(_ z: Double) -> Double {
        2 * survival(abs(z))
    }

    /// P(Z > x) for x > 4, as φ(x)·R(x).
    private static func upperTail(_ x: Double) -> Double {
        if x.isInfinite { return 0 }
        let tiny = 1e-300
        var f = x, c = x, d = 0.0
        var n = 1.0
        while n < 5000 {
            d = x + n * d
            if abs(d) < tiny { d = tiny }
            c = x + n / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = c * d
            f *= delta
            if abs(delta - 1) <= 0x1p-53 { break }
            n += 1
        }
        return density(x) / f
    }

    /// Φ⁻¹(p) for p in [0, 1]; −∞ at 0 and +∞ at 1, NaN outside.
    ///
    /// Start from Abramowitz & Stegun 26.2.23, then Halley steps on the function that is well conditioned
    /// where the answer lies: for ¼ ≤ p ≤ ¾ on ½·erf(x/√2) = p − ½ (p − ½ is exact there, and erf keeps
    /// relative accuracy near 0, so quantiles near the median are relative-accurate too); in the tails
    /// on ½·erfc(|x|/√2) = min(p, 1 − p). Two or three steps reach full double precision.
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let upper = p > 0.5
        let q = upper ? 1 - p : p  // exact for p ≥ ½ (Sterbenz)
        let t = (-2 * log(q)).squareRoot()
        // A&S 26.2.23 gives the upper-tail deviate for tail probability q.
        var x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
            / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
        let central = q >= 0.25
        let delta = 0.5 - q  // exact for q in [¼, ½]
        for _ in 0..<10 {
            // e = F(x) − target with F increasing in x: the central mass ½erf(x/√2) or 1 − survival.
            let e = central ? 0.5 * erf(x / 2.0.squareRoot()) - delta : q - survival(x)
            let u = e / density(x)
            let step = u / (1 + 0.5 * x * u)
            x -= step
            if abs(step) <= 1e-17 * abs(x) { break }
        }
        return upper ? x : -x
    }
}
