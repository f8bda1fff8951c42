import MetaData
import MetaNumerics

/// Leave-one-out analysis (metafor's `leave1out`): the model refitted k times, each time without one study,
/// with τ² re-estimated by the model's estimator.
///
/// Each refit is a pass of `StudySubsetKernel` over the shared arrays with the deleted study skipped, so
/// nothing is copied and the whole analysis costs O(k²·iterations) time and O(k) memory.
public struct LeaveOneOutAnalysis: Sendable {
    public let studies: [String]
    /// Entry i: the fit without study i.
    public let fits: [SubsetFit]

    /// - Parameters:
    ///   - model: an intercept-only model with at least 2 studies.
    ///   - threads: worker threads (nil: all processors); results do not depend on it.
    /// - Throws: `InputError.tooFewStudies` for k < 2; `EstimationError` when a refit's τ² cannot be estimated.
    public init(model: RandomEffectsModel, threads: Int? = nil) throws {
        let k = model.studyCount
        guard k >= 2 else { throw InputError.tooFewStudies(found: k, needed: 2, analysis: "Leave-one-out analysis") }
        studies = model.studies
        let kernel = StudySubsetKernel(model: model)
        let options = model.options
        let results = ParallelLoop.map(k, threads: threads) { i in
            Result { () throws(EstimationError) -> SubsetFit in try SubsetFit(kernel: kernel.without(i), options: options) }
        }
        fits = try results.map { try $0.get() }
    }
}

extension StudySubsetKernel {
    /// All of `model`'s studies, centred at its estimate.
    init(model: RandomEffectsModel) {
        self.init(effects: model.effectSizes, variances: model.samplingVariances, userWeights: model.userWeights,
                  centre: model.estimate)
    }
}
