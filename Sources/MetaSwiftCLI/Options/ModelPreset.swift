import MetaAnalysis

/// Named sets of defaults (`--preset`).
enum ModelPreset: String, CaseIterable {
    /// Current guidance (DESIGN.md §3): REML, Knapp–Hartung.
    case guidance
    /// metafor's `rma()` defaults: REML, z test.
    case metafor
}

/// Extra heterogeneity intervals (`--tau2-ci`).
enum ExtraInterval: String, CaseIterable {
    /// Profile likelihood (ML/REML).
    case PL
    /// Biggerstaff–Jackson (exact distribution of the DL Q).
    case BJ
    /// Biggerstaff–Tweedie (gamma approximation to the DL Q).
    case BT
    /// Wald-type, from SE(τ̂²).
    case Wald
    /// Sidik–Jonkman (χ² interval around the SJ estimate).
    case SJ

    var method: HeterogeneityConfidenceIntervals.Method {
        switch self {
        case .PL: return .profileLikelihood
        case .BJ: return .biggerstaffJackson
        case .BT: return .biggerstaffTweedie
        case .Wald: return .wald
        case .SJ: return .sidikJonkman
        }
    }
}
