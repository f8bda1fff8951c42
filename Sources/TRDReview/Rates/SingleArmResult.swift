import MetaData
import MetaAnalysis

/// A stratum with one study (k = 1): that arm's own rate with its exact Clopper–Pearson interval. It is a study
/// result, never a pooled estimate (`EligibilityRules` rule 5).
public struct SingleArmResult: Sendable, Equatable {
    public var stratum: PoolingStratum
    /// "Author year [ref]" of the publication the numbers come from.
    public var study: String
    public var ref: Int
    public var sampleGroup: String
    public var arm: String
    public var timepoint: String
    /// Whether `timepoint` is the trial's primary one (nil: no available source says).
    public var primaryTimepoint: Bool?
    public var row: Int
    /// `true` when the events were back-calculated from a printed percentage (`count_derived`).
    public var countDerived: Bool
    /// events/total with its exact interval.
    public var interval: ExactBinomialInterval

    public var events: Int { interval.events }
    public var total: Int { interval.total }

    /// - Throws: `InputError` for a row without events and total, or counts outside 0 ≤ events ≤ total.
    public static func make(stratum: PoolingStratum, row: TRDOutcome, study: String, level: Double) throws(InputError) -> SingleArmResult {
        guard let events = row.events, let total = row.total else {
            throw .invalidOption(name: "outcome row \(row.row)", value: "no events/total", expected: "events with a denominator")
        }
        return SingleArmResult(stratum: stratum, study: study, ref: row.studyRef, sampleGroup: row.sampleGroup, arm: row.arm,
                               timepoint: row.timepoint, primaryTimepoint: row.primaryTimepoint, row: row.row, countDerived: row.countDerived,
                               interval: try ExactBinomialInterval(events: events, total: total, level: level))
    }
}
