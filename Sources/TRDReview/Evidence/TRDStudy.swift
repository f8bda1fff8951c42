import MetaAnalysis

/// One included study of the TRD review: a row of `Datasets/trd-review/studies.csv` (codebook in its README).
public struct TRDStudy: Sendable, Equatable {
    /// The review's reference number (unique).
    public var ref: Int
    public var firstAuthor: String
    public var year: Int
    public var title: String
    public var doi: String?
    public var design: StudyDesign
    public var treatmentClass: TreatmentClass
    public var agent: Agent
    public var route: Route
    /// Section 3.1 treatment lists citing the study (`review_treatment_lists`, `;`-separated codes).
    public var reviewTreatmentLists: [String]
    /// `table1`, `table2`, `table3` or `none`.
    public var reviewTable: String
    /// Participants as the source states (nil when unknown).
    public var n: Int?
    /// N as printed in the review's section 3.1 (12 studies).
    public var nReview: Int?
    /// Papers reporting one trial or cohort share it: never pooled twice.
    public var sampleGroup: String
    public var overlap: SampleOverlap
    public var notes: String

    /// "Author year [ref]", the label every table and plot uses.
    public var label: String { "\(firstAuthor) \(year) [\(ref)]" }

    public init(ref: Int, firstAuthor: String, year: Int, title: String = "", doi: String? = nil, design: StudyDesign,
                treatmentClass: TreatmentClass, agent: Agent, route: Route, reviewTreatmentLists: [String] = [],
                reviewTable: String = "none", n: Int? = nil, nReview: Int? = nil, sampleGroup: String,
                overlap: SampleOverlap = .none, notes: String = "") {
        self.ref = ref
        self.firstAuthor = firstAuthor
        self.year = year
        self.title = title
        self.doi = doi
        self.design = design
        self.treatmentClass = treatmentClass
        self.agent = agent
        self.route = route
        self.reviewTreatmentLists = reviewTreatmentLists
        self.reviewTable = reviewTable
        self.n = n
        self.nReview = nReview
        self.sampleGroup = sampleGroup
        self.overlap = overlap
        self.notes = notes
    }
}
