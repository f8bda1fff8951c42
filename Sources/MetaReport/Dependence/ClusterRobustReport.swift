import MetaAnalysis

extension ClusterRobustInference {
    /// `{vcov_type, n_clusters, coef_names, beta, se, tval, ddf, pval, ci_lb, ci_ub, vcov, QM, QMdf, QMp}`: the
    /// field names of the conformance bank's robust variants (`ddf` one value for CR0/CR1, one per coefficient for CR2).
    public var jsonValue: JSONValue {
        let p = coefficients.count
        let ddf = correction == .cr2 ? degreesOfFreedom : Array(degreesOfFreedom.prefix(1))
        return .object([
            ("vcov_type", .string(correction.rawValue)),
            ("n_clusters", .number(Double(clusterCount))),
            ("coef_names", .array(coefficientNames.map { .string($0) })),
            ("beta", .doubles(coefficients)),
            ("se", .doubles(standardErrors)),
            ("tval", .doubles(statistics)),
            ("ddf", .doubles(ddf)),
            ("pval", .doubles(pValues)),
            ("ci_lb", .doubles(confidenceLower)),
            ("ci_ub", .doubles(confidenceUpper)),
            ("vcov", .array((0..<p).map { i in .doubles((0..<p).map { covariance[i, $0] }) })),
            ("QM", .double(omnibusStatistic)),
            ("QMdf", .doubles([omnibusDegreesOfFreedom.numerator, omnibusDegreesOfFreedom.denominator])),
            ("QMp", .double(omnibusPValue)),
        ])
    }
}

/// A fitted model with cluster-robust inference, as `metaswift pool --robust` prints it. JSON: the model's own
/// document with the robust results under the variant's code (`CR0`, `CR1` or `CR2`, as the conformance bank's
/// robust cases name them). Text: metafor's `print.robust.rma` layout. CSV: the robust coefficient table.
public struct ClusterRobustReport: RenderableReport, Sendable {
    /// The model's own report (its JSON is extended, its heterogeneity summary heads the text).
    public let modelJSON: JSONValue
    /// The model part of the text: metafor's lines up to the heterogeneity test.
    public let modelSummary: String
    public let inference: ClusterRobustInference
    public let notes: [String]

    public init(modelJSON: JSONValue, modelSummary: String, inference: ClusterRobustInference, notes: [String] = []) {
        self.modelJSON = modelJSON
        self.modelSummary = modelSummary
        self.inference = inference
        self.notes = notes
    }

    public func jsonValue() -> JSONValue {
        guard case var .object(fields) = modelJSON else { return modelJSON }
        let entry = (inference.correction.rawValue, inference.jsonValue)
        if let at = fields.firstIndex(where: { $0.0 == "diagnostics" || $0.0 == "provenance" }) {
            fields.insert(entry, at: at)
        } else {
            fields.append(entry)
        }
        return .object(fields)
    }

    public func csvDocument() -> CSVDocument {
        let r = inference
        var doc = CSVDocument(header: ["coefficient", "estimate", "se", "tval", "df", "pval", "ci_lb", "ci_ub", "vcov_type"])
        for j in r.coefficients.indices {
            doc.rows.append([r.coefficientNames[j], NumberFormat.shortest(r.coefficients[j]), NumberFormat.shortest(r.standardErrors[j]),
                             NumberFormat.shortest(r.statistics[j]), NumberFormat.shortest(r.degreesOfFreedom[j]),
                             NumberFormat.shortest(r.pValues[j]), NumberFormat.shortest(r.confidenceLower[j]),
                             NumberFormat.shortest(r.confidenceUpper[j]), r.correction.rawValue])
        }
        return doc
    }

    public var csvNotes: [String] { notes }

    /// metafor's `print.robust.rma`: the model summary, the cluster counts, the robust omnibus test (¹ marks
    /// robust results), the coefficient table and the footnote naming the estimator and the df method.
    public func textReport() -> String {
        let r = inference
        let f = { (x: Double) in NumberFormat.fixed(x) }
        let isCR2 = r.correction == .cr2
        func df(_ x: Double) -> String { isCR2 ? NumberFormat.fixed(x, digits: 2) : NumberFormat.shortest(x) }
        var out = modelSummary
        let sorted = r.clusterSizes.sorted()
        let mean = Double(sorted.reduce(0, +)) / Double(max(sorted.count, 1))
        let middle = sorted.count / 2
        let median = sorted.isEmpty ? 0 : sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
        out += "\nNumber of estimates:   \(sorted.reduce(0, +))\n"
        out += "Number of clusters:    \(r.clusterCount)\n"
        out += "Estimates per cluster: \(sorted.first ?? 0)-\(sorted.last ?? 0) (mean: \(NumberFormat.fixed(mean, digits: 2)), median: \(NumberFormat.significant(median, 6)))\n"
        let hasModerators = r.coefficients.count > 1
        if hasModerators {
            out += "\nTest of Moderators (\(MetaRegressionReport.coefficientList(r.testedCoefficients))):¹\n"
            out += "F(df1 = \(NumberFormat.shortest(r.omnibusDegreesOfFreedom.numerator)), df2 = \(df(r.omnibusDegreesOfFreedom.denominator))) = "
                + "\(f(r.omnibusStatistic)), p-val \(RandomEffectsReport.pText(r.omnibusPValue))\n"
        }
        out += "\nModel Results:\n\n"
        var table = TextTable(header: (hasModerators ? [""] : []) + ["estimate", "se¹", "tval¹", "df¹", "pval¹", "ci.lb¹", "ci.ub¹"])
        if !hasModerators { table.alignments = [.right] }
        for j in r.coefficients.indices {
            table.rows.append((hasModerators ? [r.coefficientNames[j]] : [])
                + [f(r.coefficients[j]), f(r.standardErrors[j]), f(r.statistics[j]), df(r.degreesOfFreedom[j]),
                   NumberFormat.pValue(r.pValues[j]), f(r.confidenceLower[j]), f(r.confidenceUpper[j])])
        }
        out += table.rendered()
        out += "\n1) results based on cluster-robust inference (var-cov estimator: \(r.correction.rawValue),\n"
        out += "   approx \(hasModerators ? "t/F-tests and confidence intervals" : "t-test and confidence interval"), df: "
            + (isCR2 ? "Satterthwaite approx)\n" : "residual method)\n")
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
        return out
    }
}
