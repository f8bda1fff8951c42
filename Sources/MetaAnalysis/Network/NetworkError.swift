/// Network data that cannot form a network meta-analysis: one sentence naming the row, study or treatment at fault
/// and what was expected. Rows are data rows numbered from 1.
public enum NetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A contrast of a treatment with itself.
    case sameTreatment(row: Int, treatment: String)
    /// A study with one arm (arm-level data) or one treatment.
    case singleArm(study: String)
    /// Two arms of one study with the same treatment (arm-level data).
    case repeatedArm(study: String, treatment: String)
    /// `--reference` names no treatment of the data.
    case unknownReference(String, treatments: [String])
    /// Treatments that no chain of comparisons links to the reference.
    case disconnected(treatments: [String], reference: String)
    /// An effect measure that has no arm-level statistic here.
    case measureNotFromArms(String, available: [String])
    /// Per-contrast arrays of different lengths.
    case lengthMismatch(what: String, count: Int, expected: Int)
    /// Fewer than two treatments.
    case tooFewTreatments(Int)

    public var description: String {
        func list(_ names: [String]) -> String {
            let shown = names.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
            return names.count > 8 ? shown + ", … (\(names.count) treatments)" : shown
        }
        switch self {
        case let .sameTreatment(row, treatment):
            return "Row \(row) compares treatment '\(treatment)' with itself; expected two different treatments."
        case let .singleArm(study):
            return "Study '\(study)' has a single treatment; expected at least two arms per study."
        case let .repeatedArm(study, treatment):
            return "Study '\(study)' has two arms of treatment '\(treatment)'; expected one row per treatment and study (combine those arms first)."
        case let .unknownReference(reference, treatments):
            return "The reference treatment '\(reference)' is not in the data; expected one of \(list(treatments))."
        case let .disconnected(treatments, reference):
            return "The network is not connected: no chain of comparisons links \(list(treatments)) to the reference '\(reference)'; expected one connected network (analyse the parts separately)."
        case let .measureNotFromArms(measure, available):
            return "The measure \(measure) cannot be computed from arm-level data here; expected one of \(available.joined(separator: ", ")) (or give contrasts with their covariance)."
        case let .lengthMismatch(what, count, expected):
            return "\(what) has \(count) values; expected \(expected), one per contrast."
        case let .tooFewTreatments(count):
            return "The data have \(count) treatment; expected at least two."
        }
    }
}
