import MetaAnalysis

/// Which report of a sample is used, so that no participant is counted twice.
///
/// Papers reporting one trial or cohort share a `sample_group` (Datasets/trd-review/README.md). Within any one
/// pool, each sample group contributes at most one row, chosen by, in order:
/// 1. the largest denominator (`total`, else `n`): the fullest report of the sample, not a subset;
/// 2. a primary source over a secondary one;
/// 3. higher extraction confidence;
/// 4. the later timepoint (end of treatment over an early look);
/// 5. the lower review reference, then the earlier CSV row.
/// The other rows are reported as excluded, naming the row that was used.
public enum OverlapRule {
    /// Keeps one row per sample group of `rows`, in the order the groups first appear.
    public static func oneRowPerSample(_ rows: [TRDOutcome]) -> (used: [TRDOutcome], excluded: [(row: TRDOutcome, usedInstead: TRDOutcome)]) {
        var order: [String] = []
        var byGroup: [String: [TRDOutcome]] = [:]
        for row in rows {
            if byGroup[row.sampleGroup] == nil { order.append(row.sampleGroup) }
            byGroup[row.sampleGroup, default: []].append(row)
        }
        var used: [TRDOutcome] = []
        var excluded: [(row: TRDOutcome, usedInstead: TRDOutcome)] = []
        for group in order {
            let candidates = byGroup[group]!
            let best = candidates.min(by: { preferred($0, $1) })!
            used.append(best)
            for other in candidates where other != best { excluded.append((other, best)) }
        }
        return (used, excluded)
    }

    /// Whether `a` is preferred to `b` under the rule above.
    public static func isPreferred(_ a: TRDOutcome, over b: TRDOutcome) -> Bool { preferred(a, b) }

    private static func preferred(_ a: TRDOutcome, _ b: TRDOutcome) -> Bool {
        let sizeA = a.total ?? a.n ?? 0, sizeB = b.total ?? b.n ?? 0
        if sizeA != sizeB { return sizeA > sizeB }
        let primaryA = a.sourceKind == "primary", primaryB = b.sourceKind == "primary"
        if primaryA != primaryB { return primaryA }
        let rankA = confidenceRank(a.confidence), rankB = confidenceRank(b.confidence)
        if rankA != rankB { return rankA > rankB }
        let dayA = a.timepointDays ?? -1, dayB = b.timepointDays ?? -1
        if dayA != dayB { return dayA > dayB }
        if a.studyRef != b.studyRef { return a.studyRef < b.studyRef }
        return a.row < b.row
    }

    private static func confidenceRank(_ c: String) -> Int {
        switch c {
        case "high": return 2
        case "medium": return 1
        default: return 0
        }
    }
}
