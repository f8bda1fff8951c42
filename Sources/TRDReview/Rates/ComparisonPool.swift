import MetaData
import MetaAnalysis

/// Controlled comparisons pooled within one stratum (`EligibilityRules`) when at least two independent trials
/// give one: Mantel–Haenszel (common effect, no continuity correction: Greenland & Robins 1985) and random effects
/// (REML τ², Knapp–Hartung interval with the ad hoc floor) for RR, OR and RD, the NNT from the pooled RD, and the
/// few-study estimates of the log OR (default and Bayesian with the Turner et al. 2015 prior).
///
/// Each trial counts once: `ControlledComparison.make(actives:controls:...)` has already combined a multi-arm
/// trial's arms on each side (Cochrane Handbook v6.4 §23.3.4), so a shared control enters once.
public struct ComparisonPool: Sendable {
    /// One independent comparison entering the pool.
    public struct Unit: Sendable, Equatable {
        public var study: String
        public var ref: Int
        public var sampleGroup: String
        public var activeArm: String
        public var controlArm: String
        public var activeEvents: Int
        public var activeTotal: Int
        public var controlEvents: Int
        public var controlTotal: Int
    }

    public var stratum: PoolingStratum
    public var key: String
    public var label: String
    public var treatmentClass: TreatmentClass
    public var outcome: ReportedOutcome
    public var kind: ComparatorKind
    public var units: [Unit]
    /// RR, OR, RD by Mantel–Haenszel (empty if not estimable; see diagnostics).
    public var mantelHaenszel: [ComparisonEffect]
    /// RR, OR, RD by random effects.
    public var randomEffects: [ComparisonEffect]
    /// The log odds ratio's default and Bayesian estimates (odds ratios), the recommended one marked.
    public var estimates: [FewStudyEstimate]
    public var numberNeededToTreat: NumberNeededToTreat?
    public var diagnostics: [RateDiagnostic]
    /// The log risk ratios of the units and their random-effects model (the one `randomEffects` reports for RR),
    /// which the report's forest plot draws.
    public var riskRatioSizes: EffectSizes?
    public var riskRatioModel: RandomEffectsModel?

    public var k: Int { units.count }
    public var totalN: Int { units.reduce(0) { $0 + $1.activeTotal + $1.controlTotal } }

    /// One unit per comparison; two comparisons of one sample in a stratum are a programming error (the rules
    /// combine them first).
    public static func units(of comparisons: [ControlledComparison]) -> [Unit] {
        precondition(Set(comparisons.map(\.sampleGroup)).count == comparisons.count, "one comparison per sample and stratum")
        return comparisons.map {
            Unit(study: $0.study, ref: $0.ref, sampleGroup: $0.sampleGroup, activeArm: $0.activeArm, controlArm: $0.controlArm,
                 activeEvents: $0.activeEvents, activeTotal: $0.activeTotal, controlEvents: $0.controlEvents,
                 controlTotal: $0.controlTotal)
        }
    }

    /// Pools `comparisons` when they give at least two independent units; nil otherwise.
    public static func fit(stratum: PoolingStratum, comparisons: [ControlledComparison],
                           options: RandomEffectsOptions) throws -> ComparisonPool? {
        guard let first = comparisons.first else { return nil }
        let units = units(of: comparisons)
        guard units.count >= 2 else { return nil }
        let key = stratum.key, label = stratum.label
        var notes: [RateDiagnostic] = []
        var estimates: [FewStudyEstimate] = []
        let table = StudyData.twoByTwo(studies: units.map(\.study), ai: units.map { Double($0.activeEvents) },
                                       n1i: units.map { Double($0.activeTotal) }, ci: units.map { Double($0.controlEvents) },
                                       n2i: units.map { Double($0.controlTotal) })
        var mh: [ComparisonEffect] = []
        var re: [ComparisonEffect] = []
        var riskRatio: (sizes: EffectSizes, model: RandomEffectsModel)?
        for measure in [EffectMeasure.logRiskRatio, .logOddsRatio, .riskDifference] {
            let back = measure.backTransformation()
            do {
                let fit = try MantelHaenszelFit.fit(measure: measure, data: table,
                                                    options: MantelHaenszelOptions(escalc: EscalcOptions(drop00: true, level: options.level)))
                let p = fit.pooled
                mh.append(ComparisonEffect(measure: measure, method: "MH", yi: p.estimate, vi: p.standardError * p.standardError,
                                           estimate: back.apply(p.estimate), ciLower: back.apply(p.ciLower),
                                           ciUpper: back.apply(p.ciUpper), pValue: p.pValue))
            } catch {
                notes.append(.computation(group: label, note: "Mantel-Haenszel \(measure.rawValue) not estimable: \(error)"))
            }
            let sizes = try EffectSizes.compute(measure: measure, data: table, options: EscalcOptions(level: options.level))
            let rows = sizes.availableIndices
            guard rows.count >= 1 else { continue }
            let model = try RandomEffectsModel.fit(effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] },
                                                   studies: rows.map { sizes.studies[$0] }, options: options)
            let prediction = model.prediction
            re.append(ComparisonEffect(measure: measure, method: options.estimator.rawValue, yi: model.estimate,
                                       vi: model.standardError * model.standardError, estimate: back.apply(model.estimate),
                                       ciLower: back.apply(model.confidenceLower), ciUpper: back.apply(model.confidenceUpper),
                                       pValue: model.pValue, tauSquared: model.tauSquared, iSquared: model.iSquared,
                                       predictionLower: rows.count >= PooledRate.minimumStudiesForPrediction ? back.apply(prediction.predictionLower) : nil,
                                       predictionUpper: rows.count >= PooledRate.minimumStudiesForPrediction ? back.apply(prediction.predictionUpper) : nil))
            if measure == .logRiskRatio {
                riskRatio = (sizes, model)
                notes += sizes.diagnostics.map { .computation(group: label, note: $0.description) }
                notes += model.diagnostics.map { .computation(group: label, note: $0.description) }
            }
            if measure == .logOddsRatio, rows.count >= 2 {
                estimates = try FewStudyEstimate.fit(yi: rows.map { sizes.yi[$0] }, vi: rows.map { sizes.vi[$0] },
                                                     studies: rows.map { sizes.studies[$0] }, prior: .turner(FewStudyEstimate.turnerPrior(comparator: stratum.comparator)),
                                                     back: { back.apply($0) }, level: options.level)
            }
        }
        let rd = mh.first { $0.measure == .riskDifference } ?? re.first { $0.measure == .riskDifference }
        return ComparisonPool(stratum: stratum, key: key, label: label, treatmentClass: first.treatmentClass, outcome: first.outcome,
                              kind: first.kind, units: units, mantelHaenszel: mh, randomEffects: re, estimates: estimates,
                              numberNeededToTreat: rd.map { NumberNeededToTreat(riskDifference: $0.estimate, lower: $0.ciLower, upper: $0.ciUpper) },
                              diagnostics: notes, riskRatioSizes: riskRatio?.sizes, riskRatioModel: riskRatio?.model)
    }
}
