import MetaAnalysis

/// The TRD review's evidence: its included studies and their arm-level outcomes, typed.
///
/// Built from the two CSV files of `Datasets/trd-review/` (the `metaswift` binary embeds them) or from rows
/// made in memory. Every analysis of `Rates/` reads only this value, so a changed row changes every result.
public struct TRDEvidence: Sendable, Equatable {
    public var studies: [TRDStudy]
    public var outcomes: [TRDOutcome]

    public init(studies: [TRDStudy], outcomes: [TRDOutcome]) {
        self.studies = studies
        self.outcomes = outcomes
    }

    /// The study with this reference number.
    public func study(ref: Int) -> TRDStudy? { studies.first { $0.ref == ref } }

    /// "Author year [ref]" for a reference number ("[ref]" if the study is not listed).
    public func label(ref: Int) -> String { study(ref: ref)?.label ?? "[\(ref)]" }
}
