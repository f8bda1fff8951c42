/// One row of the report's key-findings table: a question, the studies and participants behind the answer, the
/// estimate with its interval (and prediction interval from k = 3), the GRADE certainty with its domains, and a
/// one-line plain-language reading. Built from the data by `KeyFindings.make`.
public struct KeyFinding: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// k = 1: the only study in its stratum.
        case studyResult = "study result"
        /// k ≥ 2 studies pooled.
        case pooled
    }

    public var question: String
    public var stratum: PoolingStratum
    public var kind: Kind
    /// Study labels and reference numbers.
    public var studies: [String]
    public var refs: [Int]
    public var participants: Int
    /// E.g. "27.1% [22.4, 32.2]" or "RR 1.53 [1.15, 2.05]".
    public var estimate: String
    /// The method behind `estimate` (e.g. "exact (Clopper-Pearson)", "Bayesian, Turner 2015 prior").
    public var method: String
    /// "[a, b]", or why there is none ("k < 3").
    public var predictionInterval: String
    public var certainty: Certainty
    public var reading: String
    /// Some counts behind the row were back-calculated from printed percentages.
    public var countDerived: Bool
    /// Whether the results behind the row are at their trials' primary timepoints (nil: no available source says
    /// for at least one; `PrimaryTimepoint.combined`).
    public var primaryTimepoint: Bool? = nil

    public var k: Int { studies.count }
}
