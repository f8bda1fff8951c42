import MetaAnalysis

/// One study × arm × outcome × timepoint (or one reported between-arm effect): a row of
/// `Datasets/trd-review/outcomes.csv` (codebook in its README). Empty cells are nil.
public struct TRDOutcome: Sendable, Equatable {
    /// 1-based data row in the CSV (for errors and provenance).
    public var row: Int
    public var studyRef: Int
    public var sampleGroup: String
    public var sourcePublication: String
    public var sourceDOI: String?
    public var arm: String
    public var armRole: ArmRole
    /// Arms and contrasts of one randomised comparison share it within a study.
    public var comparison: String?
    /// The class of the arm's own treatment (a comparator arm can be of another class than its study).
    public var armClass: ArmClass
    public var agent: Agent
    public var treatmentClass: TreatmentClass
    public var dose: String?
    public var route: Route?
    /// The design of the study the numbers come from, and the phase of it.
    public var design: StudyDesign
    public var phase: TrialPhase
    public var outcome: ReportedOutcome
    public var rater: Rater?
    public var measure: ReportedMeasure
    public var definition: String?
    /// Binary outcomes' definition (`.notStated` when no quote gives it); nil for scores.
    public var definitionCode: OutcomeDefinition?
    public var timepoint: String
    public var timepointDays: Int?
    public var timepointWindow: TimepointWindow
    /// Whether the timepoint is the trial's primary endpoint (nil: no available source says).
    public var primaryTimepoint: Bool?
    public var events: Int?
    public var total: Int?
    public var percent: Double?
    public var mean: Double?
    public var sd: Double?
    public var n: Int?
    public var nComparator: Int?
    public var effectType: String?
    public var effectDescription: String?
    public var effectValue: Double?
    public var ciLower: Double?
    public var ciUpper: Double?
    public var pValue: String?
    /// Which arm values above the null favour (`true`: the first-named arm), for between-arm effects.
    public var aboveNullFavoursFirstArm: Bool?
    /// The trial's own two-sided significance threshold for this comparison, when the source gives one.
    public var alpha: Double?
    public var countDerived: Bool
    /// `primary` or `secondary`.
    public var sourceKind: String
    public var confidence: String
    public var sourceURL: String
    public var sourceQuote: String
    /// Why the row must never be pooled whatever the rules (nil: the rules decide).
    public var neverPool: String?
    public var notes: String

    /// A row; the typed stratification fields default to the values of a randomised double-blind trial's arm
    /// with an unstated definition, so fixtures set only what they test.
    public init(row: Int = 0, studyRef: Int, sampleGroup: String, sourcePublication: String = "", sourceDOI: String? = nil,
                arm: String, armRole: ArmRole, comparison: String? = nil, armClass: ArmClass? = nil, agent: Agent,
                treatmentClass: TreatmentClass, dose: String? = nil, route: Route? = nil,
                design: StudyDesign = .doubleBlindRandomisedTrial, phase: TrialPhase? = nil, outcome: ReportedOutcome,
                rater: Rater? = .clinician, measure: ReportedMeasure, definition: String? = nil,
                definitionCode: OutcomeDefinition? = nil, timepoint: String = "", timepointDays: Int? = nil,
                timepointWindow: TimepointWindow = .medium, primaryTimepoint: Bool? = nil, events: Int? = nil,
                total: Int? = nil, percent: Double? = nil, mean: Double? = nil, sd: Double? = nil, n: Int? = nil,
                nComparator: Int? = nil, effectType: String? = nil, effectDescription: String? = nil,
                aboveNullFavoursFirstArm: Bool? = nil, effectValue: Double? = nil, ciLower: Double? = nil,
                ciUpper: Double? = nil, pValue: String? = nil, alpha: Double? = nil,
                countDerived: Bool = false, sourceKind: String = "primary", confidence: String = "high",
                sourceURL: String = "", sourceQuote: String = "", neverPool: String? = nil, notes: String = "") {
        self.row = row
        self.studyRef = studyRef
        self.sampleGroup = sampleGroup
        self.sourcePublication = sourcePublication
        self.sourceDOI = sourceDOI
        self.arm = arm
        self.armRole = armRole
        self.comparison = comparison
        self.armClass = armClass ?? (armRole == .control ? .control : ArmClass(rawValue: treatmentClass.rawValue)!)
        self.agent = agent
        self.treatmentClass = treatmentClass
        self.dose = dose
        self.route = route
        self.design = design
        self.phase = phase ?? (design.isRandomised ? .randomised : .notRandomised)
        self.outcome = outcome
        self.rater = rater
        self.measure = measure
        self.definition = definition
        self.definitionCode = definitionCode ?? (outcome.isBinary ? .notStated : nil)
        self.timepoint = timepoint
        self.timepointDays = timepointDays
        self.timepointWindow = timepointWindow
        self.primaryTimepoint = primaryTimepoint
        self.events = events
        self.total = total
        self.percent = percent
        self.mean = mean
        self.sd = sd
        self.n = n
        self.nComparator = nComparator
        self.effectType = effectType
        self.effectDescription = effectDescription
        self.effectValue = effectValue
        self.ciLower = ciLower
        self.ciUpper = ciUpper
        self.pValue = pValue
        self.aboveNullFavoursFirstArm = aboveNullFavoursFirstArm
        self.alpha = alpha
        self.countDerived = countDerived
        self.sourceKind = sourceKind
        self.confidence = confidence
        self.sourceURL = sourceURL
        self.sourceQuote = sourceQuote
        self.neverPool = neverPool
        self.notes = notes
    }

    /// Events with a stated denominator: the only binary rows that can be pooled.
    public var hasDenominator: Bool { events != nil && total != nil }
}
