import MetaAnalysis

extension SubgroupReport {
    /// Per-subgroup estimates (random-effects and common-effect), then the three tests for subgroup differences.
    public func textReport() -> String {
        let a = analysis
        let f = { (x: Double) in NumberFormat.fixed(x) }
        let opt = { (x: Double?) in x.map { NumberFormat.fixed($0) } ?? "NA" }
        var out = "Subgroup analysis by '\(a.groupColumn)' (k = \(a.commonTauSquaredModel.studyCount), \(a.levels.count) subgroups; "
            + "tau^2 estimator: \(a.options.estimator.rawValue), test: \(a.options.test.rawValue))\n\n"
        func table(_ models: [(String, RandomEffectsModel)], withTau: Bool) -> String {
            var header = ["subgroup", "k", "estimate", "se", "ci.lb", "ci.ub", "pval"]
            if withTau { header += ["tau^2", "I^2(%)", "pi.lb", "pi.ub"] } else { header += ["Q", "I^2(%)"] }
            var t = TextTable(header: header)
            for (level, m) in models {
                var row = [level, String(m.studyCount), f(m.estimate), f(m.standardError), f(m.confidenceLower), f(m.confidenceUpper),
                           NumberFormat.pValue(m.pValue)]
                if withTau {
                    let p = m.prediction
                    row += [m.studyCount >= 2 ? f(m.tauSquared) : "NA", m.iSquared.map { NumberFormat.fixed($0, digits: 2) } ?? "NA",
                            f(p.predictionLower), f(p.predictionUpper)]
                } else {
                    row += [opt(m.cochranQ), m.iSquared.map { NumberFormat.fixed($0, digits: 2) } ?? "NA"]
                }
                t.rows.append(row)
            }
            return t.rendered()
        }
        out += "Subgroups (\(a.options.estimator.rawValue)):\n\n"
        out += table(a.subgroups.map { ($0.level, $0.model) }, withTau: a.options.estimator != .commonEffect)
        out += "\nSubgroups (common effect):\n\n"
        out += table(a.subgroups.map { ($0.level, $0.commonEffectModel) }, withTau: false)
        out += "\nTests for subgroup differences:\n\n"
        var t = TextTable(header: ["test", "statistic", "df", "pval"])
        t.rows.append(["separate tau^2: Q_between", f(a.betweenGroupsQ), String(a.betweenGroupsDegreesOfFreedom),
                       NumberFormat.pValue(a.betweenGroupsPValue)])
        func omnibus(_ name: String, _ m: MetaRegressionModel) {
            guard let qm = m.moderatorTest else { return }
            let df = qm.denominatorDegreesOfFreedom.map { "\(qm.numeratorDegreesOfFreedom), \($0)" } ?? String(qm.numeratorDegreesOfFreedom)
            t.rows.append([name + (qm.denominatorDegreesOfFreedom == nil ? ": QM" : ": F"), f(qm.statistic), df, NumberFormat.pValue(qm.pValue)])
        }
        omnibus("common tau^2", a.commonTauSquaredModel)
        omnibus("common effect", a.commonEffectModel)
        out += t.rendered()
        out += "\nResidual heterogeneity (common tau^2 model): QE(df = \(a.commonTauSquaredModel.cochranQDegreesOfFreedom)) = "
            + "\(f(a.commonTauSquaredModel.cochranQ)), p-val \(RandomEffectsReport.pText(a.commonTauSquaredModel.cochranQPValue)); "
            + "tau^2 = \(f(a.commonTauSquaredModel.tauSquared))\n"
        out += "\nChoices:\n" + choices.map { "  - \($0)\n" }.joined()
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
        return out
    }

    /// One row per subgroup (CSV format), random-effects and common-effect estimates side by side, then one row per
    /// test for subgroup differences.
    public func csvDocument() -> CSVDocument {
        let a = analysis
        let g = { (x: Double?) in x.map(NumberFormat.shortest) ?? "NA" }
        var doc = CSVDocument(header: ["row", "level", "k", "estimate", "se", "ci_lb", "ci_ub", "pval", "tau2", "QE", "I2",
                                       "pi_lb", "pi_ub"])
        for s in a.subgroups {
            for (kind, m) in [("subgroup", s.model), ("subgroup_EE", s.commonEffectModel)] {
                let p = m.prediction
                doc.rows.append([kind, s.level, String(m.studyCount), g(m.estimate), g(m.standardError), g(m.confidenceLower),
                                 g(m.confidenceUpper), g(m.pValue), m.studyCount >= 2 ? g(m.tauSquared) : "NA", g(m.cochranQ),
                                 g(m.iSquared), m.isCommonEffect ? "NA" : g(p.predictionLower), m.isCommonEffect ? "NA" : g(p.predictionUpper)])
            }
        }
        let empty = Array(repeating: "", count: 8)
        doc.rows.append(["test_separate_tau2", "Q_between", String(a.betweenGroupsDegreesOfFreedom), g(a.betweenGroupsQ), "", "", "",
                         g(a.betweenGroupsPValue)] + empty.prefix(5))
        for (name, m) in [("test_common_tau2", a.commonTauSquaredModel), ("test_all_EE", a.commonEffectModel)] {
            if let qm = m.moderatorTest {
                doc.rows.append([name, qm.denominatorDegreesOfFreedom == nil ? "QM" : "F", String(qm.numeratorDegreesOfFreedom),
                                 g(qm.statistic), "", "", "", g(qm.pValue)] + empty.prefix(5))
            }
        }
        return doc
    }
}
