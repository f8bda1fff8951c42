import MetaAnalysis

/// One included study of the TRD review: a row of `Datasets/trd-review/studies.csv` (codebook in its README).
public struct TRDStudy: Sendable, Equatable {
    /// The review's reference number (unique).
    public var ref: Int
    public var firstAuthor: String
    public var year: Int
    public var title: String
    public var doi: String?
    /// The study's primary identifier, `doi:...` (every study has one; ref 48's comes from its publisher page).
    public var primarySource: String
    /// ClinicalTrials.gov id and PubMed id where the extraction's sources show them.
    public var registryID: String?
    public var pmid: String?
    /// The design as the study reports it; `reviewDesign` is the review's own (often wrong) category.
    public var design: StudyDesign
    public var reviewDesign: ReviewDesignCategory
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
    /// `.none` or `.confirmed`: membership of `sampleGroup`.
    public var overlap: SampleOverlap
    /// A group this study may share participants with (`.likely` or `.possible`), not established.
    public var possibleOverlapGroup: String?
    public var possibleOverlap: SampleOverlap?
    public var notes: String

    /// "Author year [ref]", the label every table and plot uses.
    public var label: String { "\(firstAuthor) \(year) [\(ref)]" }

    /// The study's identifiers as links: DOI, then PubMed, then ClinicalTrials.gov.
    public var links: [(label: String, url: String)] {
        var out: [(String, String)] = []
        if primarySource.hasPrefix("doi:") {
            let doi = String(primarySource.dropFirst(4))
            out.append(("doi:\(doi)", "https://doi.org/\(doi)"))
        }
        if let pmid { out.append(("PMID \(pmid)", "https://pubmed.ncbi.nlm.nih.gov/\(pmid)/")) }
        if let registryID { out.append((registryID, "https://clinicaltrials.gov/study/\(registryID)")) }
        return out
    }

    public init(ref: Int, firstAuthor: String, year: Int, title: String = "", doi: String? = nil, primarySource: String? = nil,
                registryID: String? = nil, pmid: String? = nil, design: StudyDesign,
                reviewDesign: ReviewDesignCategory = .notCategorised,
                treatmentClass: TreatmentClass, agent: Agent, route: Route, reviewTreatmentLists: [String] = [],
                reviewTable: String = "none", n: Int? = nil, nReview: Int? = nil, sampleGroup: String,
                overlap: SampleOverlap = .none, possibleOverlapGroup: String? = nil, possibleOverlap: SampleOverlap? = nil,
                notes: String = "") {
        self.ref = ref
        self.firstAuthor = firstAuthor
        self.year = year
        self.title = title
        self.doi = doi
        self.primarySource = primarySource ?? doi.map { "doi:\($0)" } ?? ""
        self.registryID = registryID
        self.pmid = pmid
        self.design = design
        self.reviewDesign = reviewDesign
        self.treatmentClass = treatmentClass
        self.agent = agent
        self.route = route
        self.reviewTreatmentLists = reviewTreatmentLists
        self.reviewTable = reviewTable
        self.n = n
        self.nReview = nReview
        self.sampleGroup = sampleGroup
        self.overlap = overlap
        self.possibleOverlapGroup = possibleOverlapGroup
        self.possibleOverlap = possibleOverlap
        self.notes = notes
    }
}
