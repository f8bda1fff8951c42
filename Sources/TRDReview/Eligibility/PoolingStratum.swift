import MetaAnalysis

/// The cell results may be pooled within: rows pool only when every field is equal (the eligibility rules,
/// `EligibilityRules`). A definition no quote states pools only within its own sample (`definitionSample`).
public struct PoolingStratum: Hashable, Sendable, Comparable {
    public var outcome: ReportedOutcome
    /// The treatment the stratum is about: an arm class, agent or agent × route for single arms; the active arm's
    /// class for comparisons.
    public var treatmentKey: String
    public var treatmentLabel: String
    /// For controlled comparisons: what the active arm is compared with, and for an active comparator its class
    /// (a switch, another augmentation, ...); nil for single arms.
    public var comparator: ComparatorKind?
    public var comparatorClass: ArmClass?
    public var design: StudyDesign
    public var phase: TrialPhase
    public var window: TimepointWindow
    /// Binary outcomes' definition; nil for scores (the scale is in `outcome`).
    public var definition: OutcomeDefinition?
    /// Set when `definition` is `.notStated`: such rows pool only within one sample.
    public var definitionSample: String?
    public var rater: Rater?

    /// A stable key of all the fields (for JSON and tests).
    public var key: String {
        [outcome.rawValue, treatmentKey, comparator.map { "v_" + $0.rawValue } ?? "arm", comparatorClass?.rawValue ?? "", design.rawValue, phase.rawValue, window.rawValue,
         definition?.rawValue ?? "score", definitionSample ?? "", rater?.rawValue ?? "rater_not_stated"]
            .filter { !$0.isEmpty }.joined(separator: "/")
    }

    /// "Antipsychotic augmentation v active comparator, remission (MADRS <= 10), clinician-rated; open-label RCT,
    /// randomised phase; 3-13 weeks".
    public var label: String {
        var what = treatmentLabel
        if let comparator { what += " " + comparator.displayName }
        if let comparatorClass { what += " (\(comparatorClass.displayName.lowercased()))" }
        var outcomeText = outcome.displayName
        if let definition { outcomeText += " (\(definition.displayName))" }
        if let rater { outcomeText += ", \(rater.displayName)" }
        return "\(what), \(outcomeText); \(design.displayName), \(phase.displayName); \(window.displayName)"
    }

    public static func < (a: Self, b: Self) -> Bool { (a.treatmentLabel, a.outcome.rawValue, a.key) < (b.treatmentLabel, b.outcome.rawValue, b.key) }
}
