import MetaAnalysis

/// What an outcome row measures (`outcome` in `outcomes.csv`).
public enum ReportedOutcome: String, CaseIterable, Sendable, Codable {
    case response, remission
    case partialResponse = "partial_response"
    case responseOrPartialResponse = "response_or_partial_response"
    case relapse
    case remissionWithoutRelapse = "remission_without_relapse"
    case madrs, hamd17, hamd6
    case qidsSR16 = "qids_sr16"
    case phq9, bdi
    case suicidalIdeation = "suicidal_ideation"
    case madrsSuicideItem = "madrs_suicide_item"
    case hamdSuicideItem = "hamd_suicide_item"
    case fatigue, wellbeing, hospitalisation

    /// A depression rating scale's total score (continuous outcomes that can be pooled as SMDs).
    public var isDepressionScale: Bool {
        switch self {
        case .madrs, .hamd17, .hamd6, .qidsSR16, .phq9, .bdi: return true
        default: return false
        }
    }

    public var displayName: String {
        switch self {
        case .madrs: return "MADRS"
        case .hamd17: return "HAM-D17"
        case .hamd6: return "HAM-D6"
        case .qidsSR16: return "QIDS-SR16"
        case .phq9: return "PHQ-9"
        case .bdi: return "BDI"
        default: return rawValue.replacingUnderscores()
        }
    }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
