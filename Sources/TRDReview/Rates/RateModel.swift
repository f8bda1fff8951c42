import MetaAnalysis

/// The model for pooling single-arm proportions (`--model`).
///
/// DESIGN.md §3: the binomial–normal GLMM (random-intercept logistic model, Stijnen, Hamza & Özdemir 2010) is the
/// default for rates; when it cannot be fitted (one study, or the optimiser does not converge) the pool falls back
/// to logit random effects and says so. Freeman–Tukey is available on request only, with a warning
/// (Schwarzer et al. 2019: its back-transformation can mislead).
public enum RateModel: String, CaseIterable, Sendable, Codable {
    /// Binomial–normal GLMM (ML, adaptive Gauss–Hermite quadrature, z-based CI and PI, as metafor's `rma.glmm`).
    case glmm
    /// Logit-transformed proportions (PLO) with random effects: REML τ², Knapp–Hartung CI by default.
    case logit
    /// Freeman–Tukey double arcsine (PFT), harmonic-mean back-transformation (Miller 1978).
    case ft

    /// The model used by default.
    public static let `default` = RateModel.glmm

    /// The escalc measure of the per-study values (and of the pooled value for `logit` and `ft`).
    public var measure: EffectMeasure {
        switch self {
        case .glmm, .logit: return .logitProportion
        case .ft: return .freemanTukeyProportion
        }
    }

    public var displayName: String {
        switch self {
        case .glmm: return "binomial-normal GLMM"
        case .logit: return "logit random effects"
        case .ft: return "Freeman-Tukey random effects"
        }
    }
}
