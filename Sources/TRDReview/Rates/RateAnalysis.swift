import MetaData
import MetaAnalysis

/// The response/remission aggregation of the TRD review's evidence (`metaswift rates`), under the eligibility
/// rules (`EligibilityRules`, stated in the report):
///
/// - single-arm rates of the review's treatments, one per sample, within strata of outcome, definition, rater,
///   treatment, reported design, phase and timepoint window: a stratum with one study is that study's result
///   (`SingleArmResult`, exact interval); from two studies a `PooledRate` (REML, Knapp–Hartung with the ad hoc
///   floor; GLMM sensitivity; Bayesian with the Turner et al. 2015 prior);
/// - every trial's controlled comparison with events in both arms (RR, OR, RD, NNT), its multi-arm arms combined,
///   at the trial's primary timepoint, pooled within a stratum when two or more trials give one (`ComparisonPool`);
/// - standardized mean differences on depression scales (`ContinuousComparison`, `ContinuousPool`), likewise;
/// - everything else reported for the outcome listed with the reason it is not pooled (`ListedResult`).
///
/// No new estimators: every number comes from `EffectSizes`, `RandomEffectsModel`, `MantelHaenszelFit`,
/// `BinomialNormalGLMM`, `BayesianRandomEffectsModel` and `ExactBinomialInterval`.
public struct RateAnalysis: Sendable {
    public var outcome: RateOutcome
    public var grouping: RateGrouping
    public var modelRequested: RateModel
    /// The models the pooled rates used (a pool falls back to logit when the GLMM cannot be fitted).
    public var modelsUsed: [RateModel] { pooled.map(\.model).uniqued() }
    public var options: RandomEffectsOptions
    /// Strata with k ≥ 2 independent samples.
    public var pooled: [PooledRate]
    /// Strata with one study: study results, never pooled estimates.
    public var studyResults: [SingleArmResult]
    public var listed: [ListedResult]
    public var comparisons: [ControlledComparison]
    public var comparisonPools: [ComparisonPool]
    public var continuous: [ContinuousComparison]
    public var continuousPools: [ContinuousPool]
    /// The multi-arm sensitivity analysis: per stratum where a trial's arms were combined, every arm pair with the
    /// covariance of a shared arm in a multilevel model (`SharedControlAnalysis`).
    public var sharedControl: [SharedControlAnalysis] = []
    public var diagnostics: [RateDiagnostic]

    /// The analysis defaults: REML τ², Knapp–Hartung interval with the ad hoc floor (few-study guidance).
    public static let defaultOptions = RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .adhoc)

    /// Runs the aggregation.
    ///
    /// - Parameters:
    ///   - options: the random-effects choices for every pool (default REML, Knapp–Hartung with the ad hoc floor, 95%).
    /// - Throws: `InputError`, `EstimationError`, `BayesianError` from the library calls.
    public static func run(evidence: TRDEvidence, outcome: RateOutcome, grouping: RateGrouping = .class,
                           model requested: RateModel = .default, options: RandomEffectsOptions = defaultOptions) throws
        -> RateAnalysis
    {
        var notes: [RateDiagnostic] = []
        let model = requested
        if model == .ft { notes.append(.freemanTukeyWarning) }

        let binary = evidence.outcomes.filter { $0.outcome == outcome.reportedOutcome && ($0.measure == .events || $0.measure == .percent) }
        var usedRows = Set<Int>()
        var excludedBecause: [Int: (ListedResult.Reason, String)] = [:]

        // Single-arm rates, stratum by stratum, one row per sample.
        var eligible: [TRDOutcome] = []
        for row in binary where [.singleArm, .active, .comparator, .subgroup].contains(row.armRole) {
            if let why = EligibilityRules.singleArmExclusion(row) { excludedBecause[row.row] = why } else { eligible.append(row) }
        }
        var pooled: [PooledRate] = []
        var studyResults: [SingleArmResult] = []
        for (stratum, rows) in EligibilityRules.group(eligible, by: { EligibilityRules.singleArmStratum($0, grouping: grouping) }) {
            let (used, excluded) = OverlapRule.oneRowPerSample(rows)
            for (row, instead) in excluded {
                excludedBecause[row.row] = (.overlappingSample, "uses \(evidence.label(row: instead)), row \(instead.row)")
                notes.append(.overlapExcluded(study: evidence.label(row: row), row: row.row, sampleGroup: row.sampleGroup,
                                              used: "\(evidence.label(row: instead)) (row \(instead.row))"))
            }
            usedRows.formUnion(used.map(\.row))
            if used.count == 1 {
                studyResults.append(try SingleArmResult.make(stratum: stratum, row: used[0], study: evidence.label(row: used[0]),
                                                             level: options.level))
            } else {
                pooled.append(try PooledRate.fit(stratum: stratum, outcome: outcome, rows: used, evidence: evidence,
                                                 model: model, options: options))
            }
        }

        // Controlled comparisons.
        let comparisons = try Self.binaryComparisons(binary, evidence: evidence, level: options.level)
        for c in comparisons.used { usedRows.formUnion(c.rows) }
        var sharedControl = try Self.sharedControlAnalyses(
            zip(comparisons.used, comparisons.pairs).map { ($0.stratum, $0.study, $0.sampleGroup, $0.combinedArms, $1) },
            measure: .logRiskRatio, level: options.level) { p, stratum in
            let one = try ControlledComparison.make(actives: [p.active], controls: [p.control], kind: p.kind, stratum: stratum,
                                                    evidence: evidence, level: options.level)
            return (one.activeTotal, one.controlTotal, one.riskRatio.yi, one.riskRatio.vi)
        }
        for (row, instead) in comparisons.excluded where !usedRows.contains(row.row) {
            excludedBecause[row.row] = (.overlappingSample, "uses \(evidence.label(row: instead)), row \(instead.row)")
        }
        var comparisonPools: [ComparisonPool] = []
        for (stratum, members) in EligibilityRules.group(comparisons.used, by: \.stratum) {
            if let pool = try ComparisonPool.fit(stratum: stratum, comparisons: members, options: options) {
                comparisonPools.append(pool)
                notes += pool.diagnostics
            }
        }

        // Continuous outcomes.
        let (continuous, continuousPairs) = try Self.continuousComparisons(evidence, level: options.level)
        sharedControl += try Self.sharedControlAnalyses(
            zip(continuous, continuousPairs).map { ($0.stratum, $0.study, $0.sampleGroup, $0.combinedArms, $1) },
            measure: .standardizedMeanDifference, level: options.level) { p, stratum in
            let one = try ContinuousComparison.make(actives: [p.active], controls: [p.control], kind: p.kind, stratum: stratum,
                                                    evidence: evidence, level: options.level)
            return (one.activeN, one.controlN, one.standardizedMeanDifference.yi, one.standardizedMeanDifference.vi)
        }
        var continuousPools: [ContinuousPool] = []
        for (stratum, members) in EligibilityRules.group(continuous, by: \.stratum) {
            if let pool = try ContinuousPool.fit(stratum: stratum, comparisons: members, options: options) {
                continuousPools.append(pool)
                notes += pool.diagnostics
            }
        }

        // Everything else reported for this outcome.
        var listed: [ListedResult] = []
        for row in binary where !usedRows.contains(row.row) {
            guard [.singleArm, .active, .control, .comparator, .subgroup].contains(row.armRole) else { continue }
            let (reason, detail) = excludedBecause[row.row]
                ?? (row.armRole == .control || row.armRole == .comparator ? (.noActiveArm, "") : (.notReviewTreatment, ""))
            listed.append(ListedResult(study: evidence.label(row: row), ref: row.studyRef, row: row.row, arm: row.arm,
                                       armRole: row.armRole, agent: row.agent, treatmentClass: row.treatmentClass,
                                       outcome: row.outcome, timepoint: row.timepoint, value: Self.valueText(row),
                                       reason: reason, detail: detail))
        }
        listed.sort { ($0.treatmentClass, $0.ref, $0.row) < ($1.treatmentClass, $1.ref, $1.row) }

        return RateAnalysis(outcome: outcome, grouping: grouping, modelRequested: requested, options: options,
                            pooled: pooled, studyResults: studyResults, listed: listed, comparisons: comparisons.used,
                            comparisonPools: comparisonPools, continuous: continuous, continuousPools: continuousPools,
                            sharedControl: sharedControl, diagnostics: notes + pooled.flatMap(\.diagnostics))
    }

    /// "64.2%", "9 events (denominator not stated)" or "30/47".
    static func valueText(_ row: TRDOutcome) -> String {
        if let e = row.events, let t = row.total { return "\(e)/\(t)" }
        if let e = row.events { return "\(e) events (denominator not stated)" }
        if let p = row.percent { return "\(CSVNumber.text(p))%" }
        return "not stated"
    }

    /// Each trial's comparison per stratum (`EligibilityRules`): active × control/comparator pairs with
    /// denominators at one timepoint; per sample, the trial's primary timepoint (then `OverlapRule`); the sample's
    /// arms at that timepoint combined on each side. `excluded` pairs each left-out row with the row used instead;
    /// `pairs` are the arm pairs behind each used comparison (for the shared-control sensitivity analysis).
    static func binaryComparisons(_ rows: [TRDOutcome], evidence: TRDEvidence, level: Double) throws(InputError)
        -> (used: [ControlledComparison], pairs: [[Pair]], excluded: [(TRDOutcome, TRDOutcome)])
    {
        let eligible = rows.filter { $0.hasDenominator && EligibilityRules.comparisonExclusion($0) == nil }
        var pairs: [Pair] = []
        for active in eligible where active.armRole == .active {
            for other in eligible where other.studyRef == active.studyRef && other.comparison == active.comparison
                && other.outcome == active.outcome && sameTimepoint(active, other) {
                guard let kind = ComparatorKind(other) else { continue }
                pairs.append(Pair(active: active, control: other, kind: kind,
                                  stratum: EligibilityRules.comparisonStratum(active: active, control: other, kind: kind)))
            }
        }
        var used: [ControlledComparison] = []
        var usedPairs: [[Pair]] = []
        var excluded: [(TRDOutcome, TRDOutcome)] = []
        for (stratum, members) in EligibilityRules.group(pairs, by: \.stratum) {
            for (chosen, left) in oneTrialPerSample(members, prefer: { _ in true }) {
                let actives = chosen.map(\.active).uniqueRows(), controls = chosen.map(\.control).uniqueRows()
                for p in left { excluded += [(p.active, actives[0]), (p.control, actives[0])] }
                used.append(try ControlledComparison.make(actives: actives, controls: controls, kind: chosen[0].kind,
                                                          stratum: stratum, evidence: evidence, level: level))
                usedPairs.append(chosen)
            }
        }
        return (used, usedPairs, excluded)
    }

    /// SMDs per trial and stratum on depression scales with means, SDs and sizes: per sample the primary
    /// timepoint, change scores over endpoint means (the endpoint g kept beside it), arms combined on each side.
    static func continuousComparisons(_ evidence: TRDEvidence, level: Double) throws(InputError) -> ([ContinuousComparison], [[Pair]]) {
        let eligible = evidence.outcomes.filter {
            $0.outcome.isDepressionScale && ($0.measure == .meanChange || $0.measure == .endpointMean)
                && EligibilityRules.comparisonExclusion($0) == nil && $0.mean != nil && $0.sd != nil && $0.n != nil
        }
        var pairs: [Pair] = []
        for active in eligible where active.armRole == .active {
            for other in eligible where other.studyRef == active.studyRef && other.comparison == active.comparison
                && other.outcome == active.outcome && other.measure == active.measure && sameTimepoint(active, other) {
                guard let kind = ComparatorKind(other) else { continue }
                pairs.append(Pair(active: active, control: other, kind: kind,
                                  stratum: EligibilityRules.comparisonStratum(active: active, control: other, kind: kind)))
            }
        }
        var out: [ContinuousComparison] = []
        var outPairs: [[Pair]] = []
        for (stratum, members) in EligibilityRules.group(pairs, by: \.stratum) {
            for (chosen, left) in oneTrialPerSample(members, prefer: { $0.measure == .meanChange }) {
                let first = chosen[0].active
                let endpoint = first.measure == .meanChange
                    ? left.filter { $0.active.studyRef == first.studyRef && $0.active.timepoint.hasPrefix(first.timepoint) && $0.active.measure == .endpointMean }
                    : []
                out.append(try ContinuousComparison.make(
                    actives: chosen.map(\.active).uniqueRows(), controls: chosen.map(\.control).uniqueRows(), kind: chosen[0].kind,
                    stratum: stratum, evidence: evidence,
                    endpoint: endpoint.isEmpty ? nil : (endpoint.map(\.active).uniqueRows(), endpoint.map(\.control).uniqueRows()),
                    level: level))
                outPairs.append(chosen)
            }
        }
        return (out, outPairs)
    }

    /// The shared-control sensitivity analysis of every stratum in which a trial's arms were combined: each unit's arm
    /// pairs enter as their own effects (`effect` gives a pair's arm sizes, yi and vi), `SharedControlAnalysis.fit`.
    static func sharedControlAnalyses(
        _ units: [(stratum: PoolingStratum, study: String, sampleGroup: String, combined: Bool, pairs: [Pair])],
        measure: EffectMeasure, level: Double,
        effect: (Pair, PoolingStratum) throws -> (n1: Int, n2: Int, yi: Double, vi: Double)
    ) throws -> [SharedControlAnalysis] {
        try EligibilityRules.group(units, by: \.stratum).filter { $0.items.contains(where: \.combined) }.map { stratum, members in
            let effects = try members.flatMap { unit in
                try unit.pairs.map { p in
                    let e = try effect(p, stratum)
                    return SharedControlAnalysis.Effect(study: unit.study, sampleGroup: unit.sampleGroup, activeArm: p.active.arm,
                                                        controlArm: p.control.arm, activeRow: p.active.row, controlRow: p.control.row,
                                                        activeN: e.n1, controlN: e.n2, yi: e.yi, vi: e.vi)
                }
            }
            return try SharedControlAnalysis.fit(stratum: stratum, measure: measure, effects: effects, level: level)
        }
    }

    /// An active arm and its comparator at one timepoint, with the stratum they fall in.
    struct Pair {
        var active: TRDOutcome
        var control: TRDOutcome
        var kind: ComparatorKind
        var stratum: PoolingStratum
    }

    /// Per sample group (in order of appearance): the pairs of the preferred report and timepoint (primary
    /// timepoint first, then `prefer`, then `OverlapRule`), and the pairs left out.
    static func oneTrialPerSample(_ pairs: [Pair], prefer: (TRDOutcome) -> Bool) -> [(chosen: [Pair], left: [Pair])] {
        var order: [String] = []
        var bySample: [String: [Pair]] = [:]
        for p in pairs {
            if bySample[p.active.sampleGroup] == nil { order.append(p.active.sampleGroup) }
            bySample[p.active.sampleGroup, default: []].append(p)
        }
        return order.map { sample in
            let candidates = bySample[sample]!
            let best = candidates.map(\.active).min { a, b in
                if (a.primaryTimepoint == true) != (b.primaryTimepoint == true) { return a.primaryTimepoint == true }
                if prefer(a) != prefer(b) { return prefer(a) }
                return OverlapRule.isPreferred(a, over: b)
            }!
            let chosen = candidates.filter { $0.active.studyRef == best.studyRef && $0.active.timepoint == best.timepoint && $0.active.measure == best.measure }
            let left = candidates.filter { p in !chosen.contains { $0.active.row == p.active.row && $0.control.row == p.control.row } }
            return (chosen, left)
        }
    }

    private static func sameTimepoint(_ a: TRDOutcome, _ b: TRDOutcome) -> Bool {
        if let x = a.timepointDays, let y = b.timepointDays { return x == y }
        return a.timepoint == b.timepoint
    }
}

extension Array where Element == TRDOutcome {
    /// The rows once each (by CSV row), in order.
    func uniqueRows() -> [TRDOutcome] {
        var seen = Set<Int>()
        return filter { seen.insert($0.row).inserted }
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
        NumberText.plain(x)
    }
}
