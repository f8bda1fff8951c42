import MetaAnalysis

/// Everything `metaswift pool --subgroup` reports: the per-subgroup models, the tests for subgroup differences
/// (separate τ², common τ², common effect), notes and provenance. JSON uses the conformance bank's `subgroup`
/// field names.
public struct SubgroupReport: Sendable {
    public var analysis: SubgroupAnalysis
    /// The effect measure code (GEN for precomputed yi/vi).
    public var measureCode: String
    public var backTransformation: BackTransformation?
    public var inputNotes: [String]
    public var provenance: Provenance?

    public init(analysis: SubgroupAnalysis, measureCode: String, backTransformation: BackTransformation? = nil,
                inputNotes: [String] = [], provenance: Provenance? = nil) {
        self.analysis = analysis
        self.measureCode = measureCode
        self.backTransformation = backTransformation
        self.inputNotes = inputNotes
        self.provenance = provenance
    }

    /// What the test with separate τ² is, in the words the bank records with it.
    static let separateTestDescription = "EE model over the G subgroup estimates (their REML/method SEs): Q_between = QE, df = G-1"

    /// Every choice that shaped the result, in words.
    public var choices: [String] {
        let o = analysis.options
        return [
            "subgroups: levels of '\(analysis.groupColumn)' in byte order (reference '\(analysis.levels[0])')",
            "model in each subgroup: tau^2 estimator \(o.estimator.rawValue) (\(o.estimator.displayName)), test \(o.test.rawValue), level \(NumberFormat.fixed(o.level, digits: 0))%",
            "test for subgroup differences, separate tau^2: Cochran's Q of the subgroup estimates (common-effect model, their SEs), chi-square with G - 1 df",
            "test for subgroup differences, common tau^2: omnibus QM of the meta-regression on the subgroup factor (\(o.estimator.rawValue), \(o.test.rawValue))",
            "common-effect version: EE fits per subgroup and QM of the EE meta-regression (Q-between)",
        ]
    }

    /// Notes of every fit, each prefixed with where it comes from.
    public var notes: [String] {
        var notes = inputNotes
        for s in analysis.subgroups {
            notes += s.model.diagnostics.map { "Subgroup '\(s.level)': \($0.description)" }
        }
        notes += analysis.commonTauSquaredModel.diagnostics.map { "Common-tau^2 model: \($0.description)" }
        return notes
    }
}
