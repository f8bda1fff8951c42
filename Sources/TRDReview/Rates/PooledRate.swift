import MetaData
import MetaAnalysis
import MetaNumerics

/// A pooled single-arm response or remission proportion for one group (class, agent or agent × route).
///
/// GLMM (default): x_i ~ Bin(n_i, p_i), logit p_i = μ + u_i, u_i ~ N(0, τ²), fitted by ML (`BinomialNormalGLMM`);
/// CI and PI z-based as in metafor's `rma.glmm`. Logit: y_i = logit of the proportion (metafor's PLO with its
/// continuity rule), random effects (REML τ², Knapp–Hartung CI by default). Freeman–Tukey: PFT with Miller's
/// (1978) harmonic-mean inverse. Estimates are back-transformed to proportions. With one study the "pool" is that
/// study's own logit interval. The prediction interval (Higgins, Thompson & Spiegelhalter 2009) is reported
/// from k = 3.
public struct PooledRate: Sendable {
    /// Stable key of the group (e.g. `glutamatergic`, `ketamine/intravenous`) and its label.
    public var key: String
    public var label: String
    public var outcome: RateOutcome
    /// The model that produced the numbers (logit when the GLMM could not be fitted).
    public var model: RateModel
    public var studies: [RateStudy]
    /// The fit behind the numbers: a GLMM, or a random-effects model on the logit or double-arcsine scale.
    public var glmm: GLMMFit?
    public var randomEffects: RandomEffectsModel?
    /// μ̂ on the analysis scale and its standard error.
    public var beta: Double
    public var standardError: Double
    /// τ̂², I² (%), the heterogeneity Q (Wald for the GLMM) and its p-value; nil when k = 1.
    public var tauSquared: Double?
    public var iSquared: Double?
    public var cochranQ: Double?
    public var cochranQPValue: Double?
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
    /// - Throws: `InputError` or `EstimationError` from the effect-size and model calls (GLMM failures are not
    ///   thrown: the pool falls back to logit random effects with a diagnostic).
    public static func fit(key: String, label: String, outcome: RateOutcome, rows: [TRDOutcome], evidence: TRDEvidence,
                           model requested: RateModel, options: RandomEffectsOptions) throws -> PooledRate {
        precondition(!rows.isEmpty, "a pooled rate needs at least one arm")
        let labels = rows.map { evidence.label(ref: $0.studyRef) }
        let table = StudyData.proportions(studies: labels, xi: rows.map { Double($0.events!) }, ni: rows.map { Double($0.total!) })
        var notes: [RateDiagnostic] = []
        if rows.count == 1 {
            notes.append(.computation(group: label, note: "one study: its own \(requested == .ft ? "Freeman-Tukey" : "logit")-scale interval is shown (no model is fitted)."))
        }
        var model = requested
        var glmm: GLMMFit?
        if requested == .glmm {
            if rows.count < 2 {
                model = .logit
            } else {
                do {
                    glmm = try BinomialNormalGLMM.fit(measure: .logitProportion, data: table,
                                                      options: GLMMOptions(escalc: EscalcOptions(drop00: true, level: options.level)))
                } catch {
                    model = .logit
                    notes.append(.glmmFallback(reason: "\(label): \(error)"))
                }
            }
        }

        let sizes = try EffectSizes.compute(measure: model.measure, data: table, options: EscalcOptions(level: options.level))
        notes += sizes.diagnostics.map { RateDiagnostic.computation(group: label, note: $0.description) }
        let harmonicMeanN = PooledAnalysis.harmonicMean(rows.map { Double($0.total!) })
        let back = model.measure.backTransformation(harmonicMeanSampleSize: harmonicMeanN) ?? .inverseLogit
        let ci = sizes.confidenceInterval()
        var randomEffects: RandomEffectsModel?
        var prediction: Prediction
        var summary: (beta: Double, se: Double, tau2: Double?, i2: Double?, q: Double?, qp: Double?)
        if let glmm {
            let p = glmm.pooled
            prediction = Prediction(estimate: p.estimate, standardError: p.standardError, confidenceLower: p.ciLower,
                                    confidenceUpper: p.ciUpper, predictionLower: glmm.predictionInterval.lower,
                                    predictionUpper: glmm.predictionInterval.upper)
            summary = (p.estimate, p.standardError, glmm.tauSquared, glmm.iSquared, glmm.waldHeterogeneity?.statistic,
                       glmm.waldHeterogeneity?.pValue)
            if glmm.diagnostics.tauSquaredOnBoundary {
                notes.append(.computation(group: label, note: "GLMM tau^2 estimate on the boundary (0)."))
            }
        } else {
            let fit = try RandomEffectsModel.fit(effectSizes: sizes.yi, samplingVariances: sizes.vi, studies: labels, options: options)
            // One study is shown with its own interval (noted above): notes about the model's test do not apply.
            notes += fit.diagnostics.filter { d in
                if rows.count == 1, d == .singleStudy || d == .normalUsedForZeroDegreesOfFreedom(requested: options.test) { return false }
                return d != .singleStudy
            }.map { .computation(group: label, note: $0.description) }
            randomEffects = fit
            prediction = fit.prediction
            summary = (fit.estimate, fit.standardError, rows.count >= 2 ? fit.tauSquared : nil, fit.iSquared, fit.cochranQ, fit.cochranQPValue)
        }
        let shown = prediction.transformed(by: back)
        var studies: [RateStudy] = []
        for (i, row) in rows.enumerated() {
            studies.append(RateStudy(
                study: labels[i], ref: row.studyRef, sampleGroup: row.sampleGroup, arm: row.arm, agent: row.agent,
                route: row.route, treatmentClass: row.treatmentClass, timepoint: row.timepoint, row: row.row,
                events: row.events!, total: row.total!, yi: sizes.yi[i], vi: sizes.vi[i],
                proportion: Double(row.events!) / Double(row.total!),
                ciLower: back.apply(ci.lower[i]), ciUpper: back.apply(ci.upper[i]), weightPercent: randomEffects?.weightsPercent[i]))
        }
        let hasPrediction = rows.count >= minimumStudiesForPrediction
        return PooledRate(key: key, label: label, outcome: outcome, model: model, studies: studies, glmm: glmm,
                          randomEffects: randomEffects, beta: summary.beta, standardError: summary.se, tauSquared: summary.tau2,
                          iSquared: summary.i2, cochranQ: summary.q, cochranQPValue: summary.qp,
                          estimate: shown.estimate, ciLower: shown.confidenceLower, ciUpper: shown.confidenceUpper,
                          predictionLower: hasPrediction ? shown.predictionLower : nil,
                          predictionUpper: hasPrediction ? shown.predictionUpper : nil, diagnostics: notes)
    }
}
