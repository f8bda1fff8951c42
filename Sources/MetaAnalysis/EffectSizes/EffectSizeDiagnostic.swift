import MetaData

/// A note about one study's effect size that the user should see. The library never prints; the CLI renders these.
public enum EffectSizeDiagnostic: Equatable, Sendable, CustomStringConvertible {
    /// `added` was added to the study's counts (the cells of its 2×2 table, its events and non-events, or its
    /// event counts) before computing the effect size.
    case continuityCorrection(study: String, row: Int, added: Double)
    /// A two-group study with no events in both groups (or only events in both): with `drop00` it is left out
    /// (`yi`, `vi` NA), otherwise it is kept.
    case doubleZero(study: String, row: Int, dropped: Bool)
    /// The effect size or its variance is not a finite number (e.g. a log of zero without correction):
    /// it is reported as NA, as metafor does.
    case notEstimable(study: String, row: Int)
    /// Group `group`'s mean and/or SD were not reported and were estimated from its median with the range and/or
    /// quartiles (``QuantileSummary``); `mean` and `sd` are the estimates, nil for a value the study reported.
    case meanAndSDFromQuantiles(study: String, row: Int, group: Int, mean: Double?, sd: Double?,
                                scenario: QuantileSummary.Scenario)
    /// The study label `label` appears in several rows (or collides with a numbered one); this row's study is called
    /// `study` (`A.2`), as metafor numbers repeated labels.
    case repeatedStudyLabel(study: String, row: Int, label: String)

    public var study: String {
        switch self {
        case let .continuityCorrection(study, _, _), let .doubleZero(study, _, _), let .notEstimable(study, _),
             let .meanAndSDFromQuantiles(study, _, _, _, _, _), let .repeatedStudyLabel(study, _, _): return study
        }
    }

    public var row: Int {
        switch self {
        case let .continuityCorrection(_, row, _), let .doubleZero(_, row, _), let .notEstimable(_, row),
             let .meanAndSDFromQuantiles(_, row, _, _, _, _), let .repeatedStudyLabel(_, row, _): return row
        }
    }

    /// A short code for machine-readable output.
    public var code: String {
        switch self {
        case .continuityCorrection: return "continuity_correction"
        case .doubleZero(_, _, let dropped): return dropped ? "double_zero_dropped" : "double_zero_kept"
        case .notEstimable: return "not_estimable"
        case .meanAndSDFromQuantiles: return "mean_sd_from_quantiles"
        case .repeatedStudyLabel: return "repeated_study_label"
        }
    }

    public var description: String {
        switch self {
        case let .continuityCorrection(study, row, added):
            return "Row \(row) (\(study)): \(formatAmount(added)) added to each count (continuity correction)."
        case let .doubleZero(study, row, dropped):
            return dropped
                ? "Row \(row) (\(study)): no events (or only events) in both groups; study left out (drop00)."
                : "Row \(row) (\(study)): no events (or only events) in both groups; study kept."
        case let .notEstimable(study, row):
            return "Row \(row) (\(study)): the effect size or its variance is not finite; reported as NA."
        case let .meanAndSDFromQuantiles(study, row, group, mean, sd, scenario):
            let values = [mean.map { "mean \(formatEstimate($0))" }, sd.map { "SD \(formatEstimate($0))" }].compactMap { $0 }
            let source: String
            switch (mean, sd) {
            case (_?, _?): source = scenario.description
            case (_?, nil): source = "\(scenario.withMedian) (Luo et al. 2018)"
            default: source = "\(scenario.spread) (\(scenario.standardDeviationSource))"
            }
            return "Row \(row) (\(study)): group \(group) \(values.joined(separator: " and ")) estimated from the \(source)."
        case let .repeatedStudyLabel(study, row, label):
            return "Row \(row): study label '\(label)' renamed '\(study)' so that every study has its own label (metafor numbers repeated labels)."
        }
    }
}

extension EffectSizeDiagnostic {
    /// How many notes of one kind are listed before the rest are summarised in one line.
    public static let notesListedPerKind = 5

    /// The notes as a report lists them: up to ``notesListedPerKind`` of each kind in full, then one line saying how
    /// many rows more got the same note (10⁶ sparse tables gave 73,185 lines of continuity corrections).
    public static func summarised(_ diagnostics: [EffectSizeDiagnostic]) -> [String] {
        var counts: [String: Int] = [:]
        var notes: [String] = []
        var firstOmitted: [(code: String, row: Int)] = []
        for d in diagnostics {
            let n = counts[d.code, default: 0] + 1
            counts[d.code] = n
            if n <= notesListedPerKind { notes.append(d.description) } else if n == notesListedPerKind + 1 { firstOmitted.append((d.code, d.row)) }
        }
        for (code, row) in firstOmitted {
            let more = counts[code, default: 0] - notesListedPerKind
            notes.append("\(more) more \(more == 1 ? "row" : "rows") from row \(row) on got the same note (\(code.split(separator: "_").joined(separator: " "))); the CSV and JSON effect sizes list every study.")
        }
        return notes
    }
}

private func formatAmount(_ x: Double) -> String {
    NumberText.plain(x)
}

/// Six decimals: the digits metafor prints for `conv.fivenum`'s estimates.
private func formatEstimate(_ x: Double) -> String {
    NumberText.plain((x * 1e6).rounded() / 1e6)
}
