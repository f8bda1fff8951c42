import MetaAnalysis
import MetaNumerics
import MetaReport

/// A between-group effect a trial reports without the arm data to recompute it (Murrough 2013's MADRS difference,
/// the ayahuasca RCT's Cohen's d, Glue 2024's 180 mg difference, …): shown as that trial's result, never pooled (an
/// effect on another scale or analysis cannot join recomputed ones), with the direction the source gives made
/// machine-readable (audit A10) and the trial's timepoint flagged (`PrimaryTimepoint`).
///
/// Differences and standardized differences are harmonised to "negative favours the first-named (active) arm", the
/// package's SMD convention; ratios keep "above 1 favours the first-named arm" when the source says so. A Cohen's d
/// printed without an interval gets one from its arm sizes (large-sample variance (n₁ + n₂)/(n₁n₂) + d²/(2(n₁ + n₂)),
/// Hedges & Olkin 1985, ch. 5; Borenstein et al. 2009, eq. 4.20).
public struct ReportedContrast: Sendable, Equatable {
    /// Why a reported effect is not one of the key findings (nil: it is one).
    public enum Exclusion: String, Sendable, Equatable, CaseIterable {
        case shownFromArmData = "shown_from_arm_data"
        case neverPool = "never_pool"
        case notPrimaryTimepoint = "not_primary_timepoint"
        case noInterval = "no_interval"
        case notDepressionScale = "not_depression_scale"
        case notRandomised = "not_randomised"
        case severalArms = "several_arms"
        case otherTimepoint = "other_timepoint"
        case comparatorUnknown = "comparator_unknown"

        public var description: String {
            switch self {
            case .shownFromArmData: return "the same contrast is recomputed from the arm data (reported value shown beside it)"
            case .neverPool: return "never pooled (the data say why)"
            case .notPrimaryTimepoint: return "not the trial's primary timepoint"
            case .noInterval: return "no interval and no arm sizes to compute one"
            case .notDepressionScale: return "not a mean or standardized difference on a depression scale"
            case .notRandomised: return "not a randomised comparison"
            case .severalArms: return "one of several dose arms with no arm data to combine them (Cochrane Handbook 23.3.4)"
            case .otherTimepoint: return "another timepoint of the same trial in this window is shown"
            case .comparatorUnknown: return "the comparator arm is not in the data"
            }
        }
    }

    public var study: String
    public var ref: Int
    public var row: Int
    public var sampleGroup: String
    /// The two arms as the source names them (e.g. "Ketamine vs midazolam").
    public var contrast: String
    public var armClass: ArmClass
    public var kind: ComparatorKind?
    public var outcome: ReportedOutcome
    public var rater: Rater?
    public var timepoint: String
    public var timepointWindow: TimepointWindow
    public var primaryTimepoint: Bool?
    public var design: StudyDesign
    public var phase: TrialPhase
    /// `mean_difference`, `cohens_d`, `hedges_g`, `odds_ratio`, `risk_difference`, `hazard_ratio`.
    public var effectType: String
    /// The value and interval as printed, and the source's own words on its direction.
    public var reported: Double
    public var reportedLower: Double?
    public var reportedUpper: Double?
    public var effectDescription: String
    /// Harmonised value and interval (see the type's note); the interval is computed when `intervalComputed`.
    public var estimate: Double
    public var ciLower: Double?
    public var ciUpper: Double?
    public var intervalComputed: Bool
    /// The harmonised direction in words ("negative favours ketamine").
    public var direction: String
    public var activeN: Int?
    public var controlN: Int?
    public var pValue: String?
    public var neverPool: String?
    /// Why the contrast is not a key finding (nil: it is one).
    public var exclusion: Exclusion?

    /// The arms a contrast names ("Ketamine vs midazolam", "Esketamine NS v quetiapine XR (…)"), the first at least.
    static func armNames(_ contrast: String) -> [String] {
        for separator in [" vs ", " v "] where contrast.firstRange(of: separator) != nil {
            return contrast.split(separator: separator, maxSplits: 1).map(String.init)
        }
        return [contrast]
    }

    public var isDifference: Bool { ["mean_difference", "cohens_d", "hedges_g"].contains(effectType) }

    /// "MD", "d", "g", "OR", "RD", "HR".
    public var measureLabel: String {
        ["mean_difference": "MD", "cohens_d": "d", "hedges_g": "g", "odds_ratio": "OR", "risk_difference": "RD", "hazard_ratio": "HR"][effectType] ?? effectType
    }

    public var hasInterval: Bool { ciLower != nil && ciUpper != nil }

    /// The two arms' names ("Ketamine", "midazolam").
    public var arms: (first: String, second: String) {
        let parts = Self.armNames(contrast)
        return (parts[0], parts.count > 1 ? parts[1] : "the comparator")
    }

    /// "MD -7.95 [-12.71, -3.20]" (harmonised), with "CI from arm sizes" when computed.
    public var estimateText: String {
        func f(_ x: Double) -> String { NumberFormat.fixed(x, digits: 2) }
        let ci = hasInterval ? " [\(f(ciLower!)), \(f(ciUpper!))]" : " (no CI)"
        return "\(measureLabel) \(f(estimate))\(ci)" + (intervalComputed ? " (CI from arm sizes)" : "")
    }

    /// The stratum the key-findings row names (the trial's own: a reported effect is never pooled).
    public var stratum: PoolingStratum {
        PoolingStratum(outcome: outcome, treatmentKey: armClass.rawValue, treatmentLabel: armClass.displayName, comparator: kind,
                       comparatorClass: nil, design: design, phase: phase, window: timepointWindow, definition: nil,
                       definitionSample: sampleGroup, rater: rater)
    }

    /// The contrasts of `evidence` with the arm-data comparisons of `analyses` (`all(_:armData:level:)`).
    public static func all(_ evidence: TRDEvidence, analyses: [RateAnalysis]) -> [ReportedContrast] {
        var armData: [(ref: Int, outcome: ReportedOutcome, timepoint: String, days: Int?)] = []
        for a in analyses {
            armData += a.comparisons.map { ($0.ref, $0.outcome, $0.timepoint, $0.timepointDays) }
            armData += a.continuous.map { ($0.ref, $0.outcome, $0.timepoint, $0.timepointDays) }
        }
        return all(evidence, armData: armData, level: analyses.first?.options.level ?? 95)
    }

    /// The reported between-group effects of `evidence` (contrast rows with a value), each with why it is or is not
    /// a key finding; `armData` are the comparisons recomputed from arm data (a contrast they cover is shown beside
    /// them instead).
    public static func all(_ evidence: TRDEvidence, armData: [(ref: Int, outcome: ReportedOutcome, timepoint: String, days: Int?)],
                           level: Double = 95) -> [ReportedContrast] {
        let types: Set<String> = ["mean_difference", "cohens_d", "hedges_g", "odds_ratio", "risk_difference", "hazard_ratio"]
        let z = Normal.quantile(1 - (1 - level / 100) / 2)
        var out: [ReportedContrast] = []
        for r in evidence.outcomes where r.armRole == .contrast && r.effectValue != nil && types.contains(r.effectType ?? "") {
            let value = r.effectValue!
            let difference = ["mean_difference", "cohens_d", "hedges_g"].contains(r.effectType!)
            // Differences: negative favours the first-named arm; flip when the source's values above 0 favour it.
            let flip = difference && r.aboveNullFavoursFirstArm == true
            let first = Self.armNames(r.arm)[0]
            var lower = r.ciLower, upper = r.ciUpper, computed = false
            if lower == nil || upper == nil, r.effectType == "cohens_d" || r.effectType == "hedges_g", let n1 = r.n, let n2 = r.nComparator {
                let a = Double(n1), b = Double(n2)
                let se = ((a + b) / (a * b) + value * value / (2 * (a + b))).squareRoot()
                (lower, upper, computed) = (value - z * se, value + z * se, true)
            }
            let kind = evidence.outcomes.first { $0.studyRef == r.studyRef && $0.comparison == r.comparison && $0.comparison != nil }
                .flatMap { _ in evidence.outcomes.lazy.filter { $0.studyRef == r.studyRef && $0.comparison == r.comparison }.compactMap(ComparatorKind.init).first }
            let direction: String
            if difference {
                direction = r.aboveNullFavoursFirstArm == nil ? "direction as described by the source" : "negative favours \(first)"
            } else {
                direction = r.aboveNullFavoursFirstArm.map { $0 ? "above \(r.effectType == "risk_difference" ? "0" : "1") favours \(first)" : "below \(r.effectType == "risk_difference" ? "0" : "1") favours \(first)" } ?? "direction as described by the source"
            }
            out.append(ReportedContrast(
                study: evidence.label(row: r), ref: r.studyRef, row: r.row, sampleGroup: r.sampleGroup, contrast: r.arm, armClass: r.armClass,
                kind: kind, outcome: r.outcome, rater: r.rater, timepoint: r.timepoint, timepointWindow: r.timepointWindow, primaryTimepoint: r.primaryTimepoint,
                design: r.design, phase: r.phase, effectType: r.effectType!, reported: value, reportedLower: r.ciLower, reportedUpper: r.ciUpper,
                effectDescription: r.effectDescription ?? "", estimate: flip ? -value : value,
                ciLower: flip ? upper.map { -$0 } : lower, ciUpper: flip ? lower.map { -$0 } : upper, intervalComputed: computed,
                direction: direction, activeN: r.n, controlN: r.nComparator, pValue: r.pValue, neverPool: r.neverPool,
                exclusion: nil))
        }
        // Which are key findings: randomised, on a depression scale or response/remission, with an interval, not
        // covered by arm data, not known to be off the primary timepoint; per trial and window one timepoint (the
        // overlap rule's order) and only when the trial reports one active arm there.
        let rows = Dictionary(evidence.outcomes.map { ($0.row, $0) }, uniquingKeysWith: { a, _ in a })
        for i in out.indices {
            let c = out[i], days = rows[c.row]?.timepointDays
            let covered = armData.contains { a in
                a.ref == c.ref && a.outcome == c.outcome && (days != nil && a.days != nil ? a.days == days : a.timepoint == c.timepoint)
            }
            if c.neverPool != nil { out[i].exclusion = .neverPool }
            else if covered { out[i].exclusion = .shownFromArmData }
            else if !c.design.isRandomised || c.phase != .randomised { out[i].exclusion = .notRandomised }
            else if !(c.outcome.isDepressionScale && c.isDifference) { out[i].exclusion = .notDepressionScale }
            else if c.primaryTimepoint == false { out[i].exclusion = .notPrimaryTimepoint }
            else if !c.hasInterval { out[i].exclusion = .noInterval }
            else if c.kind == nil { out[i].exclusion = .comparatorUnknown }
        }
        var groups: [String: [Int]] = [:]
        for i in out.indices where out[i].exclusion == nil || out[i].exclusion == .noInterval {
            groups["\(out[i].sampleGroup)|\(out[i].outcome.rawValue)|\(out[i].timepointWindow.rawValue)|\(out[i].phase.rawValue)", default: []].append(i)
        }
        for members in groups.values where members.count > 1 {
            if Set(members.map { out[$0].contrast }).count > 1 {
                for i in members where out[i].exclusion == nil { out[i].exclusion = .severalArms }
                continue
            }
            let candidates = members.filter { out[$0].exclusion == nil }
            guard let best = candidates.min(by: { OverlapRule.isPreferred(rows[out[$0].row]!, over: rows[out[$1].row]!) }) else { continue }
            for i in candidates where i != best { out[i].exclusion = .otherTimepoint }
        }
        return out.sorted { ($0.ref, $0.row) < ($1.ref, $1.row) }
    }
}
