import MetaAnalysis

/// Standardized mean differences pooled by random effects (REML τ², Knapp–Hartung CI by default) within one class,
/// scale and comparator kind, when at least two independent comparisons exist. Comparisons of one trial that share
/// an arm are merged first (`GroupCombination.continuous`, Cochrane Handbook v6.4 §6.5.2.10).
public struct ContinuousPool: Sendable {
    public var key: String
    public var label: String
    public var treatmentClass: TreatmentClass
    public var outcome: ReportedOutcome
    public var kind: ComparatorKind
    /// The comparisons pooled (merged where they shared an arm), with their own g.
    public var comparisons: [ContinuousComparison]
    public var fit: RandomEffectsModel
    public var pooled: ComparisonEffect
    public var diagnostics: [RateDiagnostic]

    public var k: Int { comparisons.count }

    public static func fit(key: String, label: String, comparisons: [ContinuousComparison], evidence: TRDEvidence,
                           options: RandomEffectsOptions) throws -> ContinuousPool? {
        var remaining = comparisons
        var units: [ContinuousComparison] = []
        var notes: [RateDiagnostic] = []
        while !remaining.isEmpty {
            var unit = remaining.removeFirst()
            while let i = remaining.firstIndex(where: { $0.ref == unit.ref && ($0.activeArm == unit.activeArm || $0.controlArm == unit.controlArm) }) {
                let other = remaining.remove(at: i)
                let rows = unit.rows + other.rows
                if other.controlArm != unit.controlArm {
                    let c = try GroupCombination.continuous(n1: Double(unit.controlN), mean1: unit.controlMean, sd1: unit.controlSD,
                                                            n2: Double(other.controlN), mean2: other.controlMean, sd2: other.controlSD)
                    notes.append(.comparatorArmsCombined(study: unit.study, arms: [unit.controlArm, other.controlArm]))
                    unit.controlArm += " + " + other.controlArm
                    (unit.controlN, unit.controlMean, unit.controlSD) = (Int(c.n), c.mean, c.sd)
                } else {
                    let c = try GroupCombination.continuous(n1: Double(unit.activeN), mean1: unit.activeMean, sd1: unit.activeSD,
                                                            n2: Double(other.activeN), mean2: other.activeMean, sd2: other.activeSD)
                    notes.append(.comparatorArmsCombined(study: unit.study, arms: [unit.activeArm, other.activeArm]))
                    unit.activeArm += " + " + other.activeArm
                    (unit.activeN, unit.activeMean, unit.activeSD) = (Int(c.n), c.mean, c.sd)
                }
                unit = try ContinuousComparison.make(
                    active: TRDOutcome(studyRef: unit.ref, sampleGroup: unit.sampleGroup, arm: unit.activeArm, armRole: .active,
                                       comparison: unit.comparison, agent: .placebo, treatmentClass: unit.treatmentClass,
                                       outcome: unit.outcome, measure: unit.measure, timepoint: unit.timepoint,
                                       timepointDays: unit.timepointDays, mean: unit.activeMean, sd: unit.activeSD, n: unit.activeN),
                    control: TRDOutcome(studyRef: unit.ref, sampleGroup: unit.sampleGroup, arm: unit.controlArm, armRole: .control,
                                        agent: .placebo, treatmentClass: unit.treatmentClass, outcome: unit.outcome,
                                        measure: unit.measure, mean: unit.controlMean, sd: unit.controlSD, n: unit.controlN),
                    kind: unit.kind, evidence: evidence, level: options.level)
                unit.rows = rows
            }
            units.append(unit)
        }
        guard units.count >= 2, let first = units.first else { return nil }
        let fit = try RandomEffectsModel.fit(effectSizes: units.map(\.standardizedMeanDifference.yi),
                                             samplingVariances: units.map(\.standardizedMeanDifference.vi),
                                             studies: units.map(\.study), options: options)
        notes += fit.diagnostics.map { .computation(group: label, note: $0.description) }
        let p = fit.prediction
        let withPI = units.count >= PooledRate.minimumStudiesForPrediction
        let pooled = ComparisonEffect(measure: .standardizedMeanDifference, method: options.estimator.rawValue, yi: fit.estimate,
                                      vi: fit.standardError * fit.standardError, estimate: fit.estimate,
                                      ciLower: fit.confidenceLower, ciUpper: fit.confidenceUpper, pValue: fit.pValue,
                                      tauSquared: fit.tauSquared, iSquared: fit.iSquared,
                                      predictionLower: withPI ? p.predictionLower : nil, predictionUpper: withPI ? p.predictionUpper : nil)
        return ContinuousPool(key: key, label: label, treatmentClass: first.treatmentClass, outcome: first.outcome, kind: first.kind,
                              comparisons: units, fit: fit, pooled: pooled, diagnostics: notes)
    }
}
