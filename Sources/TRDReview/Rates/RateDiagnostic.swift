import MetaAnalysis

/// A note on a rate analysis that the user should see (the library never prints; the CLI and reports show these).
public enum RateDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The GLMM was requested but is not available (or did not converge): logit random effects used instead.
    case glmmFallback(reason: String)
    /// Freeman–Tukey was requested: its back-transformed estimate can be misleading (Schwarzer et al. 2019).
    case freemanTukeyWarning
    /// A row was not used because another report of the same sample is (`sample_group`).
    case overlapExcluded(study: String, row: Int, sampleGroup: String, used: String)
    /// A note from the effect-size computation (continuity correction, ...) or the model (τ² on the boundary, ...).
    case computation(group: String, note: String)
    /// A multi-arm trial's comparator arms were combined for pooling so that its active arm counts once.
    case comparatorArmsCombined(study: String, arms: [String])

    public var code: String {
        switch self {
        case .glmmFallback: return "glmm_fallback"
        case .freemanTukeyWarning: return "freeman_tukey"
        case .overlapExcluded: return "overlap_excluded"
        case .computation: return "computation"
        case .comparatorArmsCombined: return "comparator_arms_combined"
        }
    }

    public var description: String {
        switch self {
        case let .glmmFallback(reason):
            return "Binomial-normal GLMM not used (\(reason)); logit random effects (PLO, REML, Knapp-Hartung) used instead."
        case .freemanTukeyWarning:
            return "Freeman-Tukey double arcsine requested: the back-transformed pooled proportion can be misleading (Schwarzer et al. 2019); prefer the logit model."
        case let .overlapExcluded(study, row, sampleGroup, used):
            return "Outcome row \(row) (\(study)) not used: sample group '\(sampleGroup)' is already represented by \(used)."
        case let .computation(group, note):
            return "\(group): \(note)"
        case let .comparatorArmsCombined(study, arms):
            return "\(study): comparator arms \(arms.joined(separator: " + ")) combined for pooling so that the active arm counts once (Cochrane Handbook 23.3.4)."
        }
    }
}
