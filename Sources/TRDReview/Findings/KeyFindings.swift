import MetaAnalysis
import MetaReport

/// The key-findings table (summary of findings), generated from the rate analyses: one row per stratum with a
/// result — controlled comparisons first (they answer "does it work better than ..."), then scale scores, then
/// single-arm rates (what happened on the treatment, not its effect). Each row's certainty follows `gradeRules`.
public enum KeyFindings {
    /// The GRADE rules applied, in words (the report prints them under the table).
    public static let gradeRules: [String] = [
        "Start: randomised comparisons at high certainty; single-arm rates (which describe outcomes on a treatment, not its effect) and non-randomised comparisons at low.",
        "Risk of bias: -1 for open-label randomised designs (participants and treating clinicians knew the allocation); -1 when counts were back-calculated from a secondary source (news or press summary).",
        "Inconsistency: -1 when I-squared exceeds 50% in a pooled stratum; not assessable with one study.",
        "Imprecision: comparisons -1 when the 95% CI includes no effect (or, for a trial with its own threshold, when P is not below it) and -1 when fewer than 300 events (binary) or 400 participants (scores) inform it; rates -1 when the 95% CI spans more than 20 percentage points, -2 when more than 40.",
        "Indirectness: -1 for results from an open-label enrichment or continuation phase (only responders, or after unblinding) and for pooled strata that mix agents.",
        "Publication bias: not judged (no stratum has the ten or more studies a funnel plot or test needs); no downgrade, and the limitations say so.",
        "Each domain is judged from typed fields of the data (design, phase, source kind, count derivation) and the result's own statistics (CI, events, I-squared), never by hand; the table lists every domain with its downgrade and reason.",
    ]

    /// The findings of `analyses` (response and remission, grouped by class).
    public static func make(evidence: TRDEvidence, analyses: [RateAnalysis]) -> [KeyFinding] {
        let rowsByNumber = Dictionary(evidence.outcomes.map { ($0.row, $0) }, uniquingKeysWith: { a, _ in a })
        func secondaryDerived(_ rows: [Int]) -> Bool {
            rows.contains { rowsByNumber[$0].map { $0.countDerived && $0.sourceKind == "secondary" } ?? false }
        }
        func primary(_ rows: [Int]) -> Bool? { PrimaryTimepoint.combined(rows.map { rowsByNumber[$0]?.primaryTimepoint }) }
        func flagged(_ f: KeyFinding, rows: [Int]) -> KeyFinding {
            var f = f
            f.primaryTimepoint = primary(rows)
            return f
        }
        var comparisons: [KeyFinding] = [], scores: [KeyFinding] = [], rates: [KeyFinding] = []
        var seenScores = Set<String>()
        for a in analyses {
            let pooledKeys = Set(a.comparisonPools.map(\.stratum.key))
            for c in a.comparisons where !pooledKeys.contains(c.stratum.key) {
                comparisons.append(flagged(comparison(c, secondary: secondaryDerived(c.rows)), rows: c.rows))
            }
            for p in a.comparisonPools {
                let rows = a.comparisons.filter { $0.stratum == p.stratum }.flatMap(\.rows)
                comparisons.append(flagged(comparisonPool(p, secondary: secondaryDerived(rows)), rows: rows))
            }
            let pooledScores = Set(a.continuousPools.map(\.stratum.key))
            for c in a.continuous where !pooledScores.contains(c.stratum.key) && seenScores.insert(c.stratum.key).inserted {
                scores.append(flagged(score(c), rows: c.rows))
            }
            for p in a.continuousPools where seenScores.insert(p.stratum.key).inserted {
                scores.append(flagged(scorePool(p), rows: p.comparisons.flatMap(\.rows)))
            }
            for p in a.pooled { rates.append(flagged(pooledRate(p, secondary: secondaryDerived(p.studies.map(\.row))), rows: p.studies.map(\.row))) }
            for r in a.studyResults { rates.append(flagged(studyRate(r, secondary: secondaryDerived([r.row])), rows: [r.row])) }
        }
        for c in ReportedContrast.all(evidence, analyses: analyses) where c.exclusion == nil { scores.append(reported(c)) }
        return comparisons + scores + rates
    }

    // MARK: - Rows

    static func comparison(_ c: ControlledComparison, secondary: Bool) -> KeyFinding {
        let rr = c.riskRatio, rd = c.riskDifference
        let trialAlpha = c.alpha != 0.05
        let clear = trialAlpha ? c.significantAtTrialAlpha : (rr.ciLower > 1 || rr.ciUpper < 1)
        var estimate = "RR \(fmt(rr.estimate)) [\(fmt(rr.ciLower)), \(fmt(rr.ciUpper))]; RD \(pp(rd.estimate)) points"
        if trialAlpha {
            let t = c.riskDifferenceAtTrialAlpha
            estimate += " [\(pp(t.ciLower)), \(pp(t.ciUpper))] at the trial's alpha \(fmt(c.alpha, 3)), p = \(fmt(rd.pValue, 3))"
        }
        let events = c.activeEvents + c.controlEvents
        let certainty = Certainty(start: c.stratum.design.isRandomised ? .high : .low, domains: [
            riskOfBias(c.stratum.design, secondary: secondary),
            Certainty.Domain(name: .inconsistency, downgrade: 0, reason: "one trial: not assessable"),
            Certainty.Domain(name: .imprecision, downgrade: (clear ? 0 : 1) + (events < 300 ? 1 : 0),
                             reason: [clear ? nil : (trialAlpha ? "P not below the trial's threshold" : "95% CI includes no effect"),
                                      events < 300 ? "\(events) events" : nil].compactMap { $0 }.joined(separator: "; ")),
            indirectness(c.stratum.phase, mixesAgents: false),
        ])
        let outcome = outcomeText(c.stratum)
        let active = c.activeArm.shortLabel, control = c.controlArm.shortLabel
        var reading = clear
            ? "\(outcome.capitalizedFirst) was \(rr.estimate > 1 ? "more" : "less") common with \(active) than with \(control) in one trial"
            : "No clear difference in \(outcome) between \(active) and \(control) in one trial"
        if trialAlpha && !clear && rd.ciLower > 0 { reading += " at its own threshold (P < \(fmt(c.alpha, 3))), although the unadjusted 95% CI excludes 0" }
        return KeyFinding(question: c.stratum.label, stratum: c.stratum, kind: .studyResult, studies: [c.study], refs: [c.ref],
                          participants: c.activeTotal + c.controlTotal, estimate: estimate, method: "escalc (Wald)" + (c.combinedArms ? ", arms combined" : ""),
                          predictionInterval: "not estimable (one trial)", certainty: certainty,
                          reading: reading + " (\(c.activeEvents)/\(c.activeTotal) v \(c.controlEvents)/\(c.controlTotal)).", countDerived: c.countDerived)
    }

    static func comparisonPool(_ p: ComparisonPool, secondary: Bool) -> KeyFinding {
        let best = p.estimates.first(where: \.recommended) ?? p.estimates.first
        let i2 = p.randomEffects.first { $0.measure == .logOddsRatio }?.iSquared
        let events = p.units.reduce(0) { $0 + $1.activeEvents + $1.controlEvents }
        let clear = best.map { $0.ciLower > 1 || $0.ciUpper < 1 } ?? false
        let certainty = Certainty(start: p.stratum.design.isRandomised ? .high : .low, domains: [
            riskOfBias(p.stratum.design, secondary: secondary),
            Certainty.Domain(name: .inconsistency, downgrade: (i2 ?? 0) > 50 ? 1 : 0, reason: "I2 \(fmt(i2 ?? 0, 0))%"),
            Certainty.Domain(name: .imprecision, downgrade: (clear ? 0 : 1) + (events < 300 ? 1 : 0),
                             reason: [clear ? nil : "95% CI includes no effect", events < 300 ? "\(events) events" : nil].compactMap { $0 }.joined(separator: "; ")),
            indirectness(p.stratum.phase, mixesAgents: false),
        ])
        let estimate = best.map { "OR \(fmt($0.estimate)) [\(fmt($0.ciLower)), \(fmt($0.ciUpper))]" } ?? ""
        return KeyFinding(question: p.stratum.label, stratum: p.stratum, kind: .pooled, studies: p.units.map(\.study), refs: p.units.map(\.ref),
                          participants: p.totalN, estimate: estimate, method: best?.method.displayName ?? "",
                          predictionInterval: prediction(best, k: p.k, scale: 1), certainty: certainty,
                          reading: "\(clear ? "Across" : "No clear difference across") \(p.k) trials: \(outcomeText(p.stratum)).", countDerived: false)
    }

    static func score(_ c: ContinuousComparison) -> KeyFinding {
        let g = c.standardizedMeanDifference
        let clear = g.ciUpper < 0 || g.ciLower > 0
        let n = c.activeN + c.controlN
        let certainty = Certainty(start: c.stratum.design.isRandomised ? .high : .low, domains: [
            riskOfBias(c.stratum.design, secondary: false),
            Certainty.Domain(name: .inconsistency, downgrade: 0, reason: "one trial: not assessable"),
            Certainty.Domain(name: .imprecision, downgrade: (clear ? 0 : 1) + (n < 400 ? 1 : 0),
                             reason: [clear ? nil : "95% CI includes no effect", n < 400 ? "\(n) participants" : nil].compactMap { $0 }.joined(separator: "; ")),
            indirectness(c.stratum.phase, mixesAgents: false),
        ])
        var reading = clear
            ? "\(c.outcome.displayName) scores improved \(g.estimate < 0 ? "more" : "less") with \(c.activeArm.shortLabel) than with \(c.controlArm.shortLabel) in one trial"
            : "No clear difference in \(c.outcome.displayName) scores between \(c.activeArm.shortLabel) and \(c.controlArm.shortLabel) in one trial"
        if c.analysisDependent, let e = c.endpointAlternative {
            reading += "; the endpoint analysis gives g = \(fmt(e.estimate)) [\(fmt(e.ciLower)), \(fmt(e.ciUpper))], so the result depends on the analysis (baseline imbalance)"
        }
        return KeyFinding(question: c.stratum.label, stratum: c.stratum, kind: .studyResult, studies: [c.study], refs: [c.ref], participants: n,
                          estimate: "g \(fmt(g.estimate)) [\(fmt(g.ciLower)), \(fmt(g.ciUpper))]",
                          method: "Hedges' g, \(c.measure == .meanChange ? "change scores" : "endpoint scores")" + (c.combinedArms ? ", arms combined" : ""),
                          predictionInterval: "not estimable (one trial)", certainty: certainty, reading: reading + ".", countDerived: false)
    }

    /// A between-group effect the trial reports without arm data: that trial's result (`ReportedContrast`).
    static func reported(_ c: ReportedContrast) -> KeyFinding {
        let lower = c.ciLower ?? .nan, upper = c.ciUpper ?? .nan
        let clear = upper < 0 || lower > 0
        let n = (c.activeN ?? 0) + (c.controlN ?? 0)
        let certainty = Certainty(start: c.design.isRandomised ? .high : .low, domains: [
            riskOfBias(c.design, secondary: false),
            Certainty.Domain(name: .inconsistency, downgrade: 0, reason: "one trial: not assessable"),
            Certainty.Domain(name: .imprecision, downgrade: (clear ? 0 : 1) + (n < 400 ? 1 : 0),
                             reason: [clear ? nil : "95% CI includes no effect", n < 400 ? "\(n) participants" : nil].compactMap { $0 }.joined(separator: "; ")),
            indirectness(c.phase, mixesAgents: false),
        ])
        let (first, second) = c.arms
        let reading = clear
            ? "\(c.outcome.displayName) scores were \(c.estimate < 0 ? "lower" : "higher") with \(first) than with \(second.lowercased()) in one trial"
            : "No clear difference in \(c.outcome.displayName) scores between \(first) and \(second.lowercased()) in one trial"
        return KeyFinding(question: c.stratum.label + " (effect reported without arm data)", stratum: c.stratum, kind: .studyResult,
                          studies: [c.study], refs: [c.ref], participants: n, estimate: c.estimateText,
                          method: "as reported by the trial (\(c.direction)); no arm data to recompute or pool",
                          predictionInterval: "not estimable (one trial)", certainty: certainty,
                          reading: reading + " (reported \(c.measureLabel) at \(c.timepoint)).", countDerived: false, primaryTimepoint: c.primaryTimepoint)
    }

    static func scorePool(_ p: ContinuousPool) -> KeyFinding {
        let best = p.estimates.first(where: \.recommended) ?? p.estimates.first
        let n = p.comparisons.reduce(0) { $0 + $1.activeN + $1.controlN }
        let clear = best.map { $0.ciUpper < 0 || $0.ciLower > 0 } ?? false
        let certainty = Certainty(start: p.stratum.design.isRandomised ? .high : .low, domains: [
            riskOfBias(p.stratum.design, secondary: false),
            Certainty.Domain(name: .inconsistency, downgrade: (p.pooled.iSquared ?? 0) > 50 ? 1 : 0, reason: "I2 \(fmt(p.pooled.iSquared ?? 0, 0))%"),
            Certainty.Domain(name: .imprecision, downgrade: (clear ? 0 : 1) + (n < 400 ? 1 : 0),
                             reason: [clear ? nil : "95% CI includes no effect", n < 400 ? "\(n) participants" : nil].compactMap { $0 }.joined(separator: "; ")),
            indirectness(p.stratum.phase, mixesAgents: false),
        ])
        return KeyFinding(question: p.stratum.label, stratum: p.stratum, kind: .pooled, studies: p.comparisons.map(\.study), refs: p.comparisons.map(\.ref),
                          participants: n, estimate: best.map { "g \(fmt($0.estimate)) [\(fmt($0.ciLower)), \(fmt($0.ciUpper))]" } ?? "",
                          method: best?.method.displayName ?? "", predictionInterval: prediction(best, k: p.k, scale: 1), certainty: certainty,
                          reading: "\(clear ? "Scores improved more with the active arms" : "No clear difference in scores") across \(p.k) trials.", countDerived: false)
    }

    static func pooledRate(_ p: PooledRate, secondary: Bool) -> KeyFinding {
        let best = p.recommended ?? p.estimates.first
        let width = best.map { 100 * ($0.ciUpper - $0.ciLower) } ?? 100
        let agents = Set(p.studies.map(\.agent)).count
        let certainty = Certainty(start: .low, domains: [
            Certainty.Domain(name: .riskOfBias, downgrade: secondary ? 1 : 0, reason: secondary ? "counts back-calculated from a secondary source" : ""),
            Certainty.Domain(name: .inconsistency, downgrade: (p.iSquared ?? 0) > 50 ? 1 : 0, reason: "I2 \(fmt(p.iSquared ?? 0, 0))%"),
            Certainty.Domain(name: .imprecision, downgrade: width > 40 ? 2 : (width > 20 ? 1 : 0), reason: "95% CI spans \(fmt(width, 0)) points"),
            indirectness(p.stratum.phase, mixesAgents: agents > 1),
        ])
        let estimate = best.map { "\(fmt(100 * $0.estimate, 1))% [\(fmt(100 * $0.ciLower, 1)), \(fmt(100 * $0.ciUpper, 1))]" } ?? ""
        let reading = best.map { "Across \(p.k) studies about \(Int((100 * $0.estimate).rounded())) in 100 had \(outcomeText(p.stratum)) (\(Int((100 * $0.ciLower).rounded())) to \(Int((100 * $0.ciUpper).rounded())))" } ?? ""
        return KeyFinding(question: p.stratum.label, stratum: p.stratum, kind: .pooled, studies: p.studies.map(\.study), refs: p.studies.map(\.ref),
                          participants: p.totalN, estimate: estimate, method: best?.method.displayName ?? "",
                          predictionInterval: prediction(best, k: p.k, scale: 100), certainty: certainty,
                          reading: reading + "; estimates by method differ (see the pooled table).",
                          countDerived: p.studies.contains(where: \.countDerived))
    }

    static func studyRate(_ r: SingleArmResult, secondary: Bool) -> KeyFinding {
        let ci = r.interval
        let width = 100 * (ci.upper - ci.lower)
        let certainty = Certainty(start: .low, domains: [
            Certainty.Domain(name: .riskOfBias, downgrade: secondary ? 1 : 0, reason: secondary ? "counts back-calculated from a secondary source" : ""),
            Certainty.Domain(name: .inconsistency, downgrade: 0, reason: "one study: not assessable"),
            Certainty.Domain(name: .imprecision, downgrade: width > 40 ? 2 : (width > 20 ? 1 : 0), reason: "95% CI spans \(fmt(width, 0)) points"),
            indirectness(r.stratum.phase, mixesAgents: false),
        ])
        return KeyFinding(question: r.stratum.label, stratum: r.stratum, kind: .studyResult, studies: [r.study], refs: [r.ref],
                          participants: r.total, estimate: "\(fmt(100 * ci.proportion, 1))% [\(fmt(100 * ci.lower, 1)), \(fmt(100 * ci.upper, 1))]",
                          method: "exact (Clopper-Pearson)", predictionInterval: "not estimable (one study)", certainty: certainty,
                          reading: "In one study, \(r.events) of \(r.total) (\(Int((100 * ci.proportion).rounded())) in 100) had \(outcomeText(r.stratum)) on \(r.arm.shortLabel); not pooled.",
                          countDerived: r.countDerived)
    }

    // MARK: - Domains and words

    static func riskOfBias(_ design: StudyDesign, secondary: Bool) -> Certainty.Domain {
        let openLabel = design == .openLabelRandomisedTrial
        let reasons = [openLabel ? "open-label" : nil, secondary ? "counts back-calculated from a secondary source" : nil].compactMap { $0 }
        return Certainty.Domain(name: .riskOfBias, downgrade: min(2, reasons.count), reason: reasons.joined(separator: "; "))
    }

    static func indirectness(_ phase: TrialPhase, mixesAgents: Bool) -> Certainty.Domain {
        let phaseReason: String? = phase == .enrichment ? "open-label enrichment phase" : (phase == .openLabelContinuation ? "open-label continuation" : nil)
        let reasons = [phaseReason, mixesAgents ? "different agents in one stratum" : nil].compactMap { $0 }
        return Certainty.Domain(name: .indirectness, downgrade: min(2, reasons.count), reason: reasons.joined(separator: "; "))
    }

    static func prediction(_ e: FewStudyEstimate?, k: Int, scale: Double) -> String {
        guard let e, let lo = e.predictionLower, let hi = e.predictionUpper else {
            return "not estimable (k < \(FewStudyEstimate.minimumStudiesForPrediction))"
        }
        return "[\(fmt(scale * lo, scale == 100 ? 1 : 2)), \(fmt(scale * hi, scale == 100 ? 1 : 2))]"
    }

    static func outcomeText(_ s: PoolingStratum) -> String {
        var text = s.outcome.displayName.lowercased()
        if let d = s.definition, d != .notStated { text += " (\(d.displayName))" }
        return text
    }

    static func fmt(_ x: Double, _ digits: Int = 2) -> String { NumberFormat.fixed(x, digits: digits) }

    static func pp(_ x: Double) -> String { NumberFormat.fixed(100 * x, digits: 1) }
}

extension String {
    /// An arm's name without its parenthesised detail, at most 40 characters.
    var shortLabel: String {
        let cut = withoutParenthetical
        return cut.count <= 40 ? cut : String(cut.prefix(39)) + "…"
    }

    /// The text before its first parenthesis (a forest plot wraps it rather than cutting it).
    var withoutParenthetical: String { split(separator: "(").first.map { $0.trimmingCharacters(in: " ") } ?? self }

    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String { String(self).trimmingCharacters(in: set) }
}
