import MetaAnalysis

/// How a binary outcome was defined (`definition_code` in `outcomes.csv`). Rows whose definition no quote gives
/// (`notStated`) are never pooled across studies: two unstated definitions are not known to agree.
public enum OutcomeDefinition: String, CaseIterable, Sendable, Codable {
    case madrsReductionAtLeast50 = "madrs_reduction_ge50"
    case madrsAtMost10 = "madrs_le10"
    /// IRL-GRey: MADRS ≤ 10 and ≥ 2 points below the randomisation score at both of the last two visits.
    case madrsAtMost10TwoVisits = "madrs_le10_two_visits"
    /// Glue 2024: MADRS ≤ 12 and a ≥ 50% reduction.
    case madrsAtMost12AndReduction50 = "madrs_le12_and_reduction_ge50"
    /// ESCAPE-TRD's key secondary end-point: remission at week 8 and no relapse to week 32.
    case madrsAtMost10ThenNoRelapse = "madrs_le10_then_no_relapse"
    case hamd17Below8Sustained = "hamd17_lt8_sustained"
    case qidsReductionAtLeast20 = "qids_reduction_ge20"
    case notStated = "not_stated"

    public var displayName: String {
        switch self {
        case .madrsReductionAtLeast50: return "MADRS reduction >= 50%"
        case .madrsAtMost10: return "MADRS <= 10"
        case .madrsAtMost10TwoVisits: return "MADRS <= 10 at two consecutive visits"
        case .madrsAtMost12AndReduction50: return "MADRS <= 12 and reduction >= 50%"
        case .madrsAtMost10ThenNoRelapse: return "MADRS <= 10 at week 8, no relapse to week 32"
        case .hamd17Below8Sustained: return "HAM-D-17 < 8, sustained"
        case .qidsReductionAtLeast20: return "QIDS-SR16 reduction >= 20%"
        case .notStated: return "definition not stated"
        }
    }
}
