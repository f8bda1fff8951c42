/// The raw results of a run of bootstrap replicates `replicates` (all of them, or one shard's slice):
/// per replicate one value per statistic, NaN where the refit failed, and the failures with their reason.
///
/// Replicate b's values depend only on (data, options, seed, b), so slices computed anywhere and merged in
/// replicate order are exactly the values of one run over all replicates.
public struct BootstrapReplicates: Sendable, Equatable {
    /// The statistics' names, in column order (e.g. `beta`, `tau2`, `I2`, `H2`).
    public var statisticNames: [String]
    /// The replicate numbers held (0-based, of the whole run 0..<B).
    public var replicates: Range<Int>
    /// Row-major values: replicate `replicates.lowerBound + r` holds `values[r·m ..< (r+1)·m]`.
    public var values: [Double]
    /// The replicates whose refit failed (their values are NaN), in replicate order.
    public var failures: [BootstrapFailure]

    public init(statisticNames: [String], replicates: Range<Int>, values: [Double], failures: [BootstrapFailure]) {
        precondition(values.count == replicates.count * statisticNames.count, "one value per replicate and statistic")
        self.statisticNames = statisticNames
        self.replicates = replicates
        self.values = values
        self.failures = failures
    }

    /// The values of statistic `column` over the replicates held, in replicate order.
    public func column(_ column: Int) -> [Double] {
        let m = statisticNames.count
        return (0..<replicates.count).map { values[$0 * m + column] }
    }

    /// Joins slices that together hold the replicates 0..<`total` exactly once (in any order given).
    ///
    /// - Throws: `ResamplingError.shardsDoNotCover` when a replicate is missing or held twice,
    ///   `.shardsDisagree` when the slices record different statistics.
    public static func merged(_ slices: [BootstrapReplicates], total: Int) throws(ResamplingError) -> BootstrapReplicates {
        guard let first = slices.first else { throw .shardsDoNotCover(missing: 0..<total, duplicated: nil) }
        for slice in slices where slice.statisticNames != first.statisticNames {
            throw .shardsDisagree(field: "statistics", values: [first.statisticNames.joined(separator: ","),
                                                                slice.statisticNames.joined(separator: ",")])
        }
        let ordered = try ShardCoverage.order(slices.map(\.replicates), total: total).map { slices[$0] }
        return BootstrapReplicates(statisticNames: first.statisticNames, replicates: 0..<total,
                                   values: ordered.flatMap(\.values), failures: ordered.flatMap(\.failures))
    }
}

/// A replicate whose refit failed: which one and why (the estimator's error sentence).
public struct BootstrapFailure: Sendable, Equatable {
    public var replicate: Int
    public var reason: String

    public init(replicate: Int, reason: String) {
        self.replicate = replicate
        self.reason = reason
    }
}
