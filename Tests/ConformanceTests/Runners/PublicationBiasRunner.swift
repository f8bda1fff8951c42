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
            var pool = FailSafePool.stouffer
            if let code = c.stringOption("pool") {
                guard let p = FailSafePool(rawValue: code) else { throw BankCaseError(description: "unknown fsn pool '\(code)'") }
                pool = p
            }
            var weighted = true
            if let flag = c.option("weighted"), case let .bool(w) = flag { weighted = w }
            var estimator = TauSquaredEstimator.restrictedMaximumLikelihood
            if method == .general, let code = c.stringOption("method") {
                guard let e = TauSquaredEstimator(code: code) else { throw BankCaseError(description: "unknown fsn method '\(code)'") }
                estimator = e
            }
            let result = try FailSafeN(effectSizes: y, samplingVariances: v, method: method, alpha: c.numberOption("alpha") ?? 0.05,
                                       target: c.numberOption("target"), weighted: weighted, pool: pool, estimator: estimator)
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

/// `tes` cases: `tes(yi, vi, ...)`, or `tes(res)` of a REML model (`options.model`), with the case's options.
enum ExcessSignificanceRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        let sizes = try c.effectSizes()
        let rows = sizes.availableIndices
        let y = rows.map { sizes.yi[$0] }, v = rows.map { sizes.vi[$0] }
        var theta = c.numberOption("theta"), tau2 = 0.0
        if let code = c.stringOption("model") {
            guard let estimator = TauSquaredEstimator(code: code) else { throw BankCaseError(description: "unknown model '\(code)'") }
            let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, studies: rows.map { sizes.studies[$0] },
                                                   options: RandomEffectsOptions(estimator: estimator, test: .z))
            theta = model.estimate
            tau2 = model.tauSquared
        }
        let code = c.stringOption("test") ?? "auto"
        let method = ExcessSignificanceTest.Method(rawValue: code) ?? .automatic
        guard let alternative = TestAlternative(rawValue: c.stringOption("alternative") ?? "two.sided"),
              let testAlternative = TestAlternative(rawValue: c.stringOption("tes_alternative") ?? "greater") else {
            throw BankCaseError(description: "unknown tes alternative")
        }
        let test = try ExcessSignificanceTest(effectSizes: y, samplingVariances: v, theta: theta, tauSquared: tau2,
                                              nullValue: c.numberOption("H0") ?? 0, alternative: alternative,
                                              alpha: c.numberOption("alpha") ?? 0.05, method: method,
                                              testAlternative: testAlternative, testAlpha: c.numberOption("tes_alpha") ?? 0.10)
        return test.report(effectSizes: y, samplingVariances: v).jsonValue()
    }
}

/// `selmodel` cases: `selmodel(rma(yi, vi, method = "ML"), type, steps)`, alternative greater.
enum SelectionModelRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        let sizes = try c.effectSizes()
        let rows = sizes.availableIndices
        let y = rows.map { sizes.yi[$0] }, v = rows.map { sizes.vi[$0] }
        guard let type = SelectionFunctionType(rawValue: c.stringOption("type") ?? "") else {
            throw NotImplemented(analysis: "selmodel type \(c.stringOption("type") ?? "")")
        }
        guard let alternative = TestAlternative(rawValue: c.stringOption("alternative") ?? "greater") else {
            throw BankCaseError(description: "unknown selmodel alternative")
        }
        var steps: [Double] = []
        if let value = c.option("steps"), case let .array(items) = value { steps = items.compactMap(\.doubleValue) }
        let model = try SelectionModel(effectSizes: y, samplingVariances: v, type: type, steps: steps, alternative: alternative,
                                       level: c.numberOption("level") ?? 95)
        return model.report(effectSizes: y, samplingVariances: v).jsonValue()
    }
}
