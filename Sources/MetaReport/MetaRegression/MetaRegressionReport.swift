import MetaAnalysis

/// Everything `metaswift pool --mods` reports about a meta-regression: the model, predictions at new moderator
/// values, notes and provenance. Rendered as JSON with the conformance bank's `rma.uni.mods` field names
/// (`jsonValue()`), as a metafor-like text summary (`textReport()`) or as CSV (`csvDocument()`).
public struct MetaRegressionReport: Sendable {
    /// A prediction at a new point, with the point as the user wrote it.
    public struct NewPrediction: Sendable {
        public var label: String
        public var designRow: [Double]
        public var prediction: Prediction

        public init(label: String, designRow: [Double], prediction: Prediction) {
            self.label = label
            self.designRow = designRow
            self.prediction = prediction
        }
    }

    public var model: MetaRegressionModel
    /// The effect measure code (GEN for precomputed yi/vi).
    public var measureCode: String
    public var backTransformation: BackTransformation?
    public var newPredictions: [NewPrediction]
    /// `confint(res)`: CIs for the residual τ², τ, I², H².
    public var intervals: HeterogeneityConfidenceIntervals?
    /// Notes from earlier steps (escalc corrections, omitted studies), shown before the model's own.
    public var inputNotes: [String]
    public var provenance: Provenance?

    public init(model: MetaRegressionModel, measureCode: String, backTransformation: BackTransformation? = nil,
                newPredictions: [NewPrediction] = [], intervals: HeterogeneityConfidenceIntervals? = nil,
                inputNotes: [String] = [], provenance: Provenance? = nil) {
        self.model = model
        self.measureCode = measureCode
        self.backTransformation = backTransformation
        self.newPredictions = newPredictions
        self.intervals = intervals
        self.inputNotes = inputNotes
        self.provenance = provenance
    }

    /// Every choice that shaped the result, in words.
    public var choices: [String] {
        let m = model
        var lines = [
            "residual tau^2 estimator: \(m.estimator.rawValue) (\(m.estimator.displayName))",
            "tests and CIs for the coefficients: \(m.testUsed.rawValue) (\(m.testUsed.displayName)), level \(NumberFormat.fixed(m.options.level, digits: 0))%",
            "omnibus test of moderators: " + (m.testUsed == .z ? "Wald chi-square" : "F (Wald statistic / m, with k - p denominator df)"),
            "design: " + (m.design.hasIntercept ? "intercept, " : "no intercept, ")
                + m.design.terms.map { t in
                    t.coding == .continuous ? "\(t.column) (continuous)" : "\(t.column) (categorical, reference level '\(t.levels[0])')"
                }.joined(separator: ", "),
            "R^2: " + (m.isCommonEffect ? "adjusted R^2 of the weighted least-squares fit" : "proportional reduction in tau^2 against the intercept-only model"),
        ]
        if m.tauSquaredEstimate.iterations > 0 { lines.insert("tau^2 iterations: \(m.tauSquaredEstimate.iterations)", at: 1) }
        if let i = intervals { lines.append("residual heterogeneity CI: \(i.method.rawValue) (\(RandomEffectsReport.methodName(i.method)))") }
        if m.estimator.needsUserWeights { lines.append("coefficients weighted by the user weights (sandwich variance)") }
        return lines
    }
}
