/// Why cluster-robust inference cannot be computed: one sentence naming what was expected.
public enum ClusterRobustError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The cluster labels are not one per effect.
    case clusterCountMismatch(labels: Int, effects: Int)
    /// Every effect is in one cluster.
    case singleCluster(label: String)
    /// Too few clusters for the number of coefficients (m − p must be ≥ 1).
    case tooFewClusters(clusters: Int, coefficients: Int)
    /// A block of the model's marginal covariance spans two clusters: the random effects are not nested in them.
    case notNested(rowA: Int, rowB: Int)
    /// The model was fitted with user weights, not with the inverse of its marginal covariance.
    case unsupportedWeights
    /// The model's marginal covariance is not a valid covariance matrix.
    case invalidMarginalCovariance(String)
    /// A cluster's block of the marginal covariance, or X'WX, is not positive definite.
    case notPositiveDefinite(what: String)

    public var description: String {
        switch self {
        case let .clusterCountMismatch(labels, effects):
            return "Cluster-robust inference got \(labels) cluster labels for \(effects) effects; expected one per effect."
        case let .singleCluster(label):
            return "Every effect is in cluster '\(label)'; cluster-robust inference needs at least two clusters."
        case let .tooFewClusters(clusters, coefficients):
            return "Cluster-robust inference with \(coefficients) coefficient\(coefficients == 1 ? "" : "s") needs more than \(coefficients) clusters; found \(clusters)."
        case let .notNested(a, b):
            return "Effects \(a + 1) and \(b + 1) covary in the model but are in different clusters; expected clusters that contain every random effect's grouping (e.g. the outermost level)."
        case .unsupportedWeights:
            return "Cluster-robust inference needs a model fitted with inverse-variance weights; this one has user weights."
        case let .invalidMarginalCovariance(reason):
            return "The model's marginal covariance cannot be used: \(reason)"
        case let .notPositiveDefinite(what):
            return "\(what) is not positive definite; cluster-robust inference needs it inverted."
        }
    }
}
