#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fitted binomial–normal GLMM (`rma.glmm` with `method = "ML"`): the pooled effect, τ², the Wald and
/// likelihood-ratio tests for heterogeneity, I²/H², fit statistics and how the optimiser got there.
public struct GLMMFit: Sendable {
    public let measure: EffectMeasure
    public let options: GLMMOptions
    /// Studies in the model (`k`): those with an effect size (double-zero tables left out, `drop00`).
    public let studyCount: Int
    /// β̂ (logit for PLO, log OR) with its Wald z-test and CI; SE from the inverse observed information.
    public let pooled: PooledEstimate
    /// τ̂² (maximum likelihood).
    public let tauSquared: Double
    /// Prediction interval β̂ ∓ z₁₋α/₂ √(SE² + τ̂²) on the analysis scale.
    public let predictionInterval: (lower: Double, upper: Double)
    /// Wald test of equal study effects in the fixed-effects (saturated) model (`QE_Wld`, df k − 1).
    public let waldHeterogeneity: ChiSquareTest?
    /// Likelihood-ratio test of the common-effect model against the saturated model (`QE_LRT`, df k − 1).
    public let likelihoodRatioHeterogeneity: ChiSquareTest?
    /// I² = 100 τ²/(τ² + ṽ) and H² = 1 + τ²/ṽ with ṽ the typical within-study variance of the escalc values,
    /// ṽ = (k − 1) Σw / ((Σw)² − Σw²), w = 1/vᵢ (Higgins & Thompson 2002), as metafor.
    public let iSquared: Double
    public let hSquared: Double
    /// Log-likelihood, deviance, AIC, BIC, AICc as metafor reports them (see `GLMMFitStatistics`).
    public let fitStatistics: GLMMFitStatistics
    /// The quadrature value of the marginal log-likelihood Σ log Lᵢ at the estimate.
    public let marginalLogLikelihood: Double
    /// How the optimum was found.
    public let diagnostics: GLMMDiagnostics
    /// The escalc effect sizes used for I²/H² (and to decide which studies enter).
    public let effectSizes: EffectSizes
}

/// Fit statistics of a GLMM, following what metafor reports for each model.
///
/// CM.EL: ℓ = Σ log Lᵢ (the marginal likelihood); deviance = 2(ℓ_sat − ℓ), ℓ_sat the sum of the studies'
/// maximised conditional likelihoods. UM.FS: metafor reports lme4's values, and lme4 (1.1-31; its issue #161)
/// returns for nAGQ > 1 the conditional log-likelihood at the conditional modes, Σ log p(yᵢ | ûᵢ), not the
/// marginal one; the deviance is the conditional deviance 2(ℓ_sat − Σ log p(yᵢ | ûᵢ)). With one point
/// (Laplace) ℓ is the Laplace marginal. The marginal value is always in `GLMMFit.marginalLogLikelihood`.
/// AIC = −2ℓ + 2m, BIC = −2ℓ + m log n, AICc = −2ℓ + 2m·n′/(n′ − m − 1), n′ = max(n, m + 2), with m the
/// parameters (β, τ² and for UM.FS OR the k study intercepts) and n the binomial observations.
public struct GLMMFitStatistics: Sendable, Equatable {
    public let logLikelihood: Double
    public let deviance: Double
    public let aic: Double
    public let bic: Double
    public let aicc: Double

    init(logLikelihood ll: Double, deviance: Double, parameters m: Int, observations n: Int) {
        logLikelihood = ll
        self.deviance = deviance
        let mm = Double(m), nn = Double(n)
        aic = -2 * ll + 2 * mm
        bic = -2 * ll + mm * log(nn)
        let nc = max(nn, mm + 2)
        aicc = -2 * ll + 2 * mm * nc / (nc - mm - 1)
    }
}

/// How a GLMM fit converged.
public struct GLMMDiagnostics: Sendable, Equatable {
    /// Adaptive Gauss–Hermite points per study (1 = Laplace).
    public let quadraturePoints: Int
    /// Newton iterations of the final fit.
    public let iterations: Int
    /// Euclidean norm of the gradient of −log L at the estimate.
    public let gradientNorm: Double
    /// Whether the estimate is on the boundary τ² = 0 (then the model was refitted with τ² fixed at 0).
    public let tauSquaredOnBoundary: Bool
}
