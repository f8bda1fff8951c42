#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ln |Γ(x)|.
///
/// Uses the platform's reentrant `lgamma_r` (fdlibm's rational approximations, accurate to a few ulps
/// for x > 0, including near the zeros at 1 and 2). Poles (x = 0, −1, −2, …) give +∞.
@inlinable
public func logGamma(_ x: Double) -> Double {
    var sign: Int32 = 0
    return lgamma_r(x, &sign)
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0, without the cancellation of that formula
/// when a parameter is large.
///
/// For a large parameter the ratio Γ(b + a)/Γ(b) is taken from Stirling's series with its correction
/// term δ (DiDonato & Morris 1992, ACM TOMS 18:360, functions ALGDIV/BETALN), so ln B keeps its relative
/// accuracy when b ≫ a (e.g. the t distribution with 10⁶ degrees of freedom).
public func logBeta(_ a: Double, _ b: Double) -> Double {
    guard a > 0, b > 0 else { return .nan }
    let small = min(a, b), large = max(a, b)
    if large < 8 {
        return logGamma(small) + logGamma(large) - logGamma(small + large)
    }
    if small < 8 {
        return logGamma(small) - logGammaRatio(large, small)
    }
    // Both large: Stirling for all three, grouped so no large terms cancel.
    let sum = small + large
    let correction = stirlingCorrection(small) + stirlingCorrection(large) - stirlingCorrection(sum)
    return 0.5 * log(2 * Double.pi) + 0.5 * (log(sum) - log(small) - log(large))
        + small * log(small / sum) - large * log1p(small / large) + correction
}

/// ln Γ(b + a) − ln Γ(b) for b ≥ 8, from Stirling's formula:
/// (b − ½)·ln(1 + a/b) + a·ln(a + b) − a + δ(a + b) − δ(b).
@usableFromInline
func logGammaRatio(_ b: Double, _ a: Double) -> Double {
    (b - 0.5) * log1p(a / b) + a * log(a + b) - a + (stirlingCorrection(a + b) - stirlingCorrection(b))
}

/// Stirling's correction δ(a) = ln Γ(a) − [(a − ½) ln a − a + ½ ln 2π] for a > 0.
///
/// For a ≥ 10 the asymptotic series δ(a) = Σ B₂ₖ / (2k(2k−1) a²ᵏ⁻¹) (Abramowitz & Stegun 6.1.41) to seven
/// terms is accurate to a few ulps; below that the definition is used (absolute error ~1e-15, which is what
/// matters where δ enters an exponent).
@usableFromInline
func stirlingCorrection(_ a: Double) -> Double {
    if a >= 10 {
        let r = 1 / a, r2 = r * r
        // B₂ₖ / (2k(2k − 1)) for k = 1…7.
        let c: [Double] = [1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156]
        var sum = c[6]
        for k in stride(from: 5, through: 0, by: -1) { sum = sum * r2 + c[k] }
        return sum * r
    }
    return logGamma(a) - ((a - 0.5) * log(a) - a + 0.5 * log(2 * Double.pi))
}

/// x − ln(1 + x) for x > −1, accurate also for small |x| (where the two terms nearly cancel).
///
/// For |x| ≤ ½ it uses ln(1 + x) = 2 atanh(r), r = x/(2 + x), so x − ln(1 + x) = r·x − 2(r³/3 + r⁵/5 + …),
/// a sum without cancellation.
@usableFromInline
func xMinusLog1p(_ x: Double) -> Double {
    if !(abs(x) <= 0.5) { return x - log1p(x) }  // also NaN, which the series below would never finish
    let r = x / (2 + x), r2 = r * r
    var power = r * r2, sum = 0.0, k = 3.0
    while true {
        let term = power / k
        sum += term
        if abs(term) <= 1e-17 * abs(sum) { break }
        power *= r2
        k += 2
    }
    return r * x - 2 * sum
}

/// a·φ(u) with φ(u) = u − ln(1 + u), u = difference/a, given also 1 + u = `ratio` computed directly
/// (e.g. x/a rather than 1 + (x − a)/a): far from u = 0 the direct ratio avoids the absolute error that
/// forming 1 + u would add; near u = 0 the cancellation-free series is used.
@usableFromInline
func scaledXMinusLog1p(_ a: Double, _ difference: Double, ratio: Double) -> Double {
    let u = difference / a
    if abs(u) <= 0.5 { return a * xMinusLog1p(u) }
    return difference - a * log(ratio)
}
