import MetaAnalysis
import MetaReport

/// `regtest`, `ranktest`, `trimfill` and `fsn` cases (group pubbias): the model of the case
/// (`rma(yi, vi, method)`, z test) where the analysis starts from one, rendered by the same reports as
/// `metaswift bias`.
enum PublicationBiasRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        let sizes = try c.effectSizes()
        let rows = sizes.availableIndices
        let y = rows.map { sizes.yi[$0] }, v = rows.map { sizes.vi[$0] }
        switch c.analysis {
        case "fsn":
            guard let code = c.stringOption("type"), let method = FailSafeMethod(rawValue: code) else {
                throw BankCaseError(description: "unknown fsn type '\(c.stringOption("type") ?? "")'")
            }
            if let pool = c.stringOption("pool") { throw NotImplemented(analysis: "fsn pool \(pool)") }
            var weighted = true
            if let flag = c.option("weighted"), case let .bool(w) = flag { weighted = w }
            let result = try FailSafeN(effectSizes: y, samplingVariances: v, method: method, alpha: c.numberOption("alpha") ?? 0.05,
                                       target: c.numberOption("target"), weighted: weighted)
            return result.report(effectSizes: y, samplingVariances: v).jsonValue()
        case "ranktest":
            var exact = true
            if let flag = c.option("exact"), case let .bool(e) = flag { exact = e }
            return try RankCorrelationTest(effectSizes: y, samplingVariances: v, exact: exact).report(effectSizes: y, samplingVariances: v).jsonValue()
        case "regtest":
            let model = try DiagnosticsRunner.model(c)
            guard let regression = AsymmetryRegressionModel(rawValue: c.stringOption("model") ?? "rma"),
                  let predictor = AsymmetryPredictor(rawValue: c.stringOption("predictor") ?? "sei") else {
                throw BankCaseError(description: "unknown regtest model or predictor")
            }
            var sampleSizes: [Double]?
            if let column = c.stringOption("ni_column") {
                let all = try c.table.numbers(column, neededBy: "the regtest predictor")
                sampleSizes = rows.map { all[$0] }
            }
            let test = try EggerRegressionTest(model: model, regression: regression, predictor: predictor, sampleSizes: sampleSizes)
            return test.report(effectSizes: y, samplingVariances: v, method: model.estimator).jsonValue()
        case "trimfill":
            let model = try DiagnosticsRunner.model(c)
            guard let estimator = MissingStudiesEstimator(rawValue: c.stringOption("estimator") ?? "L0") else {
                throw BankCaseError(description: "unknown trimfill estimator")
            }
            let side = c.stringOption("side").flatMap(FunnelSide.init(rawValue:))
            let result = try TrimAndFill(model: model, estimator: estimator, side: side,
                                         maxIterations: Int(c.numberOption("maxiter") ?? 100))
            return result.report(original: model).jsonValue()
        default:
            throw NotImplemented(analysis: c.analysis)
        }
    }
}
