import MetaAnalysis

/// One claim of the TRD review checked against the data: the review's words and where they are, what the data
/// show (computed from `TRDEvidence` each time, never typed in), the verdict and the reason for it.
public struct ReviewClaim: Sendable, Equatable {
    /// Stable identifier (e.g. `class_count_glutamatergic`).
    public var id: String
    public var topic: String
    /// Where the review says it (section, table).
    public var location: String
    /// The review's claim, quoted or closely paraphrased.
    public var claim: String
    /// What the data show.
    public var data: String
    public var verdict: ClaimVerdict
    /// Why the verdict follows from the data.
    public var basis: String
    /// The references the claim cites or the data use.
    public var refs: [Int]
}
