#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact small-sample bias correction of a standardized mean difference with `m` degrees of freedom,
///
///     c(m) = Γ(m/2) / (√(m/2) · Γ((m − 1)/2))
///
/// (Hedges 1981, J Educ Stat 6:107–128, eq. 6e; metafor's `escalc` uses it for SMD, SMDH, SMCC, SMCR).
/// Evaluated through log-gamma so that it neither overflows nor loses accuracy for large `m`. Uses the C
/// library's `lgamma` until MetaNumerics' `logGamma` lands on main. NaN for m ≤ 1.
func hedgesCorrection(_ m: Double) -> Double {
    guard m > 1 else { return .nan }
    return exp(lgamma(m / 2) - 0.5 * log(m / 2) - lgamma((m - 1) / 2))
}
