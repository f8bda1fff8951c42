import MetaAnalysis

extension MetaRegressionReport {
    /// The tested coefficients as metafor names them: 1-based, "coefficient 2", "coefficients 2:4" for a run,
    /// "coefficients 2,4" otherwise (the names are in the table below).
    static func coefficientList(_ indices: [Int]) -> String {
        let numbers = indices.map { $0 + 1 }
        guard numbers.count > 1 else { return "coefficient \(numbers.first ?? 0)" }
        let contiguous = zip(numbers, numbers.dropFirst()).allSatisfy { $1 == $0 + 1 }
        return "coefficients " + (contiguous ? "\(numbers.first!):\(numbers.last!)" : numbers.map(String.init).joined(separator: ","))
    }

    /// A summary in the layout of metafor's `print.rma.uni` for a model with moderators: residual heterogeneity,
    /// the omnibus test, the coefficient table, predictions at new points, the choices made and notes.
    public func textReport() -> String {
        let m = model
        let f = { (x: Double) in NumberFormat.fixed(x) }
        var out = metaforHeterogeneity()
        if let qm = m.moderatorTest { out += Self.moderatorTestText(qm) }
        out += "\nModel Results:\n\n"
        var header = ["", "estimate", "se", m.testUsed == .z ? "zval" : "tval"]
        if m.degreesOfFreedom != nil { header.append("df") }
        header += ["pval", "ci.lb", "ci.ub"]
        var table = TextTable(header: header)
        for j in 0..<m.coefficientCount {
            var row = [m.coefficientNames[j], f(m.coefficients[j]), f(m.standardErrors[j]), f(m.statistics[j])]
            if let df = m.degreesOfFreedom { row.append(String(df)) }
            row += [NumberFormat.pValue(m.pValues[j]), f(m.confidenceLower[j]), f(m.confidenceUpper[j])]
            table.rows.append(row)
        }
        out += table.rendered()
        if !newPredictions.isEmpty {
            out += "\nPredicted effects:\n\n"
            var p = TextTable(header: m.isCommonEffect ? ["point", "pred", "se", "ci.lb", "ci.ub"]
                                                       : ["point", "pred", "se", "ci.lb", "ci.ub", "pi.lb", "pi.ub"])
            for n in newPredictions {
                let q = n.prediction
                var row = [n.label, f(q.estimate), f(q.standardError ?? .nan), f(q.confidenceLower), f(q.confidenceUpper)]
                if !m.isCommonEffect { row += [f(q.predictionLower), f(q.predictionUpper)] }
                p.rows.append(row)
            }
            out += p.rendered()
            if let t = backTransformation {
                out += "\nBack-transformed (\(t.name)):\n\n"
                var b = TextTable(header: m.isCommonEffect ? ["point", "pred", "ci.lb", "ci.ub"] : ["point", "pred", "ci.lb", "ci.ub", "pi.lb", "pi.ub"])
                for n in newPredictions {
                    let q = n.prediction.transformed(by: t)
                    var row = [n.label, f(q.estimate), f(q.confidenceLower), f(q.confidenceUpper)]
                    if !m.isCommonEffect { row += [f(q.predictionLower), f(q.predictionUpper)] }
                    b.rows.append(row)
                }
                out += b.rendered()
            }
        }
        if let i = intervals {
            out += "\nResidual heterogeneity \(NumberFormat.fixed(i.level, digits: 0))% CI (\(RandomEffectsReport.methodName(i.method))):\n\n"
            var t = TextTable(header: ["", "estimate", "ci.lb", "ci.ub"])
            for (name, b, digits) in [("tau^2", i.tauSquared, 4), ("tau", i.tau, 4), ("I^2(%)", i.iSquared, 2), ("H^2", i.hSquared, 4)] {
                t.rows.append([name, NumberFormat.fixed(b.estimate, digits: digits), i.lowerMarker.rawValue + NumberFormat.fixed(b.lower, digits: digits),
                               i.upperMarker.rawValue + NumberFormat.fixed(b.upper, digits: digits)])
            }
            out += t.rendered()
            if i.isEmptySet { out += "\n" + HeterogeneityConfidenceIntervals.emptySetNote + "\n" }
        }
        out += "\nChoices:\n" + choices.map { "  - \($0)\n" }.joined()
        let notes = inputNotes + m.diagnostics.map(\.description)
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
        return out
    }

    /// The coefficient table (CSV format): one row per coefficient with estimate, se, statistic, df, pval, ci_lb,
    /// ci_ub (`--format json` has every other quantity).
    public func csvDocument() -> CSVDocument {
        let m = model
        var doc = CSVDocument(header: ["coefficient", "estimate", "se", "zval", "dfs", "pval", "ci_lb", "ci_ub"])
        for j in 0..<m.coefficientCount {
            doc.rows.append([m.coefficientNames[j], NumberFormat.shortest(m.coefficients[j]), NumberFormat.shortest(m.standardErrors[j]),
                             NumberFormat.shortest(m.statistics[j]), m.degreesOfFreedom.map(String.init) ?? "NA",
                             NumberFormat.shortest(m.pValues[j]), NumberFormat.shortest(m.confidenceLower[j]), NumberFormat.shortest(m.confidenceUpper[j])])
        }
        return doc
    }

    /// metafor's "Test of Moderators" lines (F with two df, or QM with one), after a blank line.
    static func moderatorTestText(_ qm: OmnibusTest) -> String {
        let f = { (x: Double) in NumberFormat.fixed(x) }
        let tested = coefficientList(qm.coefficientIndices)
        if let df2 = qm.denominatorDegreesOfFreedom {
            return "\nTest of Moderators (\(tested)):\nF(df1 = \(qm.numeratorDegreesOfFreedom), df2 = \(df2)) = \(f(qm.statistic)), p-val \(RandomEffectsReport.pText(qm.pValue))\n"
        }
        return "\nTest of Moderators (\(tested)):\nQM(df = \(qm.numeratorDegreesOfFreedom)) = \(f(qm.statistic)), p-val \(RandomEffectsReport.pText(qm.pValue))\n"
    }

    /// The first part of metafor's `print.rma.uni` for a model with moderators: the model line, residual tau^2
    /// (SE), tau, I^2, H^2, R^2 and the test for residual heterogeneity.
    public func metaforHeterogeneity() -> String {
        let m = model
        let f = { (x: Double) in NumberFormat.fixed(x) }
        var out = ""
        // metafor's own first line, so that output can be compared line by line; iterations are under Choices.
        out += m.isCommonEffect ? "Fixed-Effects with Moderators Model (k = \(m.studyCount))\n\n"
            : "Mixed-Effects Model (k = \(m.studyCount); tau^2 estimator: \(m.estimator.rawValue))\n\n"
        if !m.isCommonEffect {
            let se = m.tauSquaredEstimate.standardError.map { " (SE = \(f($0)))" } ?? ""
            out += "tau^2 (estimated amount of residual heterogeneity):     \(f(m.tauSquared))\(se)\n"
            out += "tau (square root of estimated tau^2 value):             \(f(m.tauSquared.squareRoot()))\n"
        }
        out += "I^2 (residual heterogeneity / unaccounted variability): \(NumberFormat.fixed(m.iSquared, digits: 2))%\n"
        out += "H^2 (unaccounted variability / sampling variability):   \(NumberFormat.fixed(m.hSquared, digits: 2))\n"
        if let r2 = m.rSquared {
            out += "R^2 (amount of heterogeneity accounted for):            \(NumberFormat.fixed(r2, digits: 2))%\n"
        }
        out += "\nTest for Residual Heterogeneity:\nQE(df = \(m.cochranQDegreesOfFreedom)) = \(f(m.cochranQ)), p-val \(RandomEffectsReport.pText(m.cochranQPValue))\n"
        return out
    }
}
