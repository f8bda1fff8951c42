import MetaAnalysis

/// What `metaswift permute --mods ...` prints: each coefficient with its permutation p-value and the omnibus
/// test with its permutation p-value (metafor's `print.permutest.rma.uni`).
public struct MetaRegressionPermutationReport: Sendable {
    public var model: MetaRegressionModel
    public var measure: String
    public var result: MetaRegressionPermutationResult
    public var notes: [String]
    public var provenance: Provenance

    public init(model: MetaRegressionModel, measure: String, result: MetaRegressionPermutationResult, notes: [String],
                provenance: Provenance) {
        self.model = model
        self.measure = measure
        self.result = result
        self.notes = notes
        self.provenance = provenance
    }

    /// metafor's names: `pval` per coefficient and `QMp` are permutation p-values; `zval` and `QM` observed.
    public func jsonValue() -> JSONValue {
        let m = model
        return .object([
            ("analysis", .string("permutest")),
            ("k", .number(Double(m.studyCount))),
            ("p", .number(Double(m.coefficientCount))),
            ("method", .string(m.estimator.rawValue)),
            ("test", .string(m.testUsed.rawValue)),
            ("measure", .string(measure)),
            ("exact", .bool(result.exact)),
            ("iterations", .number(Double(result.permutations))),
            ("seed", result.seed.map { .string(String($0)) } ?? .null),
            ("coef_names", .array(m.coefficientNames.map { .string($0) })),
            ("beta", .doubles(m.coefficients)),
            ("se", .doubles(m.standardErrors)),
            ("zval", .doubles(m.statistics)),
            ("pval", .doubles(result.pValues)),
            ("QM", .double(m.moderatorTest?.statistic)),
            ("QMp", .double(result.moderatorPValue)),
            ("ci_lb", .doubles(m.confidenceLower)),
            ("ci_ub", .doubles(m.confidenceUpper)),
            ("successful", .number(Double(result.successful))),
            ("failed", .number(Double(result.failedPermutations.count))),
            ("failed_permutations", .array(result.failedPermutations.map { .number(Double($0)) })),
            ("diagnostics", .array(notes.map { .string($0) })),
            ("provenance", provenance.jsonValue),
        ])
    }

    public func textReport() -> String {
        let m = model
        let f = { (x: Double) in TextTable.fixed(x) }
        var out = result.exact
            ? "Exact permutation test (all \(result.permutations) distinct arrangements of the moderators)\n"
            : "Approximate permutation test (\(result.permutations) iterations, seed \(result.seed.map(String.init) ?? ""))\n"
        out += "Meta-regression (k = \(m.studyCount); tau^2 estimator: \(m.estimator.rawValue))\n\n"
        if let qm = m.moderatorTest {
            let name = m.testUsed == .z ? "QM(df = \(qm.numeratorDegreesOfFreedom))" : "F(df1 = \(qm.numeratorDegreesOfFreedom), df2 = \(qm.denominatorDegreesOfFreedom ?? 0))"
            out += "Test of Moderators: \(name) = \(f(qm.statistic)), p-val* \(TextTable.pValue(result.moderatorPValue))\n\n"
        }
        let stat = m.testUsed == .z ? "zval" : "tval"
        var table = TextTable(header: ["", "estimate", "se", stat, "pval*", "ci.lb", "ci.ub"])
        for j in 0..<m.coefficientCount {
            table.rows.append([m.coefficientNames[j], f(m.coefficients[j]), f(m.standardErrors[j]), f(m.statistics[j]),
                               TextTable.pValue(result.pValues[j]), f(m.confidenceLower[j]), f(m.confidenceUpper[j])])
        }
        out += table.rendered()
        out += "\n* permutation p-values\n"
        if !result.failedPermutations.isEmpty {
            out += "\n\(result.failedPermutations.count) permutations failed to fit and are left out of the p-values.\n"
        }
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
        return out
    }
}
