import MetaAnalysis
import MetaReport

/// `rma.uni` cases (groups rma_uni, rma_by_measure, proportions): escalc (or the CSV's yi/vi), then
/// `PooledAnalysis.pool` (fit, `predict`, `confint`), rendered by the same JSON renderer as `metaswift pool`.
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
        var options = RandomEffectsOptions(estimator: estimator, test: test)
        if let level = c.numberOption("level") { options.level = level }
        options.fixedTauSquared = c.numberOption("tau2_fixed")
        if let flag = c.option("weighted"), case let .bool(weighted) = flag { options.weighted = weighted }
        options.control.initialTauSquared = c.numberOption("tau2_init")
        let userWeights = try c.stringOption("weights").map { try c.table.numbers($0, neededBy: "weights") }
        // Every bound is converged tightly: the bank's expected_tight holds the GENQ/GENQM generalized Q-profile
        // bounds to full precision (metafor's own uniroot stops at 1.22e-4; bank README, rma_uni).
        let intervalOptions = HeterogeneityIntervalOptions()
        let analysis = try PooledAnalysis.pool(sizes, of: c.table, columns: try c.escalcColumns, userWeights: userWeights,
                                               options: PoolingOptions(model: options, intervals: intervalOptions))
        let report = RandomEffectsReport(
            model: analysis.model, measureCode: measure.rawValue, backTransformation: analysis.backTransformation,
            intervals: analysis.heterogeneityIntervals, qProfileIntervals: analysis.qProfileIntervals,
            includesStudyValues: measure != .generic)
        return report.jsonValue()
    }
}
