import MetaData

/// The coordinates of a Baujat plot (Baujat et al. 2002): for each study, its contribution to the
/// heterogeneity statistic against its influence on the pooled estimate.
///
///     x_i = (y_i − μ̂)² / (v_i + τ̂²)                    (full-model μ̂ and τ̂²)
///     y_i = (μ̂₍₋ᵢ₎ − μ̂)² / Var(μ̂₍₋ᵢ₎)                  (τ² re-estimated without study i)
///
/// For the common-effect model x_i is study i's term of Cochran's Q, as in Baujat et al.; metafor
/// generalises it to random-effects models as above.
public struct BaujatAnalysis: Sendable {
    public let studies: [String]
    public let x: [Double]
    public let y: [Double]

    /// - Throws: `InputError.tooFewStudies` for k < 2; `EstimationError` when a refit's τ² cannot be estimated.
    public init(model: RandomEffectsModel, threads: Int? = nil) throws {
        try self.init(model: model, leaveOneOut: LeaveOneOutAnalysis(model: model, threads: threads))
    }

    public init(model: RandomEffectsModel, leaveOneOut: LeaveOneOutAnalysis) {
        let mu = model.estimate, t2 = model.tauSquared
        studies = model.studies
        x = zip(model.effectSizes, model.samplingVariances).map { ($0 - mu) * ($0 - mu) / ($1 + t2) }
        y = leaveOneOut.fits.map { f in (f.estimate - mu) * (f.estimate - mu) / (f.standardError * f.standardError) }
    }
}
