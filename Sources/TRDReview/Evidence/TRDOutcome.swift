import MetaAnalysis

/// One study × arm × outcome × timepoint (or one reported between-arm effect): a row of
/// `Datasets/trd-review/outcomes.csv` (codebook in its README). Empty cells are nil.
public struct TRDOutcome: Sendable, Equatable {
    /// 1-based data row in the CSV (for errors and provenance).
    public var row: Int
    public var studyRef: Int
    public var sampleGroup: String
    public var sourcePublication: String
    public var arm: String
    public var armRole: ArmRole
    /// Arms and contrasts of one randomised comparison share it within a study.
    public var comparison: String?
    public var agent: Agent
    public var treatmentClass: TreatmentClass
    public var dose: String?
    public var route: Route?
    public var outcome: ReportedOutcome
    public var measure: ReportedMeasure
    public var definition: String?
    public var timepoint: String
    public var timepointDays: Int?
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
    public var countDerived: Bool
    /// `primary` or `secondary`.
    public var sourceKind: String
    public var confidence: String
    public var sourceURL: String
    public var sourceQuote: String
    public var notes: String

    public init(row: Int = 0, studyRef: Int, sampleGroup: String, sourcePublication: String = "", arm: String,
                armRole: ArmRole, comparison: String? = nil, agent: Agent, treatmentClass: TreatmentClass,
                dose: String? = nil, route: Route? = nil, outcome: ReportedOutcome, measure: ReportedMeasure,
                definition: String? = nil, timepoint: String = "", timepointDays: Int? = nil, events: Int? = nil,
                total: Int? = nil, percent: Double? = nil, mean: Double? = nil, sd: Double? = nil, n: Int? = nil,
                nComparator: Int? = nil, effectType: String? = nil, effectDescription: String? = nil,
                effectValue: Double? = nil, ciLower: Double? = nil, ciUpper: Double? = nil, pValue: String? = nil,
                countDerived: Bool = false, sourceKind: String = "primary", confidence: String = "high",
                sourceURL: String = "", sourceQuote: String = "", notes: String = "") {
        self.row = row
        self.studyRef = studyRef
        self.sampleGroup = sampleGroup
        self.sourcePublication = sourcePublication
        self.arm = arm
        self.armRole = armRole
        self.comparison = comparison
        self.agent = agent
        self.treatmentClass = treatmentClass
        self.dose = dose
        self.route = route
        self.outcome = outcome
        self.measure = measure
        self.definition = definition
        self.timepoint = timepoint
        self.timepointDays = timepointDays
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
        self.countDerived = countDerived
        self.sourceKind = sourceKind
        self.confidence = confidence
        self.sourceURL = sourceURL
        self.sourceQuote = sourceQuote
        self.notes = notes
    }

    /// Events with a stated denominator: the only binary rows that can be pooled.
    public var hasDenominator: Bool { events != nil && total != nil }
}
