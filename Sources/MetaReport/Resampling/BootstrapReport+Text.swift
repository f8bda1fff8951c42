import MetaAnalysis
import MetaData

extension BootstrapReport {
    /// A table per statistic: estimate, bootstrap bias and SE, and the three intervals.
    public func textReport() -> String {
        let s = settings
        let f = { (x: Double) in NumberFormat.fixed(x) }
        let kind = switch s.type {
        case .nonparametric: "Nonparametric"
        case .parametric: "Parametric"
        case .arms: "Parametric (arms' events redrawn)"
        }
        var out = "\(kind) bootstrap of the \(s.method.rawValue) model "
            + "(k = \(s.studyCount); B = \(s.replicates) replicates, seed \(s.seed))\n"
        out += "Replicates: \(summary.replicateCount - summary.failures.count) successful, \(summary.failures.count) failed\n\n"
        let level = NumberFormat.fixed(s.level, digits: 0)
        var table = TextTable(header: ["", "estimate", "bias", "se", "perc.lb", "perc.ub", "basic.lb", "basic.ub", "bca.lb", "bca.ub"])
        for st in summary.statistics {
            func pair(_ i: BootstrapInterval?) -> [String] { i.map { [f($0.lower), f($0.upper)] } ?? ["NA", "NA"] }
            table.rows.append([st.name, f(st.estimate), f(st.bias), f(st.standardError)] + pair(st.percentile) + pair(st.basic) + pair(st.bca))
        }
        out += "\(level)% bootstrap confidence intervals:\n\n" + table.rendered()
        var intervalNotes: [String] = []
        for st in summary.statistics {
            if let note = st.bcaUnavailableReason { intervalNotes.append("BCa for \(st.name) not available: \(note).") }
            if let note = st.basicTruncationNote, let raw = st.basicUntruncated {
                intervalNotes.append("Basic interval for \(st.name): \(note) (untruncated: \(f(raw.lower)), \(f(raw.upper))).")
            }
        }
        if !intervalNotes.isEmpty { out += "\n" + intervalNotes.map { $0 + "\n" }.joined() }
        if !summary.failures.isEmpty {
            out += "\nFailed replicates (left out of every summary):\n"
            for failure in summary.failures.prefix(20) { out += "  \(failure.replicate): \(failure.reason)\n" }
            if summary.failures.count > 20 { out += "  ... and \(summary.failures.count - 20) more (see \(ArgumentNaming.current(.outputFormat)) json)\n" }
        }
        if !s.notes.isEmpty { out += "\nNotes:\n" + s.notes.map { "  - \($0)\n" }.joined() }
        return out
    }
}

extension BootstrapReport: RenderableReport {
    /// One row per statistic: the JSON's per-statistic fields, each interval as `_lb`/`_ub` columns (NA when not
    /// computable).
    public func csvDocument() -> CSVDocument {
        let f = NumberFormat.shortest
        func pair(_ i: BootstrapInterval?) -> [String] { i.map { [f($0.lower), f($0.upper)] } ?? ["NA", "NA"] }
        return CSVDocument(
            header: ["statistic", "estimate", "successful", "mean", "bias", "se", "ci_percentile_lb", "ci_percentile_ub",
                     "ci_basic_lb", "ci_basic_ub", "ci_bca_lb", "ci_bca_ub"],
            rows: summary.statistics.map { s in
                [s.name, f(s.estimate), String(s.successful), f(s.mean), f(s.bias), f(s.standardError)]
                    + pair(s.percentile) + pair(s.basic) + pair(s.bca)
            })
    }
}
