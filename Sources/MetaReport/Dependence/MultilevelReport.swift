import MetaAnalysis

/// Everything `pool` reports about a multilevel model: the fit, the measure, notes and provenance. Rendered as
/// JSON with the bank's `rma.mv` field names (`jsonValue()`), as text in the layout of metafor's `print.rma.mv`
/// (`textReport()`) or as the coefficient table in CSV (`csvDocument()`).
public struct MultilevelReport: Sendable, RenderableReport {
    public var fit: MultilevelFit
    /// The effect measure code (GEN for precomputed yi/vi).
    public var measureCode: String
    /// How V was given, in words (e.g. "diagonal: the sampling variances", "blocks read from V.csv").
    public var samplingCovarianceSource: String
    /// Notes from earlier steps (escalc corrections, omitted studies).
    public var inputNotes: [String]
    public var provenance: Provenance?

    public init(fit: MultilevelFit, measureCode: String, samplingCovarianceSource: String, inputNotes: [String] = [],
                provenance: Provenance? = nil) {
        self.fit = fit
        self.measureCode = measureCode
        self.samplingCovarianceSource = samplingCovarianceSource
        self.inputNotes = inputNotes
        self.provenance = provenance
    }

    public func jsonValue() -> JSONValue {
        guard case var .object(fields) = fit.jsonValue() else { return fit.jsonValue() }
        fields.insert(("measure", .string(measureCode)), at: 4)
        fields.append(("V", .string(samplingCovarianceSource)))
        fields.append(("diagnostics", .array((inputNotes + boundaryNotes).map { .string($0) })))
        if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        return .object(fields)
    }

    var boundaryNotes: [String] {
        fit.components.filter(\.isOnBoundary).map { "sigma^2 of '\($0.name)' is estimated at the boundary 0." }
    }

    /// Every choice that shaped the result, in words.
    public var choices: [String] {
        var lines = [
            "variance components: \(fit.method.rawValue) (\(fit.method.displayName)), \(fit.iterations) iterations, max |score| \(NumberFormat.shortest(fit.scoreNorm))",
            "sampling covariance V: \(samplingCovarianceSource)",
        ]
        if let df = fit.degreesOfFreedom {
            lines.append("tests and CIs: t with \(fit.dfs == .contain ? "containment" : "residual (k - p)") df (\(Set(df).sorted().map(String.init).joined(separator: ", "))), level \(NumberFormat.fixed(100 * fit.level, digits: 0))%")
        } else {
            lines.append("tests and CIs: z (standard normal), level \(NumberFormat.fixed(100 * fit.level, digits: 0))%")
        }
        return lines
    }

    /// metafor's `print.rma.mv`: fit statistics, the variance components table, the heterogeneity test, the
    /// omnibus test and the coefficient table; then the choices made and notes.
    public func textReport() -> String {
        let f = { (x: Double) in NumberFormat.fixed(x) }
        let reml = fit.method == .restrictedMaximumLikelihood
        let stats = reml ? fit.fitStatisticsREML : fit.fitStatisticsML
        var out = headerLine
        let fitTable = TextTable(header: ["logLik", "Deviance", "AIC", "BIC", "AICc"],
                                 rows: [[f(stats.logLikelihood), f(stats.deviance), f(stats.aic), f(stats.bic), f(stats.aicc)]],
                                 alignments: Array(repeating: .right, count: 5))
        out += fitTable.rendered().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n\n"
        out += varianceComponentsText + heterogeneityText
        if let qm = fit.moderatorTest { out += MetaRegressionReport.moderatorTestText(qm) }
        out += "\nModel Results:\n\n"
        var header = ["", "estimate", "se", fit.test == .z ? "zval" : "tval"]
        if fit.degreesOfFreedom != nil { header.append("df") }
        header += ["pval", "ci.lb", "ci.ub"]
        var table = TextTable(header: header)
        for j in 0..<fit.coefficients.count {
            var row = [fit.coefficientNames[j], f(fit.coefficients[j]), f(fit.standardErrors[j]), f(fit.statistics[j])]
            if let df = fit.degreesOfFreedom { row.append(String(df[j])) }
            row += [NumberFormat.pValue(fit.pValues[j]), f(fit.confidenceLower[j]), f(fit.confidenceUpper[j])]
            table.rows.append(row)
        }
        out += table.rendered()
        out += "\nChoices:\n" + choices.map { "  - \($0)\n" }.joined()
        let notes = inputNotes + boundaryNotes
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
        return out
    }

    /// The model part of metafor's `print.robust.rma` for an rma.mv fit: the header, the variance components and
    /// the heterogeneity test (no fit statistics and no model-based coefficients: the robust ones follow).
    public func metaforHeterogeneity() -> String { headerLine + varianceComponentsText + heterogeneityText }

    private var headerLine: String {
        "Multivariate Meta-Analysis Model (k = \(fit.effectCount); method: \(fit.method.rawValue))\n\n"
    }

    /// The variance components: one table for the nested intercepts, one per correlated term.
    private var varianceComponentsText: String {
        let f = { (x: Double) in NumberFormat.fixed(x) }
        var out = ""
        if !fit.components.isEmpty || !fit.correlatedEstimates.isEmpty {
            out += "Variance Components:\n\n"
        }
        if !fit.components.isEmpty {
            var vc = TextTable(header: ["", "estim", "sqrt", "nlvls", "fixed", "factor"])
            for (j, c) in fit.components.enumerated() {
                vc.rows.append(["sigma^2.\(j + 1)", f(c.estimate), f(c.estimate.squareRoot()), String(c.levelCount),
                                c.isFixed ? "yes" : "no", c.name])
            }
            out += vc.rendered() + "\n"
        }
        for (index, e) in fit.correlatedEstimates.enumerated() {
            let (variance, correlation) = index == 0 ? ("tau^2", "rho") : ("gamma^2", "phi")
            let width = max(e.names[0].count, e.names[1].count)
            func pad(_ s: String) -> String { s + String(repeating: " ", count: width - s.count) }
            out += "outer factor: \(pad(e.names[1])) (nlvls = \(e.levelCounts[1]))\n"
            out += "inner factor: \(pad(e.names[0])) (nlvls = \(e.levelCounts[0]))\n\n"
            var vc = TextTable(header: ["", "estim", "sqrt", "fixed"] + (e.tau2.count > 1 ? ["level"] : []))
            for (j, t) in e.tau2.enumerated() {
                let name = e.tau2.count > 1 ? "\(variance).\(j + 1)" : variance
                vc.rows.append([name, f(t), f(t.squareRoot()), e.tau2Fixed[j] ? "yes" : "no"] + (e.tau2.count > 1 ? [e.innerLevels[j]] : []))
            }
            let l = e.innerLevels.count
            if e.rho.count > 1 || e.structure == .unstructured {
                var k = 0
                for a in 0..<l { for b in (a + 1)..<max(l, a + 1) {
                    vc.rows.append(["\(correlation).\(e.innerLevels[a]).\(e.innerLevels[b])", f(e.rho[k]), "", e.rhoFixed[k] ? "yes" : "no"]
                                   + (e.tau2.count > 1 ? [""] : []))
                    k += 1
                } }
            } else if let r = e.rho.first {
                vc.rows.append([correlation, f(r), "", e.rhoFixed[0] ? "yes" : "no"] + (e.tau2.count > 1 ? [""] : []))
            }
            out += vc.rendered() + "\n"
        }
        return out
    }

    /// metafor's (residual) heterogeneity test line.
    private var heterogeneityText: String {
        let f = { (x: Double) in NumberFormat.fixed(x) }
        let qe = fit.residualHeterogeneity
        return (fit.moderatorTest == nil ? "Test for Heterogeneity:\nQ" : "Test for Residual Heterogeneity:\nQE")
            + "(df = \(qe.degreesOfFreedom)) = \(f(qe.statistic)), p-val \(RandomEffectsReport.pText(qe.pValue))\n"
    }

    /// The coefficient table: estimate, se, statistic, df, pval, ci_lb, ci_ub per coefficient.
    public func csvDocument() -> CSVDocument {
        var doc = CSVDocument(header: ["coefficient", "estimate", "se", "zval", "dfs", "pval", "ci_lb", "ci_ub"])
        for j in 0..<fit.coefficients.count {
            doc.rows.append([fit.coefficientNames[j], NumberFormat.shortest(fit.coefficients[j]), NumberFormat.shortest(fit.standardErrors[j]),
                             NumberFormat.shortest(fit.statistics[j]), fit.degreesOfFreedom.map { String($0[j]) } ?? "NA",
                             NumberFormat.shortest(fit.pValues[j]), NumberFormat.shortest(fit.confidenceLower[j]),
                             NumberFormat.shortest(fit.confidenceUpper[j])])
        }
        return doc
    }

    public var csvNotes: [String] { inputNotes + boundaryNotes }
}
