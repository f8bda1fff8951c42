import MetaAnalysis

/// The reanalysis's eligibility rules, stated once: the report prints `statement`, and `RateAnalysis` applies
/// the functions below (audit A1–A4, A8, A9, A13; Cochrane Handbook v6.4 §6.5.2.10, §23.3.4).
///
/// 1. Results pool only within one `PoolingStratum`: the same outcome, definition and rater, treatment (the arm's
///    own class, agent or agent × route; for comparisons also the comparator kind), reported design, phase and
///    timepoint window. An unstated definition pools only within its own sample.
/// 2. Rows marked `never_pool`, non-randomised subgroups, rows without a denominator (binary) or SD and n
///    (scores), control arms as single arms, and timing the source does not fix (`unknown`) enter no pool.
/// 3. One estimate per independent sample (`sample_group`) and stratum: the trial's primary timepoint first, then
///    the primary source, then extraction confidence, then the fullest report (`OverlapRule`).
/// 4. A trial's several comparisons in one stratum become one: its active arms are combined, and its control
///    arms are combined, by adding events and sizes (binary) or by the combined-groups mean and SD (scores), so a
///    shared control is counted once; `SharedControlAnalysis` repeats such strata pair by pair with the shared
///    arm's covariance (the sensitivity analysis).
/// 5. k = 1 is that study's result, never a pooled estimate.
/// 6. Studies that may share participants (`possible_overlap`) are counted as independent and the pool is
///    repeated without the smaller one.
public enum EligibilityRules {
    /// The rules in words, as the report states them.
    public static let statement: [String] = [
        "Results pool only within one stratum: the same outcome, definition and rater (clinician or patient), the same treatment (the arm's own class, agent or agent and route; for comparisons also the comparator: placebo or active placebo, waitlist, or an active treatment), the design as the trial reports it, the same phase (randomised, open-label enrichment, open-label continuation, not randomised) and the same timepoint window (0-2 days, 3-21 days, 3-13 weeks, over 13 weeks). An outcome whose definition no source states pools only within its own sample.",
        "Rows marked never-pool in the data (a subset of a larger report, a post hoc subgroup, a patient-rated subgroup analysis), non-randomised subgroups, counts without a stated denominator, scores without SD and n, and timing the source does not fix are listed, not pooled.",
        "One estimate per independent sample in each stratum: the trial's primary timepoint first, then a primary over a secondary source, then extraction confidence, then the fullest report.",
        "Multi-arm trials enter a stratum once: their active arms are combined and their control arms are combined (events and sizes added; scores by the combined-groups mean and SD, Cochrane Handbook 6.5.2.10 and 23.3.4), so a shared control is never counted twice. As a sensitivity analysis the same trials enter arm pair by arm pair, the pairs that share an arm correlated through it (vcalc: the arm sizes as weights, Gleser and Olkin 2009), in a multilevel model with a random intercept per trial (REML), or by the trial's generalised least squares when the stratum has one trial.",
        "A stratum with one study shows that study's result (exact Clopper-Pearson interval for a single arm), labelled as a study result, never as pooled.",
        "From k = 2: random effects with REML and the Knapp-Hartung interval with the ad hoc floor (the default); the binomial-normal GLMM (single arms) as a sensitivity analysis; and the Bayesian random-effects estimate with the Turner et al. (2015) empirical prior for tau (mental health indicators), recommended when k is 2 to 4. A prediction interval from k = 3.",
        "Claims about a trial are tested with the trial's own significance threshold (OPTIMUM step 1: P < 0.017) and the matching (1 - alpha) interval.",
    ]

    /// Why a row enters no single-arm pool, with a detail (nil: eligible).
    public static func singleArmExclusion(_ row: TRDOutcome) -> (reason: ListedResult.Reason, detail: String)? {
        if let reason = row.neverPool { return (.neverPool, reason) }
        if row.armRole == .subgroup { return (.subgroup, row.hasDenominator ? "" : "no stated denominator") }
        guard [.singleArm, .active, .comparator].contains(row.armRole), row.armClass.treatmentClass != nil else {
            return (row.armRole == .comparator ? .noActiveArm : .notReviewTreatment, "")
        }
        if !row.hasDenominator { return (.noDenominator, "") }
        if row.timepointWindow == .unknown { return (.timingNotFixed, row.timepoint) }
        return nil
    }

    /// The stratum of an eligible single arm, under the grouping the user chose.
    public static func singleArmStratum(_ row: TRDOutcome, grouping: RateGrouping) -> PoolingStratum {
        let group = grouping.group(of: row)
        return PoolingStratum(outcome: row.outcome, treatmentKey: group.key, treatmentLabel: group.label, comparator: nil, comparatorClass: nil,
                              design: row.design, phase: row.phase, window: row.timepointWindow,
                              definition: row.definitionCode,
                              definitionSample: row.definitionCode == .notStated ? row.sampleGroup : nil, rater: row.rater)
    }

    /// Why a row enters no controlled comparison (nil: eligible).
    public static func comparisonExclusion(_ row: TRDOutcome) -> String? {
        if let reason = row.neverPool { return "never pooled: \(reason)" }
        guard row.comparison != nil, [.active, .control, .comparator].contains(row.armRole) else { return "not an arm of a randomised comparison" }
        return nil
    }

    /// The stratum of a controlled comparison (the active arm's row and its comparator's row).
    public static func comparisonStratum(active: TRDOutcome, control: TRDOutcome, kind: ComparatorKind) -> PoolingStratum {
        let cls = active.armClass
        let undefined = active.definitionCode == .notStated || active.timepointWindow == .unknown
        return PoolingStratum(outcome: active.outcome, treatmentKey: cls.rawValue, treatmentLabel: cls.displayName, comparator: kind,
                              comparatorClass: kind == .comparator ? control.armClass : nil,
                              design: active.design, phase: active.phase, window: active.timepointWindow,
                              definition: active.definitionCode, definitionSample: undefined ? active.sampleGroup : nil,
                              rater: active.rater)
    }

    /// Rows grouped by stratum (strata in a stable order, rows in CSV order).
    public static func group<T>(_ items: [T], by stratum: (T) -> PoolingStratum) -> [(stratum: PoolingStratum, items: [T])] {
        var order: [PoolingStratum] = []
        var members: [PoolingStratum: [T]] = [:]
        for item in items {
            let s = stratum(item)
            if members[s] == nil { order.append(s) }
            members[s, default: []].append(item)
        }
        return order.sorted().map { ($0, members[$0]!) }
    }
}
