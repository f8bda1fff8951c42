import MetaAnalysis
import MetaReport

/// `analysis: "rma.glmm"`: `rma.glmm(..., model, method = "ML")` with the case's measure and escalc options.
enum GLMMRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        guard let code = c.stringOption("model"), let model = GLMMModel(rawValue: code) else {
            throw NotImplemented(analysis: "rma.glmm model \(c.stringOption("model") ?? "?")")
        }
        var options = GLMMOptions(model: model, escalc: try c.escalcOptions)
        if let method = c.stringOption("method") {
            guard let estimator = TauSquaredEstimator(code: method) else { throw NotImplemented(analysis: "rma.glmm method \(method)") }
            options.estimator = estimator
        }
        options.escalc.drop00 = true
        if model == .unconditionalFixedStudyEffects, let points = c.numberOption("nAGQ") { options.quadraturePoints = Int(points) }
        return try BinomialNormalGLMM.fit(measure: c.effectMeasure, data: c.table, columns: c.escalcColumns,
                                          options: options).jsonValue()
    }
}
