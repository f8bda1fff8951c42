import MetaData
import MetaAnalysis

/// One randomised comparison on a depression scale: arm means (change from baseline when reported, else
/// endpoint), SDs and sizes, and the standardized mean difference (Hedges' g, metafor's SMD: exact small-sample
/// correction; Hedges 1981) active minus control. On these scales a fall is improvement: g < 0 favours the active arm.
public struct ContinuousComparison: Sendable, Equatable {
    public var study: String
    public var ref: Int
    public var sampleGroup: String
    public var comparison: String
    public var outcome: ReportedOutcome
    public var measure: ReportedMeasure
    public var timepoint: String
    public var timepointDays: Int?
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
    /// Hedges' g with its Wald CI.
    public var standardizedMeanDifference: ComparisonEffect

    /// The comparison of `active` with `control` (both with mean, SD and n).
    public static func make(active: TRDOutcome, control: TRDOutcome, kind: ComparatorKind, evidence: TRDEvidence,
                            level: Double = 95) throws(InputError) -> ContinuousComparison {
        let study = evidence.label(ref: active.studyRef)
        let table = StudyData.twoGroup(studies: [study], m1i: [active.mean!], sd1i: [active.sd!], n1i: [Double(active.n!)],
                                       m2i: [control.mean!], sd2i: [control.sd!], n2i: [Double(control.n!)])
        let sizes = try EffectSizes.compute(measure: .standardizedMeanDifference, data: table, options: EscalcOptions(level: level))
        let ci = sizes.confidenceInterval()
        let g = ComparisonEffect(measure: .standardizedMeanDifference, method: "escalc", yi: sizes.yi[0], vi: sizes.vi[0],
                                 estimate: sizes.yi[0], ciLower: ci.lower[0], ciUpper: ci.upper[0], pValue: sizes.pval[0])
        return ContinuousComparison(
            study: study, ref: active.studyRef, sampleGroup: active.sampleGroup, comparison: active.comparison ?? "",
            outcome: active.outcome, measure: active.measure, timepoint: active.timepoint, timepointDays: active.timepointDays,
            treatmentClass: active.treatmentClass, kind: kind, activeArm: active.arm, controlArm: control.arm,
            activeMean: active.mean!, activeSD: active.sd!, activeN: active.n!, controlMean: control.mean!,
            controlSD: control.sd!, controlN: control.n!, rows: [active.row, control.row], standardizedMeanDifference: g)
    }
}
