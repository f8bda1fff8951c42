import MetaData

extension ArgumentNaming {
    /// The command line's names for the library's arguments and operations: the one place where the library's
    /// sentences get flag names (bound for every command by `MetaSwiftCommand.execute`).
    static let commandLine = ArgumentNaming { argument in
        switch argument {
        case .columnMap: return "--map"
        case .measure: return "--measure"
        case .userWeights: return "--weights"
        case .drop00: return "--drop00"
        case .shard: return "--shard"
        case .bootstrapType: return "--type"
        case .moderators: return "--mods"
        case .outputFormat: return "--format"
        case .predictionInterval: return "--pi"
        case .bootstrapShards: return "metaswift bootstrap --shard"
        case .permutationShards: return "metaswift permute --shard"
        case .analysisKeys: return "--by"
        case .replicates: return "--replicates"
        case .permutations: return "--iterations"
        case .quadraturePoints: return "--quadrature-points"
        case .glmmEstimator: return "--glmm-method"
        case .coefficientTest: return "--test"
        case .fixedTauSquared: return "--tau2"
        case .estimator: return "--method"
        case .measureColumn: return "--measure-column"
        case .methodColumn: return "--method-column"
        case .funnelSide: return "--side"
        case .extraIntervals: return "--tau2-ci"
        }
    }
}
