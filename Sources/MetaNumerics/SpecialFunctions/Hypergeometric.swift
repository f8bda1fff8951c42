#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 and c > 0, by its power series
///
///     ₂F₁(a, b; c; z) = Σₖ (a)ₖ (b)ₖ / ((c)ₖ k!) zᵏ
///
/// (Abramowitz & Stegun 15.1.1), summed until the geometric bound on the rest, t·q/(1 − q) with q the larger of
/// the next term ratio and z (the ratio tends to z), is below 1e-17 of the sum. Near z = 1 the series converges
/// slowly, so it is capped at `maximumTerms`; NaN when the cap is reached first, or for arguments outside the domain.
/// At z = 1 (with c > a + b, c > a, c > b and a, b > 0) Gauss's theorem gives Γ(c)Γ(c − a − b)/(Γ(c − a)Γ(c − b))
/// (A&S 15.1.20).
public func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double, maximumTerms: Int = 10_000_000) -> Double {
    guard a.isFinite, b.isFinite, c.isFinite, c > 0 else { return .nan }
    if z == 1 {
        guard a > 0, b > 0, c > a + b else { return .nan }
        return exp(logGamma(c) + logGamma(c - a - b) - logGamma(c - a) - logGamma(c - b))
    }
    guard z >= 0, z < 1 else { return .nan }
    var sum = 1.0, term = 1.0
    var k = 0.0
    for _ in 0..<maximumTerms {
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        sum += term
        k += 1
        guard sum.isFinite else { return .nan }
        let q = max((a + k) * (b + k) / ((c + k) * (k + 1)) * z, z)
        if q < 1, abs(term) * q / (1 - q) <= 1e-17 * abs(sum) { return sum }
    }
    return .nan
}
