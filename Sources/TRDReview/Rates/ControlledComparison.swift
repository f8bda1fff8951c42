import MetaData
import MetaAnalysis
import MetaNumerics

/// One trial's randomised comparison of the review's treatment with a control or comparator on a binary outcome,
/// in one stratum: the 2×2 counts, RR, OR and RD with Wald CIs (metafor's `escalc` with its continuity rule), and
/// the NNT. A trial with several arms on either side in the stratum enters once: its active arms are combined and
/// its comparator arms are combined by adding events and sizes (Cochrane Handbook v6.4 §6.5.2.10, §23.3.4;
/// `GroupCombination.binary`), so a shared control is counted once.
public struct ControlledComparison: Sendable, Equatable {
    /// A between-arm effect the trial itself reports for this comparison, beside the one recomputed from the counts
    /// (audit A6: Murrough 2013's published OR 2.18 is model-based; the crude OR of the entered counts is 4.54).
    public struct ReportedEffect: Sendable, Equatable {
        public var measure: EffectMeasure
        public var estimate: Double
        public var ciLower: Double?
        public var ciUpper: Double?
        /// The same measure recomputed from the counts.
        public var recomputed: Double
        /// Reported and recomputed differ by more than 10% (on the ratio scale).
        public var differs: Bool { abs(recomputed / estimate - 1) > 0.10 }
    }

    /// "Publication [ref]".
    public var study: String
    public var ref: Int
    public var sampleGroup: String
    /// The `comparison` code of `outcomes.csv`.
    public var comparison: String
    public var stratum: PoolingStratum
    public var outcome: ReportedOutcome
    public var timepoint: String
    public var timepointDays: Int?
    public var primaryTimepoint: Bool?
    public var treatmentClass: TreatmentClass
    public var kind: ComparatorKind
    public var activeArm: String
    public var activeAgent: Agent
    public var controlArm: String
    public var controlAgent: Agent
    public var activeEvents: Int
    public var activeTotal: Int
    public var controlEvents: Int
    public var controlTotal: Int
    /// The `outcomes.csv` rows of the arms (several when arms were combined).
    public var rows: [Int]
    /// Arms combined on either side (a multi-arm trial).
    public var combinedArms: Bool
    /// Some counts were back-calculated from printed percentages.
    public var countDerived: Bool
    /// The trial's own two-sided significance threshold for this comparison (0.05 when it states none).
    public var alpha: Double
    public var riskRatio: ComparisonEffect
    public var oddsRatio: ComparisonEffect
    public var riskDifference: ComparisonEffect
    /// The RD's interval at the trial's own level (1 − alpha); equal to `riskDifference` when alpha is 0.05.
    public var riskDifferenceAtTrialAlpha: ComparisonEffect
    public var numberNeededToTreat: NumberNeededToTreat
    public var reported: [ReportedEffect]
    public var diagnostics: [String]

    /// Whether the RD differs from 0 at the trial's own threshold.
    public var significantAtTrialAlpha: Bool { riskDifference.pValue < alpha }

    /// The comparison of `active` with `control` (both with events and denominators).
    public static func make(active: TRDOutcome, control: TRDOutcome, kind: ComparatorKind, evidence: TRDEvidence,
                            level: Double = 95) throws(InputError) -> ControlledComparison {
        try make(actives: [active], controls: [control], kind: kind,
                 stratum: EligibilityRules.comparisonStratum(active: active, control: control, kind: kind), evidence: evidence,
                 level: level)
    }

    /// One trial's comparison in one stratum, combining its active arms and its comparator arms.
    ///
    /// - Throws: `InputError` for an arm without events and denominator or with events > total.
    public static func make(actives: [TRDOutcome], controls: [TRDOutcome], kind: ComparatorKind, stratum: PoolingStratum,
                            evidence: TRDEvidence, level: Double = 95) throws(InputError) -> ControlledComparison {
        precondition(!actives.isEmpty && !controls.isEmpty, "a comparison needs an arm on each side")
        let active = actives[0]
        let a = try combine(actives), c = try combine(controls)
        let study = evidence.label(row: active)
        let table = StudyData.twoByTwo(studies: [study], ai: [Double(a.events)], n1i: [Double(a.total)],
                                       ci: [Double(c.events)], n2i: [Double(c.total)])
        var notes: [String] = []
        func effect(_ measure: EffectMeasure, level: Double) throws(InputError) -> ComparisonEffect {
            let sizes = try EffectSizes.compute(measure: measure, data: table, options: EscalcOptions(level: level))
            if measure == .logRiskRatio { notes += sizes.diagnostics.map(\.description) }
            let ci = sizes.confidenceInterval()
            let back = measure.backTransformation() ?? .none
            return ComparisonEffect(measure: measure, method: "escalc", yi: sizes.yi[0], vi: sizes.vi[0],
                                    estimate: back.apply(sizes.yi[0]), ciLower: back.apply(ci.lower[0]),
                                    ciUpper: back.apply(ci.upper[0]), pValue: sizes.pval[0])
        }
        let alpha = (actives + controls).compactMap(\.alpha).min() ?? 0.05
        let rd = try effect(.riskDifference, level: level)
        let or = try effect(.logOddsRatio, level: level)
        let rr = try effect(.logRiskRatio, level: level)
        let rdTrial = alpha == 1 - level / 100 ? rd : try effect(.riskDifference, level: 100 * (1 - alpha))
        if actives.count > 1 || controls.count > 1 {
            notes.append("arms combined (Cochrane Handbook 6.5.2.10, 23.3.4): \((actives.count > 1 ? actives : controls).map(\.arm).joined(separator: " + "))")
        }
        // Effects the trial reports for this comparison (contrast rows at the same timepoint), beside the recomputed.
        let reported: [ReportedEffect] = evidence.outcomes.compactMap { r in
            guard r.studyRef == active.studyRef, r.armRole == .contrast, r.comparison == active.comparison,
                  r.outcome == active.outcome, r.timepoint == active.timepoint, let value = r.effectValue else { return nil }
            switch r.effectType {
            case "odds_ratio": return ReportedEffect(measure: .logOddsRatio, estimate: value, ciLower: r.ciLower, ciUpper: r.ciUpper, recomputed: or.estimate)
            case "risk_difference": return ReportedEffect(measure: .riskDifference, estimate: value / 100, ciLower: r.ciLower.map { $0 / 100 },
                                                          ciUpper: r.ciUpper.map { $0 / 100 }, recomputed: rd.estimate)
            default: return nil
            }
        }
        return ControlledComparison(
            study: study, ref: active.studyRef, sampleGroup: active.sampleGroup, comparison: active.comparison ?? "",
            stratum: stratum, outcome: active.outcome, timepoint: active.timepoint, timepointDays: active.timepointDays,
            primaryTimepoint: PrimaryTimepoint.combined((actives + controls).map(\.primaryTimepoint)), treatmentClass: active.treatmentClass, kind: kind,
            activeArm: actives.map(\.arm).joined(separator: " + "), activeAgent: active.agent,
            controlArm: controls.map(\.arm).joined(separator: " + "), controlAgent: controls[0].agent,
            activeEvents: a.events, activeTotal: a.total, controlEvents: c.events, controlTotal: c.total,
            rows: (actives + controls).map(\.row), combinedArms: actives.count > 1 || controls.count > 1,
            countDerived: (actives + controls).contains(where: \.countDerived), alpha: alpha,
            riskRatio: rr, oddsRatio: or, riskDifference: rd, riskDifferenceAtTrialAlpha: rdTrial,
            numberNeededToTreat: NumberNeededToTreat(riskDifference: rd.estimate, lower: rd.ciLower, upper: rd.ciUpper),
            reported: reported, diagnostics: notes)
    }

    /// Events and sizes of several arms added (one arm: itself).
    static func combine(_ arms: [TRDOutcome]) throws(InputError) -> (events: Int, total: Int) {
        guard let e0 = arms[0].events, let t0 = arms[0].total else {
            throw .invalidOption(name: "outcome row \(arms[0].row)", value: "no events/total", expected: "events with a denominator")
        }
        var events = Double(e0), total = Double(t0)
        for arm in arms.dropFirst() {
            guard let e = arm.events, let t = arm.total else {
                throw .invalidOption(name: "outcome row \(arm.row)", value: "no events/total", expected: "events with a denominator")
            }
            (events, total) = try GroupCombination.binary(events1: events, n1: total, events2: Double(e), n2: Double(t))
        }
        return (Int(events), Int(total))
    }
}

extension Optional where Wrapped == BackTransformation {
    func apply(_ x: Double) -> Double { self?.apply(x) ?? x }
}
