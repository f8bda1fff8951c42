import MetaData

/// The whole of a pooled (intercept-only) analysis in one value: effect sizes → random-effects (or common-effect)
/// model → heterogeneity intervals → prediction interval → back-transformation, with what was noted on the way.
///
/// The one entry point the command line's `pool`, `plot forest`, bias, sensitivity and resampling commands use, and
/// the one a Swift caller uses:
///
/// ```swift
/// let data = StudyData.precomputed(studies: ["A", "B", "C", "D", "E"],
///                                  yi: [-0.89, -1.59, -1.35, -1.44, -0.22], vi: [0.33, 0.19, 0.42, 0.02, 0.05])
/// let analysis = try PooledAnalysis.pool(data)
/// print(analysis.model.estimate, analysis.prediction.predictionLower, analysis.prediction.predictionUpper)
/// ```
public struct PooledAnalysis: Sendable {
    /// The per-study effect sizes of every row of the data (NaN where not estimable).
    public let effectSizes: EffectSizes
    /// Rows (0-based) of the data the model is fitted to: those with a finite effect size and variance.
    public let rows: [Int]
    /// The fitted model.
    public let model: RandomEffectsModel
    /// The heterogeneity intervals metafor's `confint` gives by default (Q-profile, or generalized Q-profile for
    /// GENQ/GENQM); nil when not requested, for the common-effect model and for k = 1.
    public let heterogeneityIntervals: HeterogeneityConfidenceIntervals?
    /// The Q-profile intervals besides the generalized ones of a GENQ/GENQM fit (nil otherwise).
    public let qProfileIntervals: HeterogeneityConfidenceIntervals?
    /// The intervals of `PoolingOptions.extraIntervals` that are defined for this fit, in that order.
    public let extraIntervals: [HeterogeneityConfidenceIntervals]
    /// How estimates map to the measure's natural scale (exp for log ratios, Miller's inverse with the harmonic
    /// mean n for PFT, ...); nil for measures already on it.
    public let backTransformation: BackTransformation?
    /// Studies left out of the model because their effect size is not estimable (`ModelDiagnostic.studyOmitted`).
    public let omittedStudies: [ModelDiagnostic]

    /// The pooled estimate with its confidence and prediction intervals, on the analysis scale.
    public var prediction: Prediction { model.prediction }
    /// The same on the natural scale (equal to `prediction` when there is no back-transformation).
    public var backTransformedPrediction: Prediction { backTransformation.map { prediction.transformed(by: $0) } ?? prediction }
    /// What the effect-size step noted (continuity corrections, not-estimable studies), then the studies omitted.
    public var inputNotes: [String] { effectSizes.inputNotes }

    /// Pools study data in one call: computes the effect sizes of `measure`, fits the model to the estimable
    /// studies, and computes the intervals `options` asks for.
    ///
    /// - Parameters:
    ///   - data: one row per study: a ``StudyData`` of typed arrays or a ``DataTable`` read from CSV.
    ///   - measure: the escalc measure; `.generic` (GEN) reads precomputed `yi` with `vi` or `sei`.
    ///   - columns: escalc argument → column, for columns named otherwise.
    ///   - userWeights: one weight per row of `data` (GENQ and GENQM need them).
    /// - Throws: `InputError` for bad data (row and column named) or for `extraIntervals` on a model that estimates no
    ///   τ²; `EstimationError` when the model cannot be fitted.
    public static func pool(_ data: any StudyColumns, measure: EffectMeasure = .generic,
                            columns: [EscalcArgument: String] = [:], userWeights: [Double]? = nil,
                            options: PoolingOptions = PoolingOptions()) throws -> PooledAnalysis {
        let sizes = try EffectSizes.compute(measure: measure, data: data, columns: columns, options: options.escalc)
        return try pool(sizes, of: data, columns: columns, userWeights: userWeights, options: options)
    }

    /// Pools effect sizes already computed from `data` (the step after `EffectSizes.compute`, for callers that
    /// report the two steps' errors differently).
    ///
    /// - Parameters:
    ///   - data: the data `effectSizes` came from; read only for the PFT back-transformation's sample sizes.
    ///   - userWeights: one weight per row of `data`.
    public static func pool(_ effectSizes: EffectSizes, of data: any StudyColumns, columns: [EscalcArgument: String] = [:],
                            userWeights: [Double]? = nil, options: PoolingOptions = PoolingOptions()) throws -> PooledAnalysis {
        let rows = effectSizes.availableIndices
        let model = try RandomEffectsModel.fit(effectSizes: rows.map { effectSizes.yi[$0] },
                                               samplingVariances: rows.map { effectSizes.vi[$0] },
                                               studies: rows.map { effectSizes.studies[$0] },
                                               userWeights: userWeights.map { w in rows.map { w[$0] } }, options: options.model)
        var intervals: HeterogeneityConfidenceIntervals?
        var qProfile: HeterogeneityConfidenceIntervals?
        var extras: [HeterogeneityConfidenceIntervals] = []
        if let intervalOptions = options.intervals {
            intervals = try model.heterogeneityConfidenceIntervals(options: intervalOptions)
            if options.model.estimator.needsUserWeights {
                qProfile = try model.heterogeneityConfidenceIntervals(method: .qProfile, options: intervalOptions)
            }
            for method in options.extraIntervals {
                // metafor's confint refuses a model without an estimated tau^2; the interval is never dropped silently.
                guard let i = try model.heterogeneityConfidenceIntervals(method: method, options: intervalOptions) else {
                    throw InputError.invalidOption(
                        name: ArgumentNaming.current(.extraIntervals), value: options.extraIntervals.map(\.rawValue).joined(separator: ","),
                        expected: "a model that estimates tau^2 from two or more studies (not \(ArgumentNaming.current(.estimator)) EE, "
                            + "a fixed \(ArgumentNaming.current(.fixedTauSquared)) or a single study)")
                }
                extras.append(i)
            }
        }
        let back = effectSizes.measure.backTransformation(
            harmonicMeanSampleSize: try harmonicMeanSampleSize(of: data, measure: effectSizes.measure, columns: columns))
        return PooledAnalysis(effectSizes: effectSizes, rows: rows, model: model, heterogeneityIntervals: intervals,
                              qProfileIntervals: qProfile, extraIntervals: extras, backTransformation: back,
                              omittedStudies: effectSizes.omittedStudies)
    }

    /// The harmonic mean of the studies' `ni` (every row of `data`), which the Freeman–Tukey back-transformation
    /// needs (Miller 1978); nil for other measures.
    public static func harmonicMeanSampleSize(of data: any StudyColumns, measure: EffectMeasure,
                                              columns: [EscalcArgument: String] = [:]) throws(InputError) -> Double? {
        guard measure == .freemanTukeyProportion else { return nil }
        let n = try data.numbers(columns[.ni] ?? EscalcArgument.ni.rawValue, neededBy: "the Freeman-Tukey back-transformation")
        return harmonicMean(n)
    }

    /// n / Σ 1/x_i.
    public static func harmonicMean(_ x: [Double]) -> Double {
        Double(x.count) / x.reduce(0) { $0 + 1 / $1 }
    }
}

/// What `PooledAnalysis.pool` does: the effect-size options, the model options, and which heterogeneity intervals
/// to compute.
public struct PoolingOptions: Sendable, Equatable {
    public var escalc: EscalcOptions
    public var model: RandomEffectsOptions
    /// Options of the heterogeneity interval searches; nil computes no intervals.
    public var intervals: HeterogeneityIntervalOptions?
    /// Intervals besides the default ones (profile likelihood, Biggerstaff–Jackson, ...).
    public var extraIntervals: [HeterogeneityConfidenceIntervals.Method]

    public init(escalc: EscalcOptions = EscalcOptions(), model: RandomEffectsOptions = RandomEffectsOptions(),
                intervals: HeterogeneityIntervalOptions? = HeterogeneityIntervalOptions(),
                extraIntervals: [HeterogeneityConfidenceIntervals.Method] = []) {
        self.escalc = escalc
        self.model = model
        self.intervals = intervals
        self.extraIntervals = extraIntervals
    }
}

extension EffectSizes {
    /// The studies a model leaves out because their effect size or variance is not estimable (NA), in row order.
    public var omittedStudies: [ModelDiagnostic] {
        // Usually every study is estimable: nothing to list, no set to build.
        if !yi.indices.contains(where: { !(yi[$0].isFinite && vi[$0].isFinite) }) { return [] }
        let rows = Set(availableIndices)
        return yi.indices.filter { !rows.contains($0) }.map { ModelDiagnostic.studyOmitted(study: studies[$0], row: $0 + 1) }
    }

    /// What the effect-size step noted (continuity corrections, not-estimable studies), then the studies a model
    /// leaves out.
    public var inputNotes: [String] { EffectSizeDiagnostic.summarised(diagnostics) + omittedStudies.map(\.description) }
}
