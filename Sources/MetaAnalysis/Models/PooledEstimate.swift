#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// A pooled estimate on the analysis scale with its Wald z-test and confidence interval:
///
///     z = θ̂ / SE,  p = 2(1 − Φ(|z|)),  CI = θ̂ ∓ z₁₋α/₂ · SE
public struct PooledEstimate: Sendable, Equatable {
    /// θ̂ (log scale for ratio measures).
    public let estimate: Double
    public let standardError: Double
    public let zValue: Double
    public let pValue: Double
    public let ciLower: Double
    public let ciUpper: Double
    /// Confidence level in percent.
    public let level: Double

    public init(estimate: Double, standardError: Double, level: Double) {
        self.estimate = estimate
        self.standardError = standardError
        self.level = level
        zValue = estimate / standardError
        pValue = Normal.twoSidedPValue(zValue)
        let fraction = level > 1 ? level / 100 : level
        let crit = Normal.quantile(1 - (1 - fraction) / 2)
        ciLower = estimate - crit * standardError
        ciUpper = estimate + crit * standardError
    }
}
