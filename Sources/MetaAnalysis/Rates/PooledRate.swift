import MetaNumerics

/// A pooled single-arm response or remission proportion for one group (class, agent or agent × route).
///
/// Logit model: y_i = logit((x_i [+ ½])/(n_i [+ 1])), v_i = 1/(n_i p_i (1 − p_i)) (metafor's PLO, with its
/// continuity rule), pooled by random effects (REML τ², Knapp–Hartung CI by default), back-transformed with the
/// inverse logit. Freeman–Tukey: PFT with Miller's (1978) harmonic-mean inverse. With one study the "pool" is that
/// study's own estimate and interval. The prediction interval (Higgins, Thompson & Spiegelhalter 2009) is
/// reported from k = 3.
public struct PooledRate: Sendable {
    /// Stable key of the group (e.g. `glutamatergic`, `ketamine/intravenous`) and its label.
    public var key: String
    public var label: String
    public var outcome: RateOutcome
    /// The model that produced the numbers (never `glmm` while the GLMM is unavailable).
    public var model: RateModel
    public var studies: [RateStudy]
    /// The random-effects fit on the model's scale.
    public var fit: RandomEffectsModel
    /// Pooled proportion with CI and (from k = 3) PI, back-transformed.
    public var estimate: Double
    public var ciLower: Double
    public var ciUpper: Double
    public var predictionLower: Double?
    public var predictionUpper: Double?
    public var diagnostics: [RateDiagnostic]

    /// The smallest k with a prediction interval.
    public static let minimumStudiesForPrediction = 3

    public var k: Int { studies.count }
    /// Participants in the arms pooled (each sample once).
    public var totalN: Int { studies.reduce(0) { $0 + $1.total } }
    public var totalEvents: Int { studies.reduce(0) { $0 + $1.events } }

    /// Pools `rows` (events with denominators, one per sample group).
    ///
    /// - Throws: `InputError` or `EstimationError` from the effect-size and model calls.
    public static func fit(key: String, label: String, outcome: RateOutcome, rows: [TRDOutcome], evidence: TRDEvidence,
                           model: RateModel, options: RandomEffectsOptions) throws -> PooledRate {
        precondition(!rows.isEmpty, "a pooled rate needs at least one arm")
        let labels = rows.map { evidence.label(ref: $0.studyRef) }
        let table = try DataTable(columns: [
            ("study", labels),
            ("xi", rows.map { String($0.events!) }),
            ("ni", rows.map { String($0.total!) }),
        ])
        let sizes = try EffectSizes.compute(measure: model.measure, data: table, options: EscalcOptions(level: options.level))
        var notes = sizes.diagnostics.map { RateDiagnostic.computation(group: label, note: $0.description) }
        let fit = try RandomEffectsModel.fit(effectSizes: sizes.yi, samplingVariances: sizes.vi, studies: labels, options: options)
        notes += fit.diagnostics.map { .computation(group: label, note: $0.description) }

        let harmonicMeanN = Double(rows.count) / rows.reduce(0.0) { $0 + 1 / Double($1.total!) }
        let back = model.measure.backTransformation(harmonicMeanSampleSize: harmonicMeanN) ?? .inverseLogit
        let ci = sizes.confidenceInterval()
        var studies: [RateStudy] = []
        for (i, row) in rows.enumerated() {
            studies.append(RateStudy(
                study: labels[i], ref: row.studyRef, sampleGroup: row.sampleGroup, arm: row.arm, agent: row.agent,
                route: row.route, treatmentClass: row.treatmentClass, timepoint: row.timepoint, row: row.row,
                events: row.events!, total: row.total!, yi: sizes.yi[i], vi: sizes.vi[i],
                proportion: Double(row.events!) / Double(row.total!),
                ciLower: back.apply(ci.lower[i]), ciUpper: back.apply(ci.upper[i]), weightPercent: fit.weightsPercent[i]))
        }
        let prediction = fit.prediction.transformed(by: back)
        let hasPrediction = rows.count >= minimumStudiesForPrediction
        return PooledRate(key: key, label: label, outcome: outcome, model: model, studies: studies, fit: fit,
                          estimate: prediction.estimate, ciLower: prediction.confidenceLower, ciUpper: prediction.confidenceUpper,
                          predictionLower: hasPrediction ? prediction.predictionLower : nil,
                          predictionUpper: hasPrediction ? prediction.predictionUpper : nil, diagnostics: notes)
    }
}
