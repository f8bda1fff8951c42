import MetaAnalysis

/// What `metaswift permute` prints: the model's coefficient with its permutation p-value, as metafor's
/// `print.permutest.rma.uni`.
public struct PermutationTestReport: Sendable {
    public var model: RandomEffectsModel
    public var measure: String
    public var result: PermutationTestResult
    public var notes: [String]
    public var provenance: Provenance

    public init(model: RandomEffectsModel, measure: String, result: PermutationTestResult, notes: [String], provenance: Provenance) {
        self.model = model
        self.measure = measure
        self.result = result
        self.notes = notes
        self.provenance = provenance
    }

    /// `pval` and `QMp` are the permutation p-values (metafor's `permutest` names); `zval` is the observed
    /// statistic, `QM` its square.
    public func jsonValue() -> JSONValue {
        let m = model
        return .object([
            ("analysis", .string("permutest")),
            ("k", .number(Double(m.studyCount))),
            ("method", .string(m.estimator.rawValue)),
            ("test", .string(m.testUsed.rawValue)),
            ("measure", .string(measure)),
            ("exact", .bool(result.exact)),
            ("iterations", .number(Double(result.permutations))),
            ("seed", result.seed.map { .string(String($0)) } ?? .null),
            ("beta", .double(m.estimate)),
            ("se", .double(m.standardError)),
            ("zval", .double(result.observed.statistic)),
            ("pval", .double(result.pValue)),
            ("QM", .double(result.observed.statistic * result.observed.statistic)),
            ("QMp", .double(result.pValue)),
            ("ci_lb", .double(m.confidenceLower)),
            ("ci_ub", .double(m.confidenceUpper)),
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
            ? "Exact permutation test (all \(result.permutations) sign patterns)\n"
            : "Approximate permutation test (\(result.permutations) iterations, seed \(result.seed.map(String.init) ?? ""))\n"
        out += "\(m.isCommonEffect ? "Common-effect" : "Random-effects") model (k = \(m.studyCount); tau^2 estimator: \(m.estimator.rawValue))\n\n"
        let stat = m.testUsed == .z ? "zval" : "tval"
        var table = TextTable(header: ["estimate", "se", stat, "pval*", "ci.lb", "ci.ub"])
        table.rows.append([f(m.estimate), f(m.standardError), f(result.observed.statistic), TextTable.pValue(result.pValue),
                           f(m.confidenceLower), f(m.confidenceUpper)])
        table.alignments = Array(repeating: .right, count: 6)
        out += table.rendered()
        out += "\n* permutation p-value\n"
        if !result.failedPermutations.isEmpty {
            out += "\n\(result.failedPermutations.count) permutations failed to fit and are left out of the p-value.\n"
        }
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
        return out
    }
}
