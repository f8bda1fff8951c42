#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), for a > 0, x ≥ 0.
public func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
    incompleteGamma(a, x).p
}

/// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x), computed
/// directly in the upper tail so that it keeps its relative accuracy down to the smallest doubles.
public func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
    incompleteGamma(a, x).q
}

/// Both P(a, x) and Q(a, x). The smaller one is computed directly, the other as its complement.
///
/// Method (Numerical Recipes 3rd ed. §6.2; DiDonato & Morris 1986, ACM TOMS 12:377): for x < a + 1 the
/// series P = xᵃe⁻ˣ/Γ(a + 1) · Σₙ xⁿ / ((a + 1)…(a + n)); otherwise Legendre's continued fraction for Q,
/// evaluated by the modified Lentz algorithm (Lentz 1976; Thompson & Barnett 1986). The factor xᵃe⁻ˣ/Γ(a)
/// is computed by ``gammaPrefactor(_:_:)`` without overflow or needless rounding.
public func incompleteGamma(_ a: Double, _ x: Double) -> (p: Double, q: Double) {
    guard a > 0, x >= 0, !a.isNaN, !x.isNaN else { return (.nan, .nan) }
    if x == 0 { return (0, 1) }
    if x.isInfinite { return (1, 0) }
    if x < a + 1 {
        var term = 1.0, sum = 1.0, n = 1.0
        while n < 100_000 {
            term *= x / (a + n)
            sum += term
            if term <= sum * 0x1p-54 { break }
            n += 1
        }
        let p = min(1, gammaPrefactor(a, x) / a * sum)
        return (p, 1 - p)
    }
    // Continued fraction Q = f·1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − 2·(2 − a)/(x + 5 − a − …))).
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    var i = 1.0
    while i < 100_000 {
        let an = -i * (i - a)
        b += 2
        d = an * d + b
        if abs(d) < tiny { d = tiny }
        c = b + an / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        h *= delta
        if abs(delta - 1) <= 0x1p-53 { break }
        i += 1
    }
    let q = min(1, gammaPrefactor(a, x) * h)
    return (1 - q, q)
}

/// xᵃ e⁻ˣ / Γ(a), the factor shared by both tails and by the gamma density.
///
/// Where e⁻ˣ, xᵃ and Γ(a) are all within range each is rounded once (pow, exp and tgamma are accurate to
/// about an ulp), which is what keeps Q relative-accurate near 1e-300. Otherwise, for a ≥ 10, it is
/// √(a/2π) · exp(−a·φ((x − a)/a) − δ(a)), φ(u) = u − ln(1 + u), δ Stirling's correction (Temme 1987;
/// DiDonato & Morris 1986 eq. 12), so the exponent has no cancelling large terms; for small a,
/// exp(a ln x − x − ln Γ(a)).
@usableFromInline
func gammaPrefactor(_ a: Double, _ x: Double) -> Double {
    if x == 0 { return 0 }
    if x < 700 && a < 170 {
        let power = pow(x, a)
        if power > 1e-290 && power < 1e290 { return exp(-x) * power / tgamma(a) }
    }
    if a >= 10 {
        return (a / (2 * Double.pi)).squareRoot() * exp(-scaledXMinusLog1p(a, x - a, ratio: x / a) - stirlingCorrection(a))
    }
    return exp(a * log(x) - x - logGamma(a))
}
