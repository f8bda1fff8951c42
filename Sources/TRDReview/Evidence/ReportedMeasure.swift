import MetaAnalysis

/// How an outcome row reports its number (`measure` in `outcomes.csv`).
public enum ReportedMeasure: String, CaseIterable, Sendable, Codable {
    /// A count (`events`, with `total` when stated).
    case events
    /// A percentage without a stated denominator: listed, never pooled.
    case percent
    case meanChange = "mean_change"
    case endpointMean = "endpoint_mean"
    case baselineMean = "baseline_mean"
    /// An effect between arms or subgroups, as reported.
    case betweenGroup = "between_group"
    /// An effect versus baseline, as reported.
    case withinGroup = "within_group"
}
