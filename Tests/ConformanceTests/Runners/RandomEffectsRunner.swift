import MetaAnalysis
import MetaReport

/// `rma.uni` cases (groups rma_uni, rma_by_measure, proportions): escalc (or the CSV's yi/vi), then
/// `RandomEffectsModel.fit`, `predict`, `confint`, rendered by the same JSON renderer as `metaswift pool`.
enum RandomEffectsRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        let sizes = try c.effectSizes()
        let measure = try c.effectMeasure
        guard let code = c.stringOption("method"), let estimator = TauSquaredEstimator(code: code) else {
            throw BankCaseError(description: "unknown method '\(c.stringOption("method") ?? "")'")
        }
        guard let testCode = c.stringOption("test"), let test = CoefficientTest(rawValue: testCode) else {
            throw BankCaseError(description: "unknown test '\(c.stringOption("test") ?? "")'")
        }
        if c.option("tau2_fixed") != nil { throw NotImplemented(analysis: "rma.uni with tau2 fixed by the user") }
        if let flag = c.option("weighted"), case .bool(false) = flag { throw NotImplemented(analysis: "rma.uni with weighted = FALSE") }
        if c.option("tau2_init") != nil { throw NotImplemented(analysis: "rma.uni with control tau2.init") }
        var options = RandomEffectsOptions(estimator: estimator, test: test)
        if let level = c.numberOption("level") { options.level = level }
        let rows = sizes.availableIndices
        var userWeights: [Double]?
        if let column = c.stringOption("weights") {
            let all = try c.table.numbers(column, neededBy: "weights")
            userWeights = rows.map { all[$0] }
        }
        let model = try RandomEffectsModel.fit(
            effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] },
            studies: rows.map { sizes.studies[$0] }, userWeights: userWeights, options: options)

        var harmonicMeanN: Double?
        if measure == .freemanTukeyProportion {
            let n = try c.table.numbers(c.args["ni"] ?? "ni", neededBy: "the PFT back-transformation")
            harmonicMeanN = Double(n.count) / n.reduce(0) { $0 + 1 / $1 }
        }
        // Every bound is converged tightly: the bank's expected_tight holds the GENQ/GENQM generalized Q-profile
        // bounds to full precision (metafor's own uniroot stops at 1.22e-4; bank README, rma_uni).
        let intervalOptions = HeterogeneityIntervalOptions()
        let intervals = try model.heterogeneityConfidenceIntervals(options: intervalOptions)
        let qProfile = estimator.needsUserWeights
            ? try model.heterogeneityConfidenceIntervals(method: .qProfile, options: intervalOptions) : nil
        let report = RandomEffectsReport(
            model: model, measureCode: measure.rawValue,
            backTransformation: measure.backTransformation(harmonicMeanSampleSize: harmonicMeanN),
            intervals: intervals, qProfileIntervals: qProfile, includesStudyValues: measure != .generic)
        return report.jsonValue()
    }
}
