import MetaAnalysis
import MetaReport

/// `leave1out`, `cumul`, `influence` and `baujat` cases (group diagnostics): the model of the case
/// (`rma(yi, vi, method)`, z test), then the analysis, rendered by the same report as `metaswift sensitivity`.
enum DiagnosticsRunner {
    /// metafor's default convergence (`threshold` 1e-5 on the τ² step, `maxiter` 100). The bank holds only the
    /// default-convergence result for these cases; iterating with the same start, update and stopping rule
    /// reproduces metafor's iterate (README, "Tolerances for a test runner"), which is then compared at
    /// `Tolerance.iterativeDefault`. For τ² < 1 the solver's rule |step| ≤ tol·max(1, τ²) is metafor's absolute one.
    static let metaforDefaultControl = SolverControl.metaforDefault

    static func model(_ c: BankCase) throws -> RandomEffectsModel {
        let sizes = try c.effectSizes()
        guard let code = c.stringOption("method"), let estimator = TauSquaredEstimator(code: code) else {
            throw BankCaseError(description: "unknown method '\(c.stringOption("method") ?? "")'")
        }
        var options = RandomEffectsOptions(estimator: estimator, test: .z)
        if let testCode = c.stringOption("test") {
            guard let test = CoefficientTest(rawValue: testCode) else { throw BankCaseError(description: "unknown test '\(testCode)'") }
            options.test = test
        }
        if let level = c.numberOption("level") { options.level = level }
        if c.expectedTight == nil { options.control = metaforDefaultControl }
        let rows = sizes.availableIndices
        return try RandomEffectsModel.fit(effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] },
                                          studies: rows.map { sizes.studies[$0] }, options: options)
    }

    static func run(_ c: BankCase) throws -> JSONValue {
        let model = try model(c)
        switch c.analysis {
        case "leave1out":
            return try LeaveOneOutAnalysis(model: model).report(model: model).jsonValue()
        case "cumul":
            guard let column = c.stringOption("order_var") else { throw BankCaseError(description: "cumul case without order_var") }
            let keys = try c.table.numbers(column, neededBy: "the cumulative order")
            return try CumulativeAnalysis(model: model, orderedBy: keys).report(model: model, orderColumn: column).jsonValue()
        case "influence":
            return try InfluenceDiagnostics(model: model).report(model: model).jsonValue()
        case "baujat":
            return try BaujatAnalysis(model: model).report(model: model).jsonValue()
        default:
            throw NotImplemented(analysis: c.analysis)
        }
    }
}
