import MetaData
import MetaAnalysis
import MetaNumerics

/// A pooled single-arm response or remission proportion for one stratum with k ≥ 2 independent samples
/// (`EligibilityRules`; a stratum with one study is a `SingleArmResult`).
///
/// Logit (default): y_i = logit of the proportion (metafor's PLO with its continuity rule), random effects (REML τ²,
/// Knapp–Hartung interval with the ad hoc floor). GLMM: x_i ~ Bin(n_i, p_i), logit p_i = μ + u_i, u_i ~ N(0, τ²),
/// fitted by ML (`BinomialNormalGLMM`), z-based CI and PI as in metafor's `rma.glmm` — reported as a sensitivity
/// analysis. Freeman–Tukey: PFT with Miller's (1978) harmonic-mean inverse. `estimates` holds the default, the
/// GLMM and the Bayesian estimate with the Turner et al. (2015) prior, and marks the recommended one. Estimates
/// are back-transformed to proportions. The prediction interval (Higgins, Thompson & Spiegelhalter 2009) is
/// reported from k = 3.
public struct PooledRate: Sendable {
    /// The stratum pooled.
    public var stratum: PoolingStratum
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
    /// The default (REML, Knapp–Hartung ad hoc), the GLMM sensitivity analysis and the Bayesian estimate.
    public var estimates: [FewStudyEstimate]
    /// The pool without studies that may share participants with another member (`possible_overlap`); nil when
    /// none does.
    public var withoutPossibleOverlaps: FewStudyEstimate?
    public var diagnostics: [RateDiagnostic]

    /// The estimate the stratum recommends (the Bayesian one for k = 2–4).
    public var recommended: FewStudyEstimate? { estimates.first(where: \.recommended) }

    /// The smallest k with a prediction interval.
    public static let minimumStudiesForPrediction = FewStudyEstimate.minimumStudiesForPrediction

    public var k: Int { studies.count }
    /// Participants in the arms pooled (each sample once).
    public var totalN: Int { studies.reduce(0) { $0 + $1.total } }
    public var totalEvents: Int { studies.reduce(0) { $0 + $1.events } }

    /// Pools `rows` (events with denominators, one per sample group).
    ///
    /// - Throws: `InputError` or `EstimationError` from the effect-size and model calls (GLMM failures are not
    ///   thrown: the pool falls back to logit random effects with a diagnostic).
    public static func fit(stratum: PoolingStratum, outcome: RateOutcome, rows: [TRDOutcome], evidence: TRDEvidence,
                           model requested: RateModel, options: RandomEffectsOptions) throws -> PooledRate {
        precondition(rows.count >= 2, "a pooled rate needs k >= 2 independent arms (k = 1 is a SingleArmResult)")
        let key = stratum.key, label = stratum.label
        let labels = rows.map { evidence.label(row: $0) }
        let table = StudyData.proportions(studies: labels, xi: rows.map { Double($0.events!) }, ni: rows.map { Double($0.total!) })
        var notes: [RateDiagnostic] = []
        var model = requested
        // The GLMM is fitted for every pool: the headline when requested, else the sensitivity analysis.
        var glmm: GLMMFit?
        do {
            glmm = try BinomialNormalGLMM.fit(measure: .logitProportion, data: table,
                                              options: GLMMOptions(escalc: EscalcOptions(drop00: true, level: options.level)))
        } catch {
            if requested == .glmm { model = .logit }
            notes.append(.glmmFallback(reason: "\(label): \(error)"))
        }
        let headlineGLMM = model == .glmm ? glmm : nil

        let sizes = try EffectSizes.compute(measure: model.measure, data: table, options: EscalcOptions(level: options.level))
        notes += sizes.diagnostics.map { RateDiagnostic.computation(group: label, note: $0.description) }
        let harmonicMeanN = PooledAnalysis.harmonicMean(rows.map { Double($0.total!) })
        let back = model.measure.backTransformation(harmonicMeanSampleSize: harmonicMeanN) ?? .inverseLogit
        let ci = sizes.confidenceInterval()
        var randomEffects: RandomEffectsModel?
        var prediction: Prediction
        var summary: (beta: Double, se: Double, tau2: Double?, i2: Double?, q: Double?, qp: Double?)
        if let glmm = headlineGLMM {
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
            notes += fit.diagnostics.map { .computation(group: label, note: $0.description) }
            randomEffects = fit
            prediction = fit.prediction
            summary = (fit.estimate, fit.standardError, fit.tauSquared, fit.iSquared, fit.cochranQ, fit.cochranQPValue)
        }
        // The few-study estimates are on the logit scale whatever the headline model.
        let logits = model.measure == .logitProportion ? sizes
            : try EffectSizes.compute(measure: .logitProportion, data: table, options: EscalcOptions(level: options.level))
        let inverseLogit = { (x: Double) in BackTransformation.inverseLogit.apply(x) }
        var estimates = try FewStudyEstimate.fit(yi: logits.yi, vi: logits.vi, studies: labels, prior: .turner(FewStudyEstimate.turnerPrior(comparator: nil)),
                                                 back: inverseLogit, level: options.level)
        if let glmm {
            let p = glmm.pooled
            let withPI = rows.count >= minimumStudiesForPrediction
            estimates.insert(FewStudyEstimate(
                method: .glmm, prior: nil, estimate: inverseLogit(p.estimate), ciLower: inverseLogit(p.ciLower), ciUpper: inverseLogit(p.ciUpper),
                predictionLower: withPI ? inverseLogit(glmm.predictionInterval.lower) : nil,
                predictionUpper: withPI ? inverseLogit(glmm.predictionInterval.upper) : nil,
                tauSquared: glmm.tauSquared, recommended: false), at: 1)
        }
        // Possible overlaps: the pool again without the smaller of two studies that may share participants.
        var withoutOverlaps: FewStudyEstimate?
        let groups = Set(rows.map(\.sampleGroup))
        let doubtful = rows.indices.filter { i in
            guard let other = evidence.study(ref: rows[i].studyRef)?.possibleOverlapGroup else { return false }
            return groups.contains(other) || rows.contains { j in j.studyRef != rows[i].studyRef && evidence.study(ref: j.studyRef)?.possibleOverlapGroup == other }
        }
        if !doubtful.isEmpty {
            let smaller = doubtful.min { rows[$0].total! < rows[$1].total! }!
            let kept = rows.indices.filter { $0 != smaller }
            if kept.count >= 2 {
                withoutOverlaps = try FewStudyEstimate.fit(yi: kept.map { logits.yi[$0] }, vi: kept.map { logits.vi[$0] },
                                                           studies: kept.map { labels[$0] },
                                                           prior: .turner(FewStudyEstimate.turnerPrior(comparator: nil)), back: inverseLogit,
                                                           level: options.level).first { $0.recommended }
            }
            notes.append(.computation(group: label, note: "\(labels[smaller]) may share participants with another study of this pool; the recommended estimate without it is reported beside the pool."))
        }
        let shown = prediction.transformed(by: back)
        var studies: [RateStudy] = []
        for (i, row) in rows.enumerated() {
            studies.append(RateStudy(
                study: labels[i], ref: row.studyRef, sampleGroup: row.sampleGroup, arm: row.arm, agent: row.agent,
                route: row.route, treatmentClass: row.treatmentClass, timepoint: row.timepoint, row: row.row,
                events: row.events!, total: row.total!, yi: sizes.yi[i], vi: sizes.vi[i],
                proportion: Double(row.events!) / Double(row.total!),
                ciLower: back.apply(ci.lower[i]), ciUpper: back.apply(ci.upper[i]), weightPercent: randomEffects?.weightsPercent[i],
                countDerived: row.countDerived))
        }
        let hasPrediction = rows.count >= minimumStudiesForPrediction
        return PooledRate(stratum: stratum, key: key, label: label, outcome: outcome, model: model, studies: studies, glmm: headlineGLMM,
                          randomEffects: randomEffects, beta: summary.beta, standardError: summary.se, tauSquared: summary.tau2,
                          iSquared: summary.i2, cochranQ: summary.q, cochranQPValue: summary.qp,
                          estimate: shown.estimate, ciLower: shown.confidenceLower, ciUpper: shown.confidenceUpper,
                          predictionLower: hasPrediction ? shown.predictionLower : nil,
                          predictionUpper: hasPrediction ? shown.predictionUpper : nil, estimates: estimates,
                          withoutPossibleOverlaps: withoutOverlaps, diagnostics: notes)
    }
}
