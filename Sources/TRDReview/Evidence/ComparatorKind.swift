import MetaAnalysis

/// What the review's treatment is compared with: effects against placebo, against a waitlist and against another
/// active treatment answer different questions and are never pooled together.
public enum ComparatorKind: String, CaseIterable, Sendable, Codable {
    /// Placebo or active placebo (midazolam).
    case control
    /// Another active treatment (quetiapine XR, bupropion, rTMS, ...).
    case comparator
    /// No treatment yet (delayed treatment): effects against a waitlist run larger than against placebo.
    case waitlist

    /// The kind of the arm `row` as a comparator (nil for arms that are not controls or comparators).
    init?(_ row: TRDOutcome) {
        switch row.armRole {
        case .control: self = row.agent == .waitlist ? .waitlist : .control
        case .comparator: self = .comparator
        default: return nil
        }
    }

    public var displayName: String {
        switch self {
        case .control: return "vs placebo"
        case .comparator: return "vs active comparator"
        case .waitlist: return "vs waitlist"
        }
    }
}
