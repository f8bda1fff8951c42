import MetaData
import MetaAnalysis

/// One trial's randomised comparison on a depression scale in one stratum: Hedges' g (metafor's SMD, active minus
/// control, so negative favours the active arm on symptom scales) from change scores when both arms report them,
/// else endpoint means. A trial with several arms on either side enters once: each side's arms are combined by the
/// combined-groups mean and SD (Cochrane Handbook v6.4 §6.5.2.10; `GroupCombination.continuous`), so Singh 2016's
/// twice- and thrice-weekly comparisons are one trial's effect, not k = 2.
public struct ContinuousComparison: Sendable, Equatable {
    public var study: String
    public var ref: Int
    public var sampleGroup: String
    public var comparison: String
    public var stratum: PoolingStratum
    public var outcome: ReportedOutcome
    public var measure: ReportedMeasure
    public var timepoint: String
    public var timepointDays: Int?
    /// Whether `timepoint` is the trial's primary one (nil: no available source says; `PrimaryTimepoint.combined`).
    public var primaryTimepoint: Bool?
    public var treatmentClass: TreatmentClass
    public var kind: ComparatorKind
    public var activeArm: String
    public var controlArm: String
    public var activeMean: Double
    public var activeSD: Double
    public var activeN: Int
    public var controlMean: Double
    public var controlSD: Double
    public var controlN: Int
    public var rows: [Int]
    public var combinedArms: Bool
    public var standardizedMeanDifference: ComparisonEffect
    /// The endpoint-score g at the same timepoint when the change-score g is the one used (audit A11: with
    /// baseline imbalance the two can disagree); nil when there is none.
    public var endpointAlternative: ComparisonEffect?

    /// Change and endpoint g disagree in sign or by more than 0.5 (the SMD is analysis-dependent).
    public var analysisDependent: Bool {
        guard let e = endpointAlternative else { return false }
        let g = standardizedMeanDifference.estimate
        return (g < 0) != (e.estimate < 0) || abs(g - e.estimate) > 0.5
    }

    /// The comparison of `active` with `control` (means, SDs and sizes in both).
    public static func make(active: TRDOutcome, control: TRDOutcome, kind: ComparatorKind, evidence: TRDEvidence,
                            level: Double = 95) throws(InputError) -> ContinuousComparison {
        try make(actives: [active], controls: [control], kind: kind,
                 stratum: EligibilityRules.comparisonStratum(active: active, control: control, kind: kind),
                 evidence: evidence, level: level)
    }

    /// One trial's comparison in one stratum, combining its arms on each side.
    ///
    /// - Throws: `InputError` for an arm without mean, SD and n.
    public static func make(actives: [TRDOutcome], controls: [TRDOutcome], kind: ComparatorKind, stratum: PoolingStratum,
                            evidence: TRDEvidence, endpoint: (actives: [TRDOutcome], controls: [TRDOutcome])? = nil,
                            level: Double = 95) throws(InputError) -> ContinuousComparison {
        precondition(!actives.isEmpty && !controls.isEmpty, "a comparison needs an arm on each side")
        let active = actives[0]
        let a = try combine(actives), c = try combine(controls)
        let study = evidence.label(row: active)
        let g = try smd(study: study, a, c, level: level)
        var alternative: ComparisonEffect?
        if let endpoint, !endpoint.actives.isEmpty, !endpoint.controls.isEmpty {
            alternative = try smd(study: study, try combine(endpoint.actives), try combine(endpoint.controls), level: level)
        }
        return ContinuousComparison(
            study: study, ref: active.studyRef, sampleGroup: active.sampleGroup, comparison: active.comparison ?? "",
            stratum: stratum, outcome: active.outcome, measure: active.measure, timepoint: active.timepoint,
            timepointDays: active.timepointDays, primaryTimepoint: PrimaryTimepoint.combined((actives + controls).map(\.primaryTimepoint)),
            treatmentClass: active.treatmentClass, kind: kind,
            activeArm: actives.map(\.arm).joined(separator: " + "), controlArm: controls.map(\.arm).joined(separator: " + "),
            activeMean: a.mean, activeSD: a.sd, activeN: a.n, controlMean: c.mean, controlSD: c.sd, controlN: c.n,
            rows: (actives + controls).map(\.row), combinedArms: actives.count > 1 || controls.count > 1,
            standardizedMeanDifference: g, endpointAlternative: alternative)
    }

    private static func smd(study: String, _ a: (n: Int, mean: Double, sd: Double), _ c: (n: Int, mean: Double, sd: Double),
                            level: Double) throws(InputError) -> ComparisonEffect {
        let table = StudyData.twoGroup(studies: [study], m1i: [a.mean], sd1i: [a.sd], n1i: [Double(a.n)],
                                       m2i: [c.mean], sd2i: [c.sd], n2i: [Double(c.n)])
        let sizes = try EffectSizes.compute(measure: .standardizedMeanDifference, data: table, options: EscalcOptions(level: level))
        let ci = sizes.confidenceInterval()
        return ComparisonEffect(measure: .standardizedMeanDifference, method: "escalc", yi: sizes.yi[0], vi: sizes.vi[0],
                                estimate: sizes.yi[0], ciLower: ci.lower[0], ciUpper: ci.upper[0], pValue: sizes.pval[0])
    }

    /// Size, mean and SD of several arms combined (one arm: itself).
    static func combine(_ arms: [TRDOutcome]) throws(InputError) -> (n: Int, mean: Double, sd: Double) {
        func values(_ r: TRDOutcome) throws(InputError) -> (Double, Double, Double) {
            guard let n = r.n, let m = r.mean, let s = r.sd else {
                throw .invalidOption(name: "outcome row \(r.row)", value: "no mean, SD and n", expected: "an arm mean with its SD and n")
            }
            return (Double(n), m, s)
        }
        var (n, mean, sd) = try values(arms[0])
        for arm in arms.dropFirst() {
            let (n2, m2, s2) = try values(arm)
            (n, mean, sd) = try GroupCombination.continuous(n1: n, mean1: mean, sd1: sd, n2: n2, mean2: m2, sd2: s2)
        }
        return (Int(n), mean, sd)
    }
}
