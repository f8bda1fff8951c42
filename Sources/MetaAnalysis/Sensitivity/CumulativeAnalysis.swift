import MetaData
import MetaNumerics

/// Cumulative meta-analysis (metafor's `cumul`): the model refitted on the first 1, 2, …, k studies in a
/// chosen order (e.g. publication year), with τ² re-estimated by the model's estimator at each step.
public struct CumulativeAnalysis: Sendable {
    /// Study indices (0-based, into the model's studies) in cumulative order.
    public let order: [Int]
    /// Study labels in cumulative order.
    public let studies: [String]
    /// Entry j: the fit on the first j + 1 studies in `order`.
    public let fits: [SubsetFit]

    /// - Parameters:
    ///   - model: an intercept-only model.
    ///   - keys: one sort key per study; studies are taken in stable ascending order of the keys (ties keep
    ///     the model's study order), as R's `order()` sorts. Nil: the model's order.
    ///   - threads: worker threads (nil: all processors); results do not depend on it.
    /// - Throws: `InputError` when `keys` has the wrong length or a non-finite key; `EstimationError` when a
    ///   fit's τ² cannot be estimated.
    public init(model: RandomEffectsModel, orderedBy keys: [Double]? = nil, threads: Int? = nil) throws {
        let k = model.studyCount
        var order = Array(0..<k)
        if let keys {
            guard keys.count == k else {
                throw InputError.invalidOption(name: "order", value: "\(keys.count) values", expected: "one sort key per study (\(k))")
            }
            for (i, key) in keys.enumerated() where !key.isFinite {
                throw InputError.notFinite(row: i + 1, column: "order", value: String(key))
            }
            // Swift's sort is not guaranteed stable: break ties by position.
            order.sort { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        }
        self.order = order
        let labels = model.studies
        studies = order.map { labels[$0] }
        let kernel = StudySubsetKernel(effects: order.map { model.effectSizes[$0] },
                                       variances: order.map { model.samplingVariances[$0] },
                                       userWeights: model.userWeights.map { a in order.map { a[$0] } },
                                       centre: model.estimate)
        let options = model.options
        let results = ParallelLoop.map(k, threads: threads) { j in
            Result { () throws(EstimationError) -> SubsetFit in try SubsetFit(kernel: kernel.first(j + 1), options: options) }
        }
        fits = try results.map { try $0.get() }
    }
}
