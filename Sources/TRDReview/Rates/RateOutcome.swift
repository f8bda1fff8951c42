import MetaAnalysis

/// The binary outcomes `metaswift rates` aggregates.
public enum RateOutcome: String, CaseIterable, Sendable, Codable {
    case response, remission

    public var reportedOutcome: ReportedOutcome {
        switch self {
        case .response: return .response
        case .remission: return .remission
        }
    }
}
