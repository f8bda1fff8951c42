#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The regularized incomplete beta function Iₓ(a, b) for a, b > 0 and 0 ≤ x ≤ 1.
public func regularizedBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
    incompleteBeta(a, b, x: x, y: 1 - x).p
}

/// Iₓ(a, b) and its complement 1 − Iₓ(a, b) = I₁₋ₓ(b, a).
///
/// Pass `y = 1 − x` computed from the problem's own quantities when x is close to 1 (for the t distribution,
/// y = t²/(ν + t²)): both are then used at full precision and each tail keeps its relative accuracy.
///
/// Method: the continued fraction Iₓ(a, b) = xᵃyᵇ/(a·B(a, b)) · 1/(1 + d₁/(1 + d₂/(1 + …))) with
/// d₂ₘ₊₁ = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)), d₂ₘ = m(b − m)x / ((a + 2m − 1)(a + 2m))
/// (Abramowitz & Stegun 26.5.8; Numerical Recipes §6.4), evaluated by the modified Lentz algorithm for
/// x < (a + 1)/(a + b + 2), and for the complement with a and b exchanged otherwise, so the tail computed
/// directly is the smaller one. The factor xᵃyᵇ/B(a, b) follows DiDonato & Morris (1992, ACM TOMS 18:360,
/// BRCOMP): for a, b ≥ 8 it is √(ab/(2π(a + b))) · exp(−a·φ(−λ/a) − b·φ(λ/b) − Δ) with λ = a − (a + b)x,
/// φ(u) = u − ln(1 + u) and Δ the Stirling corrections, so no large exponents cancel.
public func incompleteBeta(_ a: Double, _ b: Double, x: Double, y: Double) -> (p: Double, q: Double) {
    guard a > 0, b > 0, x >= 0, y >= 0, !x.isNaN, !y.isNaN, !a.isNaN, !b.isNaN else { return (.nan, .nan) }
    if x == 0 { return (0, 1) }
    if y == 0 { return (1, 0) }
    if a.isInfinite || b.isInfinite { return (.nan, .nan) }
    if x * (a + b + 2) < a + 1 {
        let p = min(1, directTail(a, b, x: x, y: y))
        return (p, 1 - p)
    }
    let q = min(1, directTail(b, a, x: y, y: x))
    return (1 - q, q)
}

/// Iₓ(a, b) for x below the mean, where it is the smaller tail.
func directTail(_ a: Double, _ b: Double, x: Double, y: Double) -> Double {
    // Near x = 1 with a large and b small the continued fraction's odd coefficients approach −1 and it
    // loses digits; the gamma-series expansion converges fast there instead.
    if a >= 30 && (b <= 10 || a >= 100 * b) && x >= 0.5 {
        return betaLargeShape(a, b, x: x, y: y)
    }
    return betaPrefactor(a, b, x: x, y: y) / a * betaContinuedFraction(a, b, x: x)
}

/// Iₓ(a, b) for large a, small b and x ≥ ½, as a series of incomplete gamma functions.
///
/// With w = −ln t, Iₓ(a, b) = (1/B(a, b)) ∫_{w₀}^∞ e^(−Tw) w^(b−1) g(w) dw, w₀ = −ln x, T = a + (b − 1)/2,
/// g(w) = (sinh(w/2)/(w/2))^(b−1) = Σ cₙ w²ⁿ. Integrating term by term,
/// Iₓ(a, b) = Q(b, Tw₀) · Γ(a + b)/(Γ(a) Tᵇ) · Σ cₙ Γ(b + 2n, Tw₀)/(Γ(b, Tw₀) T²ⁿ),
/// the ratios following from Γ(s + 1, z) = sΓ(s, z) + zˢe⁻ᶻ without cancellation. This is the idea of
/// DiDonato & Morris (1992) BGRAT (after Temme), in a form derived here; ln g has the series
/// Σ B₂ₖ w²ᵏ/(2k (2k)!), so cₙ follow by exponentiating a power series.
func betaLargeShape(_ a: Double, _ b: Double, x: Double, y: Double) -> Double {
    let w0 = -log1p(-y)
    let t = a + (b - 1) / 2
    let z = t * w0
    let (_, q) = incompleteGamma(b, z)
    if q == 0 { return 0 }
    let h = gammaPrefactor(b, z) / q
    // B₂ₖ / (2k (2k)!) for k = 1…15.
    let bernoulli: [Double] = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6,
                               -3617.0 / 510, 43867.0 / 798, -174611.0 / 330, 854513.0 / 138,
                               -236364091.0 / 2730, 8553103.0 / 6, -23749461029.0 / 870, 8615841276005.0 / 14322]
    var s = [Double](repeating: 0, count: bernoulli.count + 1)
    var factorial = 1.0
    for k in 1...bernoulli.count {
        factorial *= Double(2 * k - 1) * Double(2 * k)
        s[k] = (b - 1) * bernoulli[k - 1] / (Double(2 * k) * factorial)
    }
    var c = [1.0]
    var hk = 1.0  // Γ(b + k, z)/(Γ(b, z) Tᵏ)
    var wPower = 1.0  // w₀ᵏ
    var sum = 1.0
    var k = 0.0
    for n in 1...bernoulli.count {
        var cn = 0.0
        for j in 1...n { cn += Double(j) * s[j] * c[n - j] }
        cn /= Double(n)
        c.append(cn)
        for _ in 0..<2 {
            hk = ((b + k) * hk + wPower * h) / t
            wPower *= w0
            k += 1
        }
        let term = cn * hk
        sum += term
        if abs(term) <= 1e-17 * abs(sum) { break }
    }
    return q * exp(logGammaRatio(a, b) - b * log(t)) * sum
}

/// 1/(1 + d₁/(1 + d₂/(1 + …))) by the modified Lentz algorithm (Lentz 1976; Thompson & Barnett 1986).
func betaContinuedFraction(_ a: Double, _ b: Double, x: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    var m = 1.0
    while m < 1_000_000 {
        let m2 = 2 * m
        // Even step d₂ₘ.
        var coefficient = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
        d = 1 + coefficient * d
        if abs(d) < tiny { d = tiny }
        c = 1 + coefficient / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        h *= d * c
        // Odd step d₂ₘ₊₁.
        coefficient = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
        d = 1 + coefficient * d
        if abs(d) < tiny { d = tiny }
        c = 1 + coefficient / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        h *= delta
        if abs(delta - 1) <= 0x1p-53 { break }
        m += 1
    }
    return h
}

/// xᵃ yᵇ / B(a, b) with y = 1 − x (see ``incompleteBeta(_:_:x:y:)`` for the method).
///
/// When the powers and Γ(a + b)/(Γ(a)Γ(b)) are within range each is rounded once (xᵃ by `pow` when x ≤ ½,
/// as exp(a·ln(1 − y)) otherwise, so only the accurate one of x and y is used).
@usableFromInline
func betaPrefactor(_ a: Double, _ b: Double, x: Double, y: Double) -> Double {
    if x == 0 || y == 0 { return 0 }
    let logX = x <= 0.5 ? log(x) : log1p(-y)
    let logY = y <= 0.5 ? log(y) : log1p(-x)
    if a + b < 170 {
        let px = x <= 0.5 ? pow(x, a) : exp(a * logX)
        let py = y <= 0.5 ? pow(y, b) : exp(b * logY)
        let inverseBeta = tgamma(a + b) / (tgamma(a) * tgamma(b))
        let product = px * py
        if product > 1e-290 && product < 1e290 && inverseBeta.isNormal && inverseBeta < 1e290 {
            return product * inverseBeta
        }
    }
    if min(a, b) >= 8 {
        let sum = a + b
        let lambda = x <= y ? a - sum * x : sum * y - b
        let exponent = scaledXMinusLog1p(a, -lambda, ratio: sum * x / a)
            + scaledXMinusLog1p(b, lambda, ratio: sum * y / b)
        let correction = stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(sum)
        return (b * (a / sum) / (2 * Double.pi)).squareRoot() * exp(-exponent - correction)
    }
    return exp(a * logX + b * logY - logBeta(a, b))
}
