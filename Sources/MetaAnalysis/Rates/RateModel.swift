/// The model for pooling single-arm proportions (`--model`).
///
/// DESIGN.md §3: the binomial–normal GLMM (Stijnen, Hamza & Özdemir 2010) is preferred for rates; until it is in
/// MetaAnalysis, `glmm` falls back to logit random effects and says so. Freeman–Tukey is available on request
/// only, with a warning (Schwarzer et al. 2019: its back-transformation can mislead).
public enum RateModel: String, CaseIterable, Sendable, Codable {
    /// Binomial–normal GLMM (falls back to `logit` while unavailable, with a diagnostic).
    case glmm
    /// Logit-transformed proportions (PLO), REML τ², Knapp–Hartung CI: the default.
    case logit
    /// Freeman–Tukey double arcsine (PFT), harmonic-mean back-transformation (Miller 1978).
    case ft

    /// The model used by default: logit random effects until the GLMM lands.
    public static let `default` = RateModel.logit

    /// Whether this build has the binomial–normal GLMM.
    public static let glmmAvailable = false

    /// The escalc measure the model pools on.
    public var measure: EffectMeasure {
        switch self {
        case .glmm, .logit: return .logitProportion
        case .ft: return .freemanTukeyProportion
        }
    }
}
