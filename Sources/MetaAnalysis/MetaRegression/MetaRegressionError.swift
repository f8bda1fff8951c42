import MetaData

/// A meta-regression or subgroup analysis that cannot be set up from the data given: each case names the
/// moderator columns (or coefficients) at fault. `description` is the one sentence the CLI prints.
public enum MetaRegressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The design has at least as many coefficients as there are studies (k − p must be ≥ 1).
    case tooManyCoefficients(coefficients: Int, studies: Int)
    /// A categorical moderator (or subgrouping column) takes a single value among the studies used.
    case singleLevel(column: String, level: String)
    /// A continuous moderator has the same value in every study used (it is collinear with the intercept).
    case constantModerator(column: String, value: Double)
    /// These coefficients' columns are linear combinations of earlier columns of the design (R's pivoting rule).
    case linearlyDependent(coefficients: [String], moderators: [String])
    /// The weighted design became numerically singular while fitting (extreme variances or moderator scales).
    case singularWeightedDesign(coefficients: [String])
    /// A moderator was named twice.
    case duplicateModerator(column: String)
    /// The model would have no coefficient at all (no intercept and no moderator).
    case emptyDesign
    /// The covariance matrix of the moderator coefficients is not positive definite, so QM cannot be formed.
    case singularCovariance(coefficients: [String])
    /// A `--predict` value names a column that is not a moderator of the model.
    case unknownPredictionVariable(name: String, moderators: [String])
    /// A `--predict` point leaves out a moderator.
    case missingPredictionValue(column: String)
    /// A `--predict` value of a categorical moderator is not one of its levels.
    case unknownLevel(column: String, value: String, levels: [String])
    /// A `--predict` value of a continuous moderator is not a finite number.
    case predictionValueNotNumber(column: String, value: String)
    /// A `--predict` point is not written as `name=value,name=value`.
    case malformedPredictionPoint(text: String)
    /// A moderator formula (`~ year + deltype`) that cannot be read.
    case malformedFormula(String, reason: String)

    public var description: String {
        switch self {
        case let .malformedFormula(text, reason):
            return "The moderator formula '\(text)' cannot be read: \(reason); expected R's form '~ a + b', '~ 0 + f' or '~ 1'."
        case let .tooManyCoefficients(p, k):
            return "The model has \(p) coefficients but only \(k) studies; a meta-regression needs more studies than coefficients."
        case let .singleLevel(column, level):
            return "Column '\(column)' has a single level ('\(level)') among the studies used; a categorical moderator or subgrouping needs at least two levels."
        case let .constantModerator(column, value):
            return "Moderator '\(column)' has the same value (\(Self.format(value))) in every study; a constant moderator cannot be estimated beside the intercept."
        case let .linearlyDependent(coefficients, moderators):
            return "The design is rank deficient: coefficient\(coefficients.count == 1 ? "" : "s") "
                + coefficients.map { "'\($0)'" }.joined(separator: ", ")
                + " (from moderator\(moderators.count == 1 ? "" : "s") " + moderators.map { "'\($0)'" }.joined(separator: ", ")
                + ") \(coefficients.count == 1 ? "is a linear combination" : "are linear combinations") of earlier columns; remove or recode \(moderators.count == 1 ? "it" : "them")."
        case let .singularWeightedDesign(coefficients):
            return "The weighted design with coefficients \(coefficients.joined(separator: ", ")) is numerically singular; rescale the moderators or check the sampling variances."
        case let .duplicateModerator(column):
            return "Moderator '\(column)' is named more than once."
        case .emptyDesign:
            return "The model has no coefficients: give at least one moderator or keep the intercept."
        case let .singularCovariance(coefficients):
            return "The covariance matrix of coefficients \(coefficients.joined(separator: ", ")) is singular; the omnibus test cannot be computed."
        case let .unknownPredictionVariable(name, moderators):
            return "Prediction value '\(name)' is not a moderator of the model; expected one of \(moderators.joined(separator: ", "))."
        case let .missingPredictionValue(column):
            return "The prediction point gives no value for moderator '\(column)'; give every moderator as name=value."
        case let .unknownLevel(column, value, levels):
            return "'\(value)' is not a level of moderator '\(column)'; expected one of \(levels.joined(separator: ", "))."
        case let .predictionValueNotNumber(column, value):
            return "Moderator '\(column)' is continuous; expected a finite number for the prediction, found '\(value)'."
        case let .malformedPredictionPoint(text):
            return "The prediction point '\(text)' is not of the form name=value,name=value."
        }
    }

    private static func format(_ x: Double) -> String {
        NumberText.plain(x)
    }
}
