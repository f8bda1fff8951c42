/// A model that could not be fitted although the data are valid.
public enum EstimationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The solver did not reach the tolerance within `iterations`; `lastStep` is the size of its last update.
    case didNotConverge(estimator: TauSquaredEstimator, iterations: Int, lastStep: Double)
    /// An estimator needs user weights (`--weights column`) and none were given.
    case userWeightsRequired(estimator: TauSquaredEstimator)
    /// No τ² up to `searchLimit` solves the estimating equation.
    case rootNotBracketed(estimator: TauSquaredEstimator, searchLimit: Double)
    /// The weighted χ² distribution needed by GENQ/GENQM intervals and GENQM could not be evaluated accurately.
    case distributionNotComputable(detail: String)

    public var description: String {
        switch self {
        case let .didNotConverge(estimator, iterations, lastStep):
            return "The \(estimator.rawValue) estimator of tau^2 did not converge in \(iterations) iterations "
                + "(last step \(lastStep)); try another method."
        case let .userWeightsRequired(estimator):
            return "Method \(estimator.rawValue) needs user weights; give them with --weights COLUMN."
        case let .rootNotBracketed(estimator, limit):
            return "The \(estimator.rawValue) estimating equation has no solution for tau^2 up to \(limit)."
        case let .distributionNotComputable(detail):
            return "The distribution of the generalized Q statistic could not be computed: \(detail)."
        }
    }
}
