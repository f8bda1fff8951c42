import MetaData
import MetaAnalysis

/// The response/remission aggregation of the TRD review's evidence (`metaswift rates`):
///
/// - pooled single-arm proportions per group (class, agent or agent × route) from arms of the review's treatments
///   (`single_arm` and `active` rows) with events and a denominator, one report per sample (`OverlapRule`);
/// - every controlled comparison with events and denominators in both arms (RR, OR, RD, NNT), pooled within
///   class, outcome and comparator kind when at least two independent comparisons exist (`ComparisonPool`);
/// - standardized mean differences on depression scales (`ContinuousComparison`, `ContinuousPool`);
/// - everything else reported for the outcome listed with the reason it is not pooled (`ListedResult`).
///
/// No new estimators: every number comes from `EffectSizes`, `RandomEffectsModel` and `MantelHaenszelFit`.
public struct RateAnalysis: Sendable {
    public var outcome: RateOutcome
    public var grouping: RateGrouping
    public var modelRequested: RateModel
    /// The models the pooled rates used (a pool falls back to logit when the GLMM cannot be fitted).
    public var modelsUsed: [RateModel] { pooled.map(\.model).uniqued() }
    public var options: RandomEffectsOptions
    public var pooled: [PooledRate]
    public var listed: [ListedResult]
    public var comparisons: [ControlledComparison]
    public var comparisonPools: [ComparisonPool]
    public var continuous: [ContinuousComparison]
    public var continuousPools: [ContinuousPool]
    public var diagnostics: [RateDiagnostic]

    /// Runs the aggregation.
    ///
    /// - Parameters:
    ///   - options: the random-effects choices for every pool (default REML, Knapp–Hartung, 95%).
    /// - Throws: `InputError`, `EstimationError` from the library calls (bad counts, a τ² solver failure).
    public static func run(evidence: TRDEvidence, outcome: RateOutcome, grouping: RateGrouping = .class,
                           model requested: RateModel = .default, options: RandomEffectsOptions = RandomEffectsOptions()) throws
        -> RateAnalysis
    {
        var notes: [RateDiagnostic] = []
        let model = requested
        if model == .ft { notes.append(.freemanTukeyWarning) }

        let binary = evidence.outcomes.filter { $0.outcome == outcome.reportedOutcome && ($0.measure == .events || $0.measure == .percent) }
        var usedRows = Set<Int>()
        var overlapped: [Int: TRDOutcome] = [:]

        // Single-arm rates.
        let armRows = binary.filter { ($0.armRole == .singleArm || $0.armRole == .active) && $0.hasDenominator }
        var groups: [(key: String, label: String, cls: TreatmentClass, rows: [TRDOutcome])] = []
        for row in armRows {
            let g = grouping.group(of: row)
            if let i = groups.firstIndex(where: { $0.key == g.key }) { groups[i].rows.append(row) } else {
                groups.append((g.key, g.label, row.treatmentClass, [row]))
            }
        }
        groups.sort { ($0.cls, $0.label) < ($1.cls, $1.label) }
        var pooled: [PooledRate] = []
        for group in groups {
            let (used, excluded) = OverlapRule.oneRowPerSample(group.rows)
            for (row, instead) in excluded {
                overlapped[row.row] = instead
                notes.append(.overlapExcluded(study: evidence.label(ref: row.studyRef), row: row.row, sampleGroup: row.sampleGroup,
                                              used: "\(evidence.label(ref: instead.studyRef)) (row \(instead.row))"))
            }
            usedRows.formUnion(used.map(\.row))
            pooled.append(try PooledRate.fit(key: group.key, label: group.label, outcome: outcome, rows: used, evidence: evidence,
                                             model: model, options: options))
        }

        // Controlled comparisons.
        let comparisons = try Self.binaryComparisons(binary, evidence: evidence, level: options.level)
        for c in comparisons.used { usedRows.formUnion(c.rows) }
        for (row, instead) in comparisons.excluded { overlapped[row.row] = instead }
        var comparisonPools: [ComparisonPool] = []
        for (key, members) in Self.poolGroups(comparisons.used, key: { ($0.treatmentClass, $0.outcome, $0.kind) }) {
            let label = "\(key.0.displayName), \(key.1.displayName) \(key.2.displayName)"
            if let pool = try ComparisonPool.fit(key: "\(key.0.rawValue)/\(key.1.rawValue)/\(key.2.rawValue)", label: label,
                                                 comparisons: members, options: options) {
                comparisonPools.append(pool)
                notes += pool.diagnostics
            }
        }

        // Continuous outcomes.
        let continuous = try Self.continuousComparisons(evidence, level: options.level)
        var continuousPools: [ContinuousPool] = []
        for (key, members) in Self.poolGroups(continuous, key: { ($0.treatmentClass, $0.outcome, $0.kind) }) {
            let label = "\(key.0.displayName), \(key.1.displayName) \(key.2.displayName)"
            if let pool = try ContinuousPool.fit(key: "\(key.0.rawValue)/\(key.1.rawValue)/\(key.2.rawValue)", label: label,
                                                 comparisons: members, evidence: evidence, options: options) {
                continuousPools.append(pool)
                notes += pool.diagnostics
            }
        }

        // Everything else reported for this outcome.
        var listed: [ListedResult] = []
        for row in binary where !usedRows.contains(row.row) {
            guard [.singleArm, .active, .control, .comparator, .subgroup].contains(row.armRole) else { continue }
            var reason: ListedResult.Reason
            var detail = ""
            if !row.hasDenominator {
                reason = .noDenominator
            } else if row.armRole == .subgroup {
                reason = .subgroup
            } else if let instead = overlapped[row.row] {
                reason = .overlappingSample
                detail = "uses \(evidence.label(ref: instead.studyRef)), row \(instead.row)"
            } else if row.armRole == .control || row.armRole == .comparator {
                reason = .noActiveArm
            } else {
                reason = .notReviewTreatment
            }
            if row.armRole == .subgroup && !row.hasDenominator { reason = .subgroup; detail = "no stated denominator" }
            listed.append(ListedResult(study: evidence.label(ref: row.studyRef), ref: row.studyRef, row: row.row, arm: row.arm,
                                       armRole: row.armRole, agent: row.agent, treatmentClass: row.treatmentClass,
                                       outcome: row.outcome, timepoint: row.timepoint, value: Self.valueText(row),
                                       reason: reason, detail: detail))
        }
        listed.sort { ($0.treatmentClass, $0.ref, $0.row) < ($1.treatmentClass, $1.ref, $1.row) }

        return RateAnalysis(outcome: outcome, grouping: grouping, modelRequested: requested, options: options,
                            pooled: pooled, listed: listed, comparisons: comparisons.used, comparisonPools: comparisonPools,
                            continuous: continuous, continuousPools: continuousPools,
                            diagnostics: notes + pooled.flatMap(\.diagnostics))
    }

    /// "64.2%", "9 events (denominator not stated)" or "30/47".
    static func valueText(_ row: TRDOutcome) -> String {
        if let e = row.events, let t = row.total { return "\(e)/\(t)" }
        if let e = row.events { return "\(e) events (denominator not stated)" }
        if let p = row.percent { return "\(CSVNumber.text(p))%" }
        return "not stated"
    }

    /// Active × control/comparator pairs with denominators, latest shared timepoint per pair, one report per sample.
    static func binaryComparisons(_ rows: [TRDOutcome], evidence: TRDEvidence, level: Double) throws(InputError)
        -> (used: [ControlledComparison], excluded: [(TRDOutcome, TRDOutcome)])
    {
        let eligible = rows.filter { $0.hasDenominator && $0.comparison != nil && [.active, .control, .comparator].contains($0.armRole) }
        var pairs: [(active: TRDOutcome, control: TRDOutcome, kind: ComparatorKind)] = []
        for active in eligible where active.armRole == .active {
            for other in eligible where other.studyRef == active.studyRef && other.comparison == active.comparison
                && other.outcome == active.outcome && sameTimepoint(active, other) {
                guard let kind = ComparatorKind(other.armRole) else { continue }
                if let i = pairs.firstIndex(where: { $0.active.studyRef == active.studyRef && $0.active.arm == active.arm && $0.control.arm == other.arm }) {
                    if (active.timepointDays ?? -1) > (pairs[i].active.timepointDays ?? -1) { pairs[i] = (active, other, kind) }
                } else {
                    pairs.append((active, other, kind))
                }
            }
        }
        // One report per sample: keep the reference whose largest comparison is preferred.
        var keepRef: [String: TRDOutcome] = [:]
        for p in pairs {
            if let current = keepRef[p.active.sampleGroup], !OverlapRule.isPreferred(p.active, over: current) { continue }
            keepRef[p.active.sampleGroup] = p.active
        }
        var used: [ControlledComparison] = []
        var excluded: [(TRDOutcome, TRDOutcome)] = []
        for p in pairs {
            let kept = keepRef[p.active.sampleGroup]!
            if kept.studyRef != p.active.studyRef {
                excluded.append((p.active, kept))
                excluded.append((p.control, kept))
                continue
            }
            used.append(try ControlledComparison.make(active: p.active, control: p.control, kind: p.kind, evidence: evidence, level: level))
        }
        return (used, excluded)
    }

    /// SMDs for every randomised pair on a depression scale with means, SDs and sizes: change scores when both arms
    /// report them, else endpoint means; the latest shared timepoint; one report per sample.
    static func continuousComparisons(_ evidence: TRDEvidence, level: Double) throws(InputError) -> [ContinuousComparison] {
        let eligible = evidence.outcomes.filter {
            $0.outcome.isDepressionScale && ($0.measure == .meanChange || $0.measure == .endpointMean) && $0.comparison != nil
                && [.active, .control, .comparator].contains($0.armRole) && $0.mean != nil && $0.sd != nil && $0.n != nil
        }
        var chosen: [(active: TRDOutcome, control: TRDOutcome, kind: ComparatorKind)] = []
        for active in eligible where active.armRole == .active {
            for other in eligible where other.studyRef == active.studyRef && other.comparison == active.comparison
                && other.outcome == active.outcome && other.measure == active.measure && sameTimepoint(active, other) {
                guard let kind = ComparatorKind(other.armRole) else { continue }
                if let i = chosen.firstIndex(where: { $0.active.studyRef == active.studyRef && $0.active.arm == active.arm
                    && $0.control.arm == other.arm && $0.active.outcome == active.outcome }) {
                    let current = chosen[i].active
                    let better = (active.measure == .meanChange && current.measure != .meanChange)
                        || (active.measure == current.measure && (active.timepointDays ?? -1) > (current.timepointDays ?? -1))
                    if better { chosen[i] = (active, other, kind) }
                } else {
                    chosen.append((active, other, kind))
                }
            }
        }
        var keepRef: [String: Int] = [:]
        for c in chosen {
            let size = c.active.n! + c.control.n!
            if let ref = keepRef[c.active.sampleGroup], ref != c.active.studyRef {
                let current = chosen.filter { $0.active.studyRef == ref }.map { $0.active.n! + $0.control.n! }.max() ?? 0
                if size <= current { continue }
            }
            keepRef[c.active.sampleGroup] = c.active.studyRef
        }
        return try chosen.filter { keepRef[$0.active.sampleGroup] == $0.active.studyRef }.map { (c) throws(InputError) in
            try ContinuousComparison.make(active: c.active, control: c.control, kind: c.kind, evidence: evidence, level: level)
        }
    }

    private static func sameTimepoint(_ a: TRDOutcome, _ b: TRDOutcome) -> Bool {
        if let x = a.timepointDays, let y = b.timepointDays { return x == y }
        return a.timepoint == b.timepoint
    }

    static func poolGroups<T>(_ items: [T], key: (T) -> (TreatmentClass, ReportedOutcome, ComparatorKind))
        -> [((TreatmentClass, ReportedOutcome, ComparatorKind), [T])]
    {
        var groups: [((TreatmentClass, ReportedOutcome, ComparatorKind), [T])] = []
        for item in items {
            let k = key(item)
            if let i = groups.firstIndex(where: { $0.0 == k }) { groups[i].1.append(item) } else { groups.append((k, [item])) }
        }
        return groups
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

/// Shortest decimal text of a number as the data print it ("64.2", "30").
enum CSVNumber {
    static func text(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
