import MetaAnalysis
import MetaReport

extension ReviewReport {
    /// Between-group effects the trials report without arm data, each a study result (`ReportedContrast`).
    public var reportedContrasts: [ReportedContrast] { ReportedContrast.all(evidence, analyses: byClass) }

    /// The reported effects as a text table: as printed, harmonised with its interval, and whether each is a key
    /// finding (and why not).
    public func reportedContrastTable() -> TextTable {
        TextTable(header: ["Study", "Contrast", "Outcome", "Timepoint", "As reported", "Harmonised [95% CI]", "Direction", "n", "Key finding?"],
                  rows: reportedContrasts.map { c in
                      [c.study, c.contrast.shortened(40), c.outcome.displayName, PrimaryTimepoint.label(c.timepoint.shortened(28), c.primaryTimepoint),
                       Self.asReported(c), c.estimateText, c.direction, Self.sizes(c), c.exclusion?.description ?? "yes (study result)"]
                  },
                  alignments: [.left, .left, .left, .left, .right, .right, .left, .right, .left])
    }

    static func asReported(_ c: ReportedContrast) -> String {
        let ci = c.reportedLower.flatMap { lo in c.reportedUpper.map { " [\(RateFormat.number(lo)), \(RateFormat.number($0))]" } } ?? ""
        return "\(c.measureLabel) \(RateFormat.number(c.reported))\(ci)" + (c.pValue.map { ", p \($0)" } ?? "")
    }

    static func sizes(_ c: ReportedContrast) -> String {
        guard let a = c.activeN, let b = c.controlN else { return "" }
        return "\(a) v \(b)"
    }

    /// One forest plot per difference measure with an interval (mean differences, Cohen's d): every row a trial's
    /// reported result, no diamond, the line of no effect at 0 with favours labels.
    func reportedContrastPlots() -> [Plot] {
        let all = reportedContrasts.filter { $0.isDifference && $0.hasInterval }
        var plots: [Plot] = []
        for type in ["mean_difference", "cohens_d", "hedges_g"] {
            let members = all.filter { $0.effectType == type }
            guard let first = members.first else { continue }
            let rows = members.map { c in
                ForestPlot.Row(label: PrimaryTimepoint.marked("\(c.study), \(c.arms.first) v \(c.arms.second)", c.primaryTimepoint),
                               estimate: c.estimate, lower: c.ciLower!, upper: c.ciUpper!,
                               values: [c.outcome.displayName, c.timepoint.withoutParenthetical, Self.sizes(c)])
            }
            var footnotes = ["Each row is one trial's reported effect (no arm data): a study result, not pooled; differences harmonised so that negative favours the first-named arm."]
            if members.contains(where: \.intervalComputed) { footnotes.append("Cohen's d intervals computed from the arm sizes (Hedges & Olkin 1985).") }
            if members.contains(where: { $0.primaryTimepoint == nil }) { footnotes.append(PrimaryTimepoint.legend + ".") }
            let excluded = members.filter { $0.exclusion != nil }.map { "\($0.study) \($0.timepoint): \($0.exclusion!.description)" }
            if !excluded.isEmpty { footnotes.append("Not key findings: " + excluded.joined(separator: "; ") + ".") }
            let plot = ForestPlot(
                title: "Reported between-group effects (\(first.measureLabel)), one trial per row", rows: rows, footnotes: footnotes,
                columns: [ForestPlot.Column("Scale"), ForestPlot.Column("Timepoint"), ForestPlot.Column("n")],
                estimateHeader: "\(first.measureLabel) [95% CI]", nullValue: 0, axisLabel: first.measureLabel == "MD" ? "Mean difference (scale points)" : "Standardized mean difference",
                favoursLeft: "Favours first-named arm", favoursRight: "Favours second-named arm")
            plots.append(Plot(name: "reported-effects-\(type).svg", title: plot.title!, svg: plot.svg()))
        }
        return plots
    }
}
