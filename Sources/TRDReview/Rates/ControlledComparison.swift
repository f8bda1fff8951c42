import MetaData
import MetaAnalysis
import MetaNumerics

/// One randomised comparison of an active arm with a control or comparator arm on a binary outcome: the 2×2
/// counts, RR, OR and RD with Wald CIs (metafor's `escalc` with its continuity rule), and the NNT.
public struct ControlledComparison: Sendable, Equatable {
    /// "Author year [ref]".
    public var study: String
    public var ref: Int
    public var sampleGroup: String
    /// The `comparison` code of `outcomes.csv`.
    public var comparison: String
    public var outcome: ReportedOutcome
    public var timepoint: String
    public var timepointDays: Int?
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
    /// The `outcomes.csv` rows of the two arms.
    public var rows: [Int]
    public var riskRatio: ComparisonEffect
    public var oddsRatio: ComparisonEffect
    public var riskDifference: ComparisonEffect
    public var numberNeededToTreat: NumberNeededToTreat
    public var diagnostics: [String]

    /// The comparison of `active` with `control` (both with events and denominators).
    public static func make(active: TRDOutcome, control: TRDOutcome, kind: ComparatorKind, evidence: TRDEvidence,
                            level: Double = 95) throws(InputError) -> ControlledComparison {
        let study = evidence.label(ref: active.studyRef)
        let table = StudyData.twoByTwo(studies: [study], ai: [Double(active.events!)], n1i: [Double(active.total!)],
                                       ci: [Double(control.events!)], n2i: [Double(control.total!)])
        var notes: [String] = []
        func effect(_ measure: EffectMeasure) throws(InputError) -> ComparisonEffect {
            let sizes = try EffectSizes.compute(measure: measure, data: table, options: EscalcOptions(level: level))
            if measure == .logRiskRatio { notes += sizes.diagnostics.map(\.description) }
            let ci = sizes.confidenceInterval()
            let back = measure.backTransformation() ?? .none
            return ComparisonEffect(measure: measure, method: "escalc", yi: sizes.yi[0], vi: sizes.vi[0],
                                    estimate: back.apply(sizes.yi[0]), ciLower: back.apply(ci.lower[0]),
                                    ciUpper: back.apply(ci.upper[0]), pValue: sizes.pval[0])
        }
        let rd = try effect(.riskDifference)
        return ControlledComparison(
            study: study, ref: active.studyRef, sampleGroup: active.sampleGroup, comparison: active.comparison ?? "",
            outcome: active.outcome, timepoint: active.timepoint, timepointDays: active.timepointDays,
            treatmentClass: active.treatmentClass, kind: kind, activeArm: active.arm, activeAgent: active.agent,
            controlArm: control.arm, controlAgent: control.agent, activeEvents: active.events!, activeTotal: active.total!,
            controlEvents: control.events!, controlTotal: control.total!, rows: [active.row, control.row],
            riskRatio: try effect(.logRiskRatio), oddsRatio: try effect(.logOddsRatio), riskDifference: rd,
            numberNeededToTreat: NumberNeededToTreat(riskDifference: rd.estimate, lower: rd.ciLower, upper: rd.ciUpper),
            diagnostics: notes)
    }
}

extension Optional where Wrapped == BackTransformation {
    /// Applies the transformation, or returns x unchanged when there is none.
    func apply(_ x: Double) -> Double { self?.apply(x) ?? x }
}
