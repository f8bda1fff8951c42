#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// The exact small-sample bias correction of a standardized mean difference with `m` degrees of freedom,
///
///     c(m) = Γ(m/2) / (√(m/2) · Γ((m − 1)/2))
///
/// (Hedges 1981, J Educ Stat 6:107–128, eq. 6e; metafor's `escalc` uses it for SMD, SMDH, SMCC, SMCR).
///
/// With x = (m − 1)/2, c = √(x/(x + ½)) · Γ(x + ½)/(√x Γ(x)). For x < 200 the gamma ratio is evaluated through
/// `logGamma`, which keeps ~1e-13 relative accuracy there. For larger x the log-gammas grow so large that their difference loses digits
/// (≈3e-10 at m = 10⁶), so the ratio's asymptotic series is used instead,
/// Γ(x + ½)/(√x Γ(x)) = 1 − 1/(8x) + 1/(128x²) + 5/(1024x³) − 21/(32768x⁴) + O(x⁻⁵)
/// (Abramowitz & Stegun 6.1.47), truncated where its error is below 1e-14. NaN for m ≤ 1.
func hedgesCorrection(_ m: Double) -> Double {
    guard m > 1 else { return .nan }
    let x = (m - 1) / 2
    if x < 200 {
        return exp(logGamma(m / 2) - 0.5 * log(m / 2) - logGamma(x))
    }
    let u = 1 / x
    let ratio = 1 + u * (-1.0 / 8 + u * (1.0 / 128 + u * (5.0 / 1024 - u * 21.0 / 32768)))
    return (x / (x + 0.5)).squareRoot() * ratio
}
