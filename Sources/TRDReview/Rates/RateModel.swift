import MetaAnalysis

/// The model for pooling single-arm proportions (`--model`).
///
/// The default is logit random effects with REML τ² and the Knapp–Hartung interval with the ad hoc floor: with the
/// two to four studies a stratum holds here, the GLMM's z-based intervals are too narrow (audit A4: 35.2%
/// [25.6, 46.2] with I² = 68% from two arms), so the binomial–normal GLMM (Stijnen, Hamza & Özdemir 2010) is
/// reported beside it as a sensitivity analysis, or as the headline on request. Freeman–Tukey is available on
/// request only, with a warning (Schwarzer et al. 2019: its back-transformation can mislead).
public enum RateModel: String, CaseIterable, Sendable, Codable {
    /// Binomial–normal GLMM (ML, adaptive Gauss–Hermite quadrature, z-based CI and PI, as metafor's `rma.glmm`).
    case glmm
    /// Logit-transformed proportions (PLO) with random effects: REML τ², Knapp–Hartung (ad hoc) CI by default.
    case logit
    /// Freeman–Tukey double arcsine (PFT), harmonic-mean back-transformation (Miller 1978).
    case ft

    /// The model used by default.
    public static let `default` = RateModel.logit

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
