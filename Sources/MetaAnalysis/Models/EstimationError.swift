import MetaData

/// A model that could not be fitted although the data are valid: one error type for every estimation method of
/// the library (τ² solvers, Mantel–Haenszel, Peto, the binomial–normal GLMM).
public enum EstimationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The solver did not reach the tolerance within `iterations`; `lastStep` is the size of its last update.
    case didNotConverge(estimator: TauSquaredEstimator, iterations: Int, lastStep: Double)
    /// An estimator needs user weights (`--weights column`) and none were given.
    case userWeightsRequired(estimator: TauSquaredEstimator)
    /// No τ² up to `searchLimit` solves the estimating equation.
    case rootNotBracketed(estimator: TauSquaredEstimator, searchLimit: Double)
    /// The weighted χ² distribution needed by GENQ/GENQM intervals and GENQM could not be evaluated accurately.
    case distributionNotComputable(detail: String)
    /// A method for sparse binary data (MH, Peto, GLMM) does not pool this measure (e.g. MH with SMD).
    case unsupportedMeasure(method: String, measure: EffectMeasure, supported: [EffectMeasure])
    /// The pooled estimate is not defined for these data (e.g. no events in any study); `reason` says why.
    case notEstimable(method: String, measure: EffectMeasure, reason: String)
    /// The GLMM optimiser stopped without meeting its convergence test, with the figures that show how far it got.
    case glmmDidNotConverge(model: GLMMModel, iterations: Int, gradientNorm: Double, quadraturePoints: Int)

    public var description: String {
        switch self {
        case let .didNotConverge(estimator, iterations, lastStep):
            return "The \(estimator.rawValue) estimator of tau^2 did not converge in \(iterations) iterations "
                + "(last step \(lastStep)); try another method."
        case let .userWeightsRequired(estimator):
            return "Method \(estimator.rawValue) needs user weights; give them with \(ArgumentNaming.current(.userWeights)) COLUMN."
        case let .rootNotBracketed(estimator, limit):
            return "The \(estimator.rawValue) estimating equation has no solution for tau^2 up to \(limit)."
        case let .distributionNotComputable(detail):
            return "The distribution of the generalized Q statistic could not be computed: \(detail)."
        case let .unsupportedMeasure(method, measure, supported):
            return "Method \(method) does not pool measure \(measure.rawValue); use one of \(supported.map(\.rawValue).joined(separator: ", "))."
        case let .notEstimable(method, measure, reason):
            return "The \(method) estimate of \(measure.rawValue) is not defined for these data: \(reason)."
        case let .glmmDidNotConverge(model, iterations, gradientNorm, quadraturePoints):
            return "The \(model.rawValue) GLMM did not converge after \(iterations) iterations (gradient norm \(gradientNorm), "
                + "\(quadraturePoints)-point adaptive Gauss–Hermite quadrature); the estimates would not be reliable."
        }
    }
}
