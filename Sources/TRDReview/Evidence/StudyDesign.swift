import MetaAnalysis

/// A study's design as the study itself reports it (title, abstract, registry record): `design` in
/// `studies.csv` and `outcomes.csv` (second-pass audit, A7). The review's own category is `ReviewDesignCategory`.
public enum StudyDesign: String, CaseIterable, Sendable, Codable {
    case doubleBlindRandomisedTrial = "rct_double_blind"
    /// Randomised and open-label: rater-blinded, pragmatic and waitlist-controlled trials.
    case openLabelRandomisedTrial = "rct_open_label"
    case crossoverRandomisedTrial = "rct_crossover"
    /// An open-label enrichment phase, then randomised withdrawal.
    case randomisedWithdrawal = "randomised_withdrawal"
    case singleArmTrial = "single_arm_trial"
    case cohort
    case retrospectiveCohort = "retrospective_cohort"
    case registryCohort = "registry_cohort"
    case caseSeries = "case_series"
    case caseReport = "case_report"
    case secondaryAnalysis = "secondary_analysis"
    case designPaper = "design_paper"
    case scaleValidation = "scale_validation"
    case qualitative

    /// Randomised designs: their arms were allocated at random (GRADE starts them at high certainty).
    public var isRandomised: Bool {
        [.doubleBlindRandomisedTrial, .openLabelRandomisedTrial, .crossoverRandomisedTrial, .randomisedWithdrawal].contains(self)
    }

    public var displayName: String {
        switch self {
        case .doubleBlindRandomisedTrial: return "double-blind RCT"
        case .openLabelRandomisedTrial: return "open-label RCT"
        case .crossoverRandomisedTrial: return "crossover RCT"
        case .randomisedWithdrawal: return "randomised-withdrawal trial"
        case .singleArmTrial: return "single-arm open-label trial"
        case .cohort: return "cohort"
        case .retrospectiveCohort: return "retrospective cohort"
        case .registryCohort: return "registry cohort"
        case .caseSeries: return "case series"
        case .caseReport: return "case report"
        case .secondaryAnalysis: return "secondary analysis"
        case .designPaper: return "design paper"
        case .scaleValidation: return "scale validation"
        case .qualitative: return "qualitative study"
        }
    }
}
