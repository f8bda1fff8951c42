#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Log-likelihood and information criteria of a fitted model under one likelihood (ML or REML).
///
/// ML: ℓ = −½[k log 2π + Σ log(v_i + τ²) + Σ w_i (y_i − μ̂)²], deviance = −2(ℓ − ℓ_saturated) with
/// ℓ_saturated = −½ Σ log(2π v_i). REML: ℓ_R = −½[(k − p) log 2π + Σ log(v_i + τ²) + log|XᵀWX| − log|XᵀX| +
/// Σ w_i (y_i − μ̂)²] (Viechtbauer 2005, eqs. 5–6; the |XᵀX| term as in lme and metafor), deviance = −2ℓ_R.
/// AIC = −2ℓ + 2m, BIC = −2ℓ + m log n, AICc = −2ℓ + 2m·max(n, m + 2)/(max(n, m + 2) − m − 1), with m
/// parameters (p, plus 1 for τ² unless the model is common-effect) and n = k (ML) or k − p (REML).
public struct FitStatistics: Sendable, Equatable {
    public var logLikelihood: Double
    public var deviance: Double
    public var aic: Double
    public var bic: Double
    public var aicc: Double

    public init(logLikelihood: Double, deviance: Double, parameterCount: Int, sampleSize: Int) {
        self.logLikelihood = logLikelihood
        self.deviance = deviance
        let m = Double(parameterCount), n = Double(sampleSize)
        aic = -2 * logLikelihood + 2 * m
        bic = -2 * logLikelihood + m * log(n)
        let nc = max(n, m + 2)
        aicc = -2 * logLikelihood + 2 * m * nc / (nc - m - 1)
    }

    /// The ML and REML statistics at `fit`'s τ² with pooled estimate residual sum `residualSum` = Σ w_i (y_i − μ̂)²
    /// (μ̂ is the model's estimate, which for GENQ uses the user weights, not w).
    static func both(fit f: WeightedFit, residualSum: Double, sumLogSamplingVariances: Double,
                     studyCount k: Int, coefficientCount p: Int, estimatesTau: Bool) -> (ml: FitStatistics, reml: FitStatistics) {
        let log2pi = log(2 * Double.pi)
        let llML = -0.5 * (Double(k) * log2pi + f.sumLogVariances + residualSum)
        let saturated = -0.5 * (Double(k) * log2pi + sumLogSamplingVariances)
        let llREML = -0.5 * (Double(k - p) * log2pi + f.sumLogVariances + f.logDetInformation - f.logDetDesign + residualSum)
        let m = p + (estimatesTau ? 1 : 0)
        return (FitStatistics(logLikelihood: llML, deviance: -2 * (llML - saturated), parameterCount: m, sampleSize: k),
                FitStatistics(logLikelihood: llREML, deviance: -2 * llREML, parameterCount: m, sampleSize: k - p))
    }
}
