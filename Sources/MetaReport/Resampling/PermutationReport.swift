import MetaAnalysis

/// What `metaswift permute` prints, with or without moderators: each coefficient with its permutation p-value and,
/// for a meta-regression, the omnibus test with its permutation p-value (metafor's `print.permutest.rma.uni`).
///
/// One shape serves both tests: a list of coefficients (one, unnamed, without moderators) and an omnibus line. The
/// JSON keeps metafor's names: `pval` per coefficient and `QMp` are permutation p-values, `zval` and `QM` observed;
/// without moderators the values are scalars and QM = zval².
public struct PermutationReport: Sendable, RenderableReport {
    /// One coefficient's row.
    public struct Coefficient: Sendable {
        public var name: String
        public var estimate: Double
        public var standardError: Double
        public var statistic: Double
        /// The permutation p-value.
        public var pValue: Double
        public var lower: Double
        public var upper: Double
    }

    public var coefficients: [Coefficient]
    /// Arrays, `p` and `coef_names` in JSON, names in the table: a meta-regression; scalars otherwise.
    public var isMetaRegression: Bool
    public var studyCount: Int
    public var estimator: TauSquaredEstimator
    public var test: CoefficientTest
    public var measure: String
    public var exact: Bool
    public var permutations: Int
    public var seed: UInt64?
    /// QM as reported (metafor's F = QM/m with t-based tests) and its permutation p-value.
    public var omnibusStatistic: Double?
    public var omnibusPValue: Double
    /// The moderator test's label in the text ("QM(df = 1)", "F(df1 = 1, df2 = 11)"); nil without moderators.
    public var omnibusLabel: String?
    public var successful: Int
    public var failedPermutations: [Int]
    /// What the exact test enumerates, and the model line of the text.
    var exactDescription: String
    var modelDescription: String
    public var notes: [String]
    public var provenance: Provenance

    /// The sign-flip test of an intercept-only model.
    public init(model m: RandomEffectsModel, measure: String, result: PermutationTestResult, notes: [String], provenance: Provenance) {
        let z = result.observed.statistic
        self.init(coefficients: [Coefficient(name: "", estimate: m.estimate, standardError: m.standardError, statistic: z,
                                             pValue: result.pValue, lower: m.confidenceLower, upper: m.confidenceUpper)],
                  isMetaRegression: false, studyCount: m.studyCount, estimator: m.estimator, test: m.testUsed, measure: measure,
                  exact: result.exact, permutations: result.permutations, seed: result.seed, omnibusStatistic: z * z,
                  omnibusLabel: nil, exactDescription: "sign patterns",
                  modelDescription: "\(m.isCommonEffect ? "Common-effect" : "Random-effects") model", notes: notes, provenance: provenance)
        omnibusPValue = result.pValue
        successful = result.successful
        failedPermutations = result.failedPermutations
    }

    /// The row-permutation test of a meta-regression.
    public init(model m: MetaRegressionModel, measure: String, result: MetaRegressionPermutationResult, notes: [String],
                provenance: Provenance) {
        let coefficients = (0..<m.coefficientCount).map { j in
            Coefficient(name: m.coefficientNames[j], estimate: m.coefficients[j], standardError: m.standardErrors[j],
                        statistic: m.statistics[j], pValue: result.pValues[j], lower: m.confidenceLower[j], upper: m.confidenceUpper[j])
        }
        let label = m.moderatorTest.map { qm in
            m.testUsed == .z ? "QM(df = \(qm.numeratorDegreesOfFreedom))"
                : "F(df1 = \(qm.numeratorDegreesOfFreedom), df2 = \(qm.denominatorDegreesOfFreedom ?? 0))"
        }
        self.init(coefficients: coefficients, isMetaRegression: true, studyCount: m.studyCount, estimator: m.estimator,
                  test: m.testUsed, measure: measure, exact: result.exact, permutations: result.permutations, seed: result.seed,
                  omnibusStatistic: m.moderatorTest?.statistic, omnibusLabel: label,
                  exactDescription: "distinct arrangements of the moderators", modelDescription: "Meta-regression",
                  notes: notes, provenance: provenance)
        omnibusPValue = result.moderatorPValue
        successful = result.successful
        failedPermutations = result.failedPermutations
    }

    /// Everything but the permutation counts (p-values NaN, no permutations counted): what a shard file records.
    init(coefficients: [Coefficient], isMetaRegression: Bool, studyCount: Int, estimator: TauSquaredEstimator,
         test: CoefficientTest, measure: String, exact: Bool, permutations: Int, seed: UInt64?, omnibusStatistic: Double?,
         omnibusLabel: String?, exactDescription: String, modelDescription: String, notes: [String], provenance: Provenance) {
        self.coefficients = coefficients
        self.isMetaRegression = isMetaRegression
        self.studyCount = studyCount
        self.estimator = estimator
        self.test = test
        self.measure = measure
        self.exact = exact
        self.permutations = permutations
        self.seed = seed
        self.omnibusStatistic = omnibusStatistic
        omnibusPValue = .nan
        self.omnibusLabel = omnibusLabel
        successful = 0
        failedPermutations = []
        self.exactDescription = exactDescription
        self.modelDescription = modelDescription
        self.notes = notes
        self.provenance = provenance
    }

    /// Sets the p-values and counts from the tally of all permutations (statistics in the shard's column order:
    /// the coefficients, then QM for a meta-regression; without moderators QM = z² orders as |z| does).
    mutating func apply(_ tally: PermutationTally) {
        for j in coefficients.indices { coefficients[j].pValue = tally.pValue(j) }
        omnibusPValue = tally.pValue(isMetaRegression ? coefficients.count : 0)
        successful = tally.successful
        failedPermutations = tally.failedPermutations
    }

    public func jsonValue() -> JSONValue {
        func values(_ key: KeyPath<Coefficient, Double>) -> JSONValue {
            isMetaRegression ? .doubles(coefficients.map { $0[keyPath: key] }) : .double(coefficients[0][keyPath: key])
        }
        var fields: [(String, JSONValue)] = [("analysis", .string("permutest")), ("k", .number(Double(studyCount)))]
        if isMetaRegression { fields.append(("p", .number(Double(coefficients.count)))) }
        fields += [
            ("method", .string(estimator.rawValue)),
            ("test", .string(test.rawValue)),
            ("measure", .string(measure)),
            ("exact", .bool(exact)),
            ("iterations", .number(Double(permutations))),
            ("seed", seed.map { .string(String($0)) } ?? .null),
        ]
        if isMetaRegression { fields.append(("coef_names", .array(coefficients.map { .string($0.name) }))) }
        fields += [
            ("beta", values(\.estimate)),
            ("se", values(\.standardError)),
            ("zval", values(\.statistic)),
            ("pval", values(\.pValue)),
            ("QM", .double(omnibusStatistic)),
            ("QMp", .double(omnibusPValue)),
            ("ci_lb", values(\.lower)),
            ("ci_ub", values(\.upper)),
            ("successful", .number(Double(successful))),
            ("failed", .number(Double(failedPermutations.count))),
            ("failed_permutations", .array(failedPermutations.map { .number(Double($0)) })),
            ("diagnostics", .array(notes.map { .string($0) })),
            ("provenance", provenance.jsonValue),
        ]
        return .object(fields)
    }

    /// One row per coefficient (`intrcpt` without moderators) with the JSON's names; `QM` and its permutation
    /// p-value `QMp` repeat on every row.
    public func csvDocument() -> CSVDocument {
        let f = NumberFormat.shortest
        return CSVDocument(
            header: ["coef", "beta", "se", "zval", "pval", "ci_lb", "ci_ub", "QM", "QMp"],
            rows: coefficients.map { c in
                [isMetaRegression ? c.name : "intrcpt", f(c.estimate), f(c.standardError), f(c.statistic), f(c.pValue),
                 f(c.lower), f(c.upper), omnibusStatistic.map(f) ?? "NA", f(omnibusPValue)]
            })
    }

    public func textReport() -> String {
        let f = { (x: Double) in NumberFormat.fixed(x) }
        var out = exact
            ? "Exact permutation test (all \(permutations) \(exactDescription))\n"
            : "Approximate permutation test (\(permutations) iterations, seed \(seed.map(String.init) ?? ""))\n"
        out += "\(modelDescription) (k = \(studyCount); tau^2 estimator: \(estimator.rawValue))\n\n"
        if let omnibusLabel, let omnibusStatistic {
            out += "Test of Moderators: \(omnibusLabel) = \(f(omnibusStatistic)), p-val* \(NumberFormat.pValue(omnibusPValue))\n\n"
        }
        let stat = test == .z ? "zval" : "tval"
        let names = isMetaRegression ? [""] : []
        var table = TextTable(header: names + ["estimate", "se", stat, "pval*", "ci.lb", "ci.ub"])
        for c in coefficients {
            table.rows.append((isMetaRegression ? [c.name] : []) + [f(c.estimate), f(c.standardError), f(c.statistic),
                                                                   NumberFormat.pValue(c.pValue), f(c.lower), f(c.upper)])
        }
        if !isMetaRegression { table.alignments = Array(repeating: .right, count: 6) }
        out += table.rendered()
        let plural = isMetaRegression ? "s" : ""
        out += "\n* permutation p-value\(plural)\n"
        if !failedPermutations.isEmpty {
            out += "\n\(failedPermutations.count) permutations failed to fit and are left out of the p-value\(plural).\n"
        }
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
        return out
    }
}
