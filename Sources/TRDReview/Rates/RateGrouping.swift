import MetaAnalysis

/// How single-arm rates are grouped before pooling (`--by`).
public enum RateGrouping: String, CaseIterable, Sendable, Codable {
    /// The review's treatment class.
    case `class`
    /// The arm's treatment.
    case agent
    /// The arm's treatment and route together (e.g. ketamine, intravenous).
    case route

    /// The group of an arm, as a stable key and a label.
    func group(of row: TRDOutcome) -> (key: String, label: String) {
        switch self {
        case .class: return (row.treatmentClass.rawValue, row.treatmentClass.displayName)
        case .agent: return (row.agent.rawValue, row.agent.displayName)
        case .route:
            let route = row.route?.rawValue ?? "unknown"
            return (row.agent.rawValue + "/" + route, row.agent.displayName + ", " + (row.route?.displayName ?? "route not stated"))
        }
    }
}
