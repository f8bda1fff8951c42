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
        let userWeights = try c.stringOption("weights").map { try c.table.numbers($0, neededBy: "weights") }
        // metafor's confint for GENQ/GENQM fits finds the generalized Q-profile bounds with uniroot's default
        // tolerance even when `control` asks for a tight one (bank README; the default and tight references agree
        // to every digit), so the bank's bounds are reproduced with that tolerance. Q-profile bounds are tight.
        let intervalOptions = HeterogeneityIntervalOptions(generalizedTolerance: HeterogeneityIntervalOptions.metaforUnirootTolerance)
        let analysis = try PooledAnalysis.pool(sizes, of: c.table, columns: try c.escalcColumns, userWeights: userWeights,
                                               options: PoolingOptions(model: options, intervals: intervalOptions))
        let report = RandomEffectsReport(
            model: analysis.model, measureCode: measure.rawValue, backTransformation: analysis.backTransformation,
            intervals: analysis.heterogeneityIntervals, qProfileIntervals: analysis.qProfileIntervals,
            includesStudyValues: measure != .generic)
        return report.jsonValue()
    }
}
