import MetaAnalysis

extension EffectSizes {
    /// An aligned table of `study, yi, vi, sei, zi, pval, ci_lb, ci_ub` with 4 decimals, then one line per
    /// diagnostic (as metafor's `summary(escalc(...))` prints it, plus the notes).
    public func textReport(digits: Int = 4) -> String {
        let ci = confidenceInterval()
        let se = sei, z = zi, p = pval
        var table = TextTable(header: ["study", "yi", "vi", "sei", "zi", "pval", "ci_lb", "ci_ub"])
        for i in 0..<count {
            table.rows.append([studies[i]] + [yi[i], vi[i], se[i], z[i]].map { NumberFormat.fixed($0, digits: digits) }
                + [NumberFormat.pValue(p[i], digits: digits)]
                + [ci.lower[i], ci.upper[i]].map { NumberFormat.fixed($0, digits: digits) })
        }
        var out = "Effect sizes: measure \(measure.rawValue), k = \(count), \(NumberFormat.fixed(level, digits: level == level.rounded() ? 0 : 1))% CI\n\n"
        out += table.rendered()
        if !diagnostics.isEmpty {
            out += "\n" + diagnostics.map { "Note: \($0.description)\n" }.joined()
        }
        return out
    }
}
