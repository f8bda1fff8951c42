import MetaNumerics

/// What one bootstrap run, or one shard of it, computes: the jackknife (for BCa) and the replicates of its slice.
public struct BootstrapRun: Sendable, Equatable {
    /// The statistics with each study left out in turn (``Bootstrap/jackknife(threads:)``).
    public let jackknife: [[Double]?]
    /// The replicates of the run's slice.
    public let replicates: BootstrapReplicates
}

extension Bootstrap {
    /// The jackknife, then replicates `slice` (all of 0..<`replicateCount` by default) of a run of `replicateCount`.
    ///
    /// - Parameter progress: called with the number of refits finished since the last call: the k jackknife refits
    ///   at once, then the replicates as they finish (from any thread).
    /// - Throws: `ResamplingError.tooManyReplicates` before any work when the whole run could not be held in memory;
    ///   what ``run(replicates:threads:progress:)`` throws.
    public func run(replicateCount: Int, slice: Range<Int>? = nil, threads: Int = ParallelLoop.defaultThreadCount,
                    progress: (@Sendable (Int) -> Void)? = nil) throws(ResamplingError) -> BootstrapRun {
        try checkReplicateCount(replicateCount)
        let jackknife = jackknife(threads: threads)
        progress?(studyCount)
        let replicates = try run(replicates: slice ?? 0..<replicateCount, threads: threads, progress: progress)
        return BootstrapRun(jackknife: jackknife, replicates: replicates)
    }
}

extension BootstrapSummary {
    /// The summary of a whole run of a model fitted with `estimator`: each basic interval truncated to its
    /// parameter's range (``parameterRanges(statisticNames:estimator:)``).
    public init(estimates: [Double], jackknife: [[Double]?], replicates: BootstrapReplicates, level: Double,
                estimator: TauSquaredEstimator) {
        self.init(estimates: estimates, jackknife: jackknife, replicates: replicates, level: level,
                  ranges: Self.parameterRanges(statisticNames: replicates.statisticNames, estimator: estimator))
    }
}
