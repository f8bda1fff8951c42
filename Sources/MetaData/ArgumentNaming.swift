/// An input of a library call, or a library operation, that a front end exposes under a name of its own (the command
/// line's flags and commands). A library sentence that tells the user what to change names the input through
/// ``ArgumentNaming/current``, so the library holds no front-end words and a front end states its names in one place.
public enum ArgumentName: String, Sendable, CaseIterable {
    /// The escalc argument → column map (`columns:` of `EffectSizes.compute`).
    case columnMap
    /// The effect-size measure.
    case measure
    /// The user weights of GENQ/GENQM.
    case userWeights
    /// Leaving out studies with no events (or only events) in both groups.
    case drop00
    /// One slice of a resampling or GOSH run.
    case shard
    /// The kind of bootstrap (`BootstrapType`).
    case bootstrapType
    /// The moderators of a meta-regression.
    case moderators
    /// The output format of a report.
    case outputFormat
    /// The distribution of the prediction interval's critical value.
    case predictionInterval
    /// The operation that writes bootstrap shards.
    case bootstrapShards
    /// The operation that writes permutation shards.
    case permutationShards
    /// The columns whose values tell the analyses of a collection apart (`CSVGroupReader.keyColumns`).
    case analysisKeys
    /// The number of bootstrap replicates B.
    case replicates
    /// The number of permutations of a permutation test.
    case permutations
    /// The points of the GLMM's adaptive Gauss–Hermite quadrature.
    case quadraturePoints
    /// The estimation method of the GLMM (ML with a random effect, or EE without).
    case glmmEstimator
    /// The test and CI of the model's coefficients (`CoefficientTest`).
    case coefficientTest
    /// A τ² fixed by the user instead of estimated (`RandomEffectsOptions.fixedTauSquared`).
    case fixedTauSquared
    /// The τ² estimator of a random-effects model.
    case estimator
    /// The column giving each analysis of a collection its own effect-size measure.
    case measureColumn
    /// The column giving each analysis of a collection its own τ² estimators.
    case methodColumn
    /// The side of the funnel plot on which trim-and-fill looks for missing studies.
    case funnelSide
    /// Heterogeneity confidence intervals besides the default (`PoolingOptions.extraIntervals`).
    case extraIntervals

    /// The library's own name: the Swift argument label or type.
    public var libraryName: String {
        switch self {
        case .columnMap: return "columns"
        case .measure: return "measure"
        case .userWeights: return "userWeights"
        case .drop00: return "drop00"
        case .shard: return "shard"
        case .bootstrapType: return "type"
        case .moderators: return "moderators"
        case .outputFormat: return "format"
        case .predictionInterval: return "predictionInterval"
        case .bootstrapShards: return "Bootstrap.shardRange"
        case .permutationShards: return "PermutationTest shards"
        case .analysisKeys: return "keyColumns"
        case .replicates: return "replicates"
        case .permutations: return "iterations"
        case .quadraturePoints: return "quadraturePoints"
        case .glmmEstimator: return "estimator"
        case .coefficientTest: return "test"
        case .fixedTauSquared: return "fixedTauSquared"
        case .estimator: return "estimator"
        case .measureColumn: return "measureColumn"
        case .methodColumn: return "methodColumn"
        case .funnelSide: return "side"
        case .extraIntervals: return "extraIntervals"
        }
    }
}

/// How library sentences name an ``ArgumentName``: the library's names unless a front end binds its own for the
/// duration of a call (`ArgumentNaming.$current.withValue(myNames) { ... }`).
public struct ArgumentNaming: Sendable {
    private let name: @Sendable (ArgumentName) -> String

    public init(_ name: @escaping @Sendable (ArgumentName) -> String) { self.name = name }

    public func callAsFunction(_ argument: ArgumentName) -> String { name(argument) }

    /// The library's own names.
    public static let library = ArgumentNaming { $0.libraryName }

    /// The naming in force (task-local; bind it with `ArgumentNaming.bind` of MetaAnalysis so that parallel workers see it too).
    @TaskLocal public static var current: ArgumentNaming = .library
}
