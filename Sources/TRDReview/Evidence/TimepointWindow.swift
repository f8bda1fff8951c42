import MetaAnalysis

/// The window of follow-up outcomes pool within (`timepoint_window` in `outcomes.csv`): days from the start of
/// (randomised) treatment, or the printed timepoint where the source gives no day.
public enum TimepointWindow: String, CaseIterable, Sendable, Codable, Comparable {
    case baseline
    /// ≤ 2 days.
    case acute
    /// 3–21 days.
    case early
    /// 22–91 days (up to 13 weeks or 3 months).
    case medium
    /// Later than 13 weeks.
    case long
    /// Timing not fixed by the source: never pooled across studies.
    case unknown

    public var displayName: String {
        switch self {
        case .baseline: return "baseline"
        case .acute: return "0-2 days"
        case .early: return "3-21 days"
        case .medium: return "3-13 weeks"
        case .long: return "over 13 weeks"
        case .unknown: return "timing not stated"
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
