import MetaAnalysis

/// The review's design categories of section 3.1 (`design` in `studies.csv`), in the review's order.
public enum StudyDesign: String, CaseIterable, Sendable, Codable {
    case observational
    case doubleBlindPlaceboControlledTrial = "rct_double_blind_placebo"
    case openLabelTrial = "open_label_trial"
    case retrospectiveCohort = "retrospective_cohort"
    case caseReport = "case_report"
    case caseSeries = "case_series"
    case pragmaticTrial = "pragmatic_rct"
    case pilotOrPhaseOneTwo = "pilot_phase_1_2"
    case qualitative
    /// In no design list of the review (ref 87).
    case notCategorised = "not_categorised"

    public var displayName: String {
        switch self {
        case .observational: return "Observational"
        case .doubleBlindPlaceboControlledTrial: return "Double-blind placebo-controlled RCT"
        case .openLabelTrial: return "Open-label trial"
        case .retrospectiveCohort: return "Retrospective cohort"
        case .caseReport: return "Case report"
        case .caseSeries: return "Case series"
        case .pragmaticTrial: return "Pragmatic RCT"
        case .pilotOrPhaseOneTwo: return "Pilot / phase I-II"
        case .qualitative: return "Qualitative"
        case .notCategorised: return "Not categorised"
        }
    }
}
