/// Inputs from which `VarianceCalculation` cannot build V: one sentence naming the argument (vcalc's name) and
/// the effect (1-based) at fault.
public enum VarianceCalculationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An input array whose length is not the number of effects.
    case lengthMismatch(argument: String, count: Int, expected: Int)
    /// A variance, weight, time or reported covariance that is out of range (`row` 0-based).
    case invalidValue(argument: String, row: Int, value: Double, expected: String)
    /// A correlation ρ or autocorrelation φ outside [-1, 1].
    case invalidCorrelation(argument: String, value: Double, expected: String)
    /// A contrast whose two groups are the same group at the same time: its variance factor is not positive.
    case degenerateContrast(row: Int)
    /// A cluster with more effects than reported covariance columns (`rvars`).
    case tooFewReportedColumns(cluster: String, effects: Int, columns: Int)
    /// The resulting matrix is not a valid V.
    case invalidCovariance(SamplingCovarianceError)

    public var description: String {
        switch self {
        case let .lengthMismatch(argument, count, expected):
            return "\(argument) has \(count) values; expected \(expected), one per effect."
        case let .invalidValue(argument, row, value, expected):
            return "Effect \(row + 1), \(argument): expected \(expected); found \(value)."
        case let .invalidCorrelation(argument, value, expected):
            return "\(argument) is \(value); expected \(expected)."
        case let .degenerateContrast(row):
            return "Effect \(row + 1) compares a group with itself (grp1 = grp2 at the same time); expected two different groups."
        case let .tooFewReportedColumns(cluster, effects, columns):
            return "Cluster '\(cluster)' has \(effects) effects but rvars names \(columns) columns; expected at least one column per effect of the largest cluster."
        case let .invalidCovariance(error):
            return error.description
        }
    }
}
