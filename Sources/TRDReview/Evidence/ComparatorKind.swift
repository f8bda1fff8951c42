import MetaAnalysis

/// What the review's treatment is compared with: effects against a control and against another active treatment
/// answer different questions and are never pooled together.
public enum ComparatorKind: String, CaseIterable, Sendable, Codable {
    /// Placebo, active placebo (midazolam) or waitlist.
    case control
    /// Another active treatment (quetiapine XR, bupropion, rTMS, ...).
    case comparator

    init?(_ role: ArmRole) {
        switch role {
        case .control: self = .control
        case .comparator: self = .comparator
        default: return nil
        }
    }

    public var displayName: String { self == .control ? "vs control" : "vs active comparator" }
}
