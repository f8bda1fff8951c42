import MetaAnalysis

/// The phase of a study an outcome row comes from (`phase` in `outcomes.csv`).
public enum TrialPhase: String, CaseIterable, Sendable, Codable {
    /// The randomised comparison of a trial (including its subgroups).
    case randomised
    /// The open-label lead-in of a randomised-withdrawal trial (only its responders are randomised).
    case enrichment
    /// Open-label treatment after the randomised phase.
    case openLabelContinuation = "open_label_continuation"
    /// Uncontrolled studies and cohorts.
    case notRandomised = "not_randomised"

    public var displayName: String {
        switch self {
        case .randomised: return "randomised phase"
        case .enrichment: return "open-label enrichment phase"
        case .openLabelContinuation: return "open-label continuation"
        case .notRandomised: return "not randomised"
        }
    }
}
