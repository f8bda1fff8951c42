/// A note about a fitted model that the user should see (the library never prints; the CLI shows these).
public enum ModelDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// A closed-form τ² estimate was negative and set to 0 (metafor's `tau2.min = 0`).
    case tauSquaredTruncated(estimator: TauSquaredEstimator, value: Double)
    /// An iterative estimator stopped on the boundary τ² = 0.
    case tauSquaredOnBoundary(estimator: TauSquaredEstimator)
    /// Only one study: the pooled estimate is that study; τ² and heterogeneity are not estimable.
    case singleStudy
    /// A t-based test was asked for with k − p = 0 degrees of freedom; the normal distribution was used.
    case normalUsedForZeroDegreesOfFreedom(requested: CoefficientTest)
    /// Knapp–Hartung with the common-effect model (metafor computes it but warns it is not meant for EE).
    case knappHartungWithCommonEffect
    /// A study was left out because its effect size or variance is not available (NA after escalc).
    case studyOmitted(study: String, row: Int)

    public var description: String {
        switch self {
        case let .tauSquaredTruncated(estimator, value):
            return "The \(estimator.rawValue) estimate of tau^2 was negative (\(value)) and is truncated at 0."
        case let .tauSquaredOnBoundary(estimator):
            return "The \(estimator.rawValue) estimate of tau^2 is on the boundary (0)."
        case .singleStudy:
            return "Only one study: the pooled estimate is that study's; tau^2, Q, I^2 and H^2 are not estimable."
        case let .normalUsedForZeroDegreesOfFreedom(requested):
            return "The \(requested.rawValue) test needs k - p >= 1 degrees of freedom; the normal distribution was used."
        case .knappHartungWithCommonEffect:
            return "The Knapp-Hartung adjustment is meant for random-effects models; it was applied to the common-effect model as requested."
        case let .studyOmitted(study, row):
            return "Study '\(study)' (row \(row)) was omitted: its effect size or sampling variance is not available."
        }
    }
}
