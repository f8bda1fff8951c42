/// A Mantel–Haenszel, Peto or binomial–normal GLMM fit that cannot be computed although the data are valid.
public enum SparseDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The method does not pool this measure (e.g. MH with SMD).
    case unsupportedMeasure(method: String, measure: EffectMeasure, supported: [EffectMeasure])
    /// The pooled estimate is not defined for these data (e.g. no events in any study); `reason` says why.
    case notEstimable(method: String, measure: EffectMeasure, reason: String)
    /// The GLMM optimiser stopped without meeting its convergence test.
    case didNotConverge(model: String, iterations: Int, gradientNorm: Double, quadraturePoints: Int)

    public var description: String {
        switch self {
        case let .unsupportedMeasure(method, measure, supported):
            return "Method \(method) does not pool measure \(measure.rawValue); use one of \(supported.map(\.rawValue).joined(separator: ", "))."
        case let .notEstimable(method, measure, reason):
            return "The \(method) estimate of \(measure.rawValue) is not defined for these data: \(reason)."
        case let .didNotConverge(model, iterations, gradientNorm, quadraturePoints):
            return "The \(model) GLMM did not converge after \(iterations) iterations (gradient norm \(gradientNorm), "
                + "\(quadraturePoints)-point adaptive Gauss–Hermite quadrature); the estimates would not be reliable."
        }
    }
}
