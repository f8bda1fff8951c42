import MetaAnalysis

extension SubgroupReport {
    /// In the voice of metafor's print methods: a model line, the per-subgroup estimates with the test statistic
    /// named for what it is (`tval` with its df under Knapp-Hartung or t tests, `zval` otherwise), the estimates
    /// back-transformed for ratio measures, the common-effect fits, then each test for subgroup differences on one
    /// line as metafor prints a test of moderators.
    public func textReport() -> String {
        let a = analysis
        let f = { (x: Double) in NumberFormat.fixed(x) }
        let opt = { (x: Double?) in x.map { NumberFormat.fixed($0) } ?? "NA" }
        let random = a.options.estimator != .commonEffect
        var out = "\nSubgroup Analysis by \(a.groupColumn) (k = \(a.commonTauSquaredModel.studyCount); \(a.levels.count) subgroups)\n\n"
        out += random ? "Random-Effects Models (tau^2 estimator: \(a.options.estimator.rawValue)):\n\n" : "Equal-Effects Models:\n\n"
        func table(_ models: [(String, RandomEffectsModel)], withTau: Bool) -> String {
            let usesT = models.contains { $0.1.degreesOfFreedom != nil }
            var header = ["", "k", "estimate", "se", usesT ? "tval" : "zval"]
            if usesT { header.append("df") }
            header += ["pval", "ci.lb", "ci.ub"]
            header += withTau ? ["tau^2", "I^2", "pi.lb", "pi.ub"] : ["Q", "I^2"]
            var t = TextTable(header: header)
            for (level, m) in models {
                var row = [level, String(m.studyCount), f(m.estimate), f(m.standardError), f(m.statistic)]
                if usesT { row.append(m.degreesOfFreedom.map(String.init) ?? "NA") }
                row += [NumberFormat.pValue(m.pValue), f(m.confidenceLower), f(m.confidenceUpper)]
                let i2 = m.iSquared.map { NumberFormat.fixed($0, digits: 2) + "%" } ?? "NA"
                if withTau {
                    let p = m.prediction
                    row += [m.studyCount >= 2 ? f(m.tauSquared) : "NA", i2, f(p.predictionLower), f(p.predictionUpper)]
                } else {
                    row += [opt(m.cochranQ), i2]
                }
                t.rows.append(row)
            }
            return t.rendered()
        }
        out += table(a.subgroups.map { ($0.level, $0.model) }, withTau: random)
        if let back = backTransformation {
            out += "\nBack-transformed (\(back.name)):\n\n"
            var t = TextTable(header: ["", "estimate", "ci.lb", "ci.ub"] + (random ? ["pi.lb", "pi.ub"] : []))
            for s in a.subgroups {
                let p = s.model.prediction.transformed(by: back)
                t.rows.append([s.level, f(p.estimate), f(p.confidenceLower), f(p.confidenceUpper)]
                              + (random ? [f(p.predictionLower), f(p.predictionUpper)] : []))
            }
            out += t.rendered()
        }
        if random {
            out += "\nEqual-Effects Models:\n\n"
            out += table(a.subgroups.map { ($0.level, $0.commonEffectModel) }, withTau: false)
        }
        func moderators(_ m: MetaRegressionModel) -> String {
            guard let qm = m.moderatorTest else { return "NA" }
            let df = qm.denominatorDegreesOfFreedom.map { "F(df1 = \(qm.numeratorDegreesOfFreedom), df2 = \($0))" }
                ?? "QM(df = \(qm.numeratorDegreesOfFreedom))"
            return "\(df) = \(f(qm.statistic)), p-val \(RandomEffectsReport.pText(qm.pValue))"
        }
        let tests: [(String, String)] = [
            ("Test for Subgroup Differences (separate tau^2):",
             "Q(df = \(a.betweenGroupsDegreesOfFreedom)) = \(f(a.betweenGroupsQ)), p-val \(RandomEffectsReport.pText(a.betweenGroupsPValue))"),
            ("Test of Moderators (common tau^2):", moderators(a.commonTauSquaredModel)),
            ("Test of Moderators (equal effects):", moderators(a.commonEffectModel)),
            ("Test for Residual Heterogeneity (common tau^2):",
             "QE(df = \(a.commonTauSquaredModel.cochranQDegreesOfFreedom)) = \(f(a.commonTauSquaredModel.cochranQ)), "
                + "p-val \(RandomEffectsReport.pText(a.commonTauSquaredModel.cochranQPValue)); tau^2 = \(f(a.commonTauSquaredModel.tauSquared))"),
        ]
        let width = tests.map(\.0.count).max() ?? 0
        out += "\n" + tests.map { $0.0.padding(to: width) + " " + $0.1 + "\n" }.joined()
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
