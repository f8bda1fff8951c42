/// A note about one study's effect size that the user should see. The library never prints; the CLI renders these.
public enum EffectSizeDiagnostic: Equatable, Sendable, CustomStringConvertible {
    /// `added` was added to the study's counts (the cells of its 2×2 table, its events and non-events, or its
    /// event counts) before computing the effect size.
    case continuityCorrection(study: String, row: Int, added: Double)
    /// A two-group study with no events in both groups (or only events in both): with `drop00` it is left out
    /// (`yi`, `vi` NA), otherwise it is kept.
    case doubleZero(study: String, row: Int, dropped: Bool)
    /// The effect size or its variance is not a finite number (e.g. a log of zero without correction):
    /// it is reported as NA, as metafor does.
    case notEstimable(study: String, row: Int)

    public var study: String {
        switch self {
        case let .continuityCorrection(study, _, _), let .doubleZero(study, _, _), let .notEstimable(study, _): return study
        }
    }

    public var row: Int {
        switch self {
        case let .continuityCorrection(_, row, _), let .doubleZero(_, row, _), let .notEstimable(_, row): return row
        }
    }

    /// A short code for machine-readable output.
    public var code: String {
        switch self {
        case .continuityCorrection: return "continuity_correction"
        case .doubleZero(_, _, let dropped): return dropped ? "double_zero_dropped" : "double_zero_kept"
        case .notEstimable: return "not_estimable"
        }
    }

    public var description: String {
        switch self {
        case let .continuityCorrection(study, row, added):
            return "Row \(row) (\(study)): \(formatAmount(added)) added to each count (continuity correction)."
        case let .doubleZero(study, row, dropped):
            return dropped
                ? "Row \(row) (\(study)): no events (or only events) in both groups; study left out (drop00)."
                : "Row \(row) (\(study)): no events (or only events) in both groups; study kept."
        case let .notEstimable(study, row):
            return "Row \(row) (\(study)): the effect size or its variance is not finite; reported as NA."
        }
    }
}

private func formatAmount(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
}
