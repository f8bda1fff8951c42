import MetaData
import MetaNumerics

/// The precision measure a funnel-asymmetry regression uses as its predictor (metafor's `regtest` codes).
public enum AsymmetryPredictor: String, CaseIterable, Sendable {
    /// Standard error √v_i (Egger et al. 1997).
    case sei
    /// Sampling variance v_i (the PEESE predictor; Moreno et al. 2009).
    case vi
    /// Total sample size n_i.
    case ni
    /// 1/n_i.
    case ninv
    /// 1/√n_i.
    case sqrtninv

    /// Whether the predictor needs sample sizes.
    public var needsSampleSizes: Bool { self == .ni || self == .ninv || self == .sqrtninv }

    /// Whether the predictor vanishes for an infinitely precise study, so that the intercept is the "limit
    /// estimate" (not for n_i, which grows instead).
    public var hasLimitEstimate: Bool { self != .ni }

    /// Each row's total sample size as escalc records it with the effect sizes (its `ni` attribute), so that the
    /// sample-size predictors work on two-group data as in metafor: n1i + n2i, else ai + bi + ci + di, else ni.
    ///
    /// - Parameter columns: the data's column for an escalc argument, where it is not the argument's own name.
    /// - Returns: nil when the data hold none of these sets of columns.
    /// - Throws: `InputError` for a value of a column used that is not a finite number.
    public func totalSampleSizes(in data: some StudyColumns, columns: [EscalcArgument: String] = [:]) throws(InputError) -> [Double]? {
        func name(_ argument: EscalcArgument) -> String { columns[argument] ?? argument.rawValue }
        func sum(_ arguments: [EscalcArgument]) throws(InputError) -> [Double]? {
            guard arguments.allSatisfy({ data.hasColumn(name($0)) }) else { return nil }
            var total = try data.numbers(name(arguments[0]), neededBy: "the \(rawValue) predictor")
            for argument in arguments.dropFirst() {
                let values = try data.numbers(name(argument), neededBy: "the \(rawValue) predictor")
                for i in total.indices { total[i] += values[i] }
            }
            return total
        }
        for arguments: [EscalcArgument] in [[.n1i, .n2i], [.ai, .bi, .ci, .di], [.ni]] {
            if let sizes = try sum(arguments) { return sizes }
        }
        return nil
    }
}

/// How the asymmetry regression is fitted.
public enum AsymmetryRegressionModel: String, CaseIterable, Sendable {
    /// Meta-regression with the model's τ² estimator and test (metafor's default `model = "rma"`).
    case rma
    /// Weighted least squares with weights 1/v_i and a multiplicative residual variance, t test with k − 2
    /// df: Egger et al.'s (1997) classical test.
    case lm
}

/// Egger's regression test for funnel-plot asymmetry (Egger et al. 1997; metafor's `regtest`), and its
/// generalisations: y_i = β₀ + β₁ x_i with x a precision measure; H₀: β₁ = 0. The intercept β₀ is the
/// "limit estimate" (the effect of a study with x = 0, i.e. infinite precision; with x = √v_i it is the PET
/// estimate of Stanley & Doucouliagos 2014).
///
/// With `lm`, the weighted regression of y on √v with weights 1/v is Egger's regression of y/√v on 1/√v
/// with the roles of slope and intercept exchanged.
public struct EggerRegressionTest: Sendable {
    public let regression: AsymmetryRegressionModel
    public let predictor: AsymmetryPredictor
    /// The test statistic of β₁ (z or t).
    public let statistic: Double
    public let pValue: Double
    /// t degrees of freedom (nil for a z test).
    public let degreesOfFreedom: Int?
    /// β₀ and its confidence interval (nil for the `ni` predictor).
    public let limitEstimate: Double?
    public let limitLower: Double?
    public let limitUpper: Double?
    /// `intrcpt` and the predictor's name.
    public let coefficientNames: [String]
    public let coefficients: [Double]
    public let standardErrors: [Double]
    /// The residual τ² of the `rma` regression (nil for `lm`).
    public let tauSquared: Double?
    public let diagnostics: [BiasDiagnostic]

    /// - Parameters:
    ///   - options: for `rma`, the τ² estimator, test, level and solver; for `lm`, only the level is used.
    ///   - sampleSizes: n_i, needed by the `ni`, `ninv` and `sqrtninv` predictors.
    /// - Throws: `InputError` for fewer than 3 studies, bad values or missing sample sizes; meta-regression and
    ///   estimation errors from the `rma` fit.
    public init(effectSizes y: [Double], samplingVariances v: [Double], regression: AsymmetryRegressionModel = .rma,
                predictor: AsymmetryPredictor = .sei, sampleSizes: [Double]? = nil,
                options: RandomEffectsOptions = .metafor) throws {
        precondition(y.count == v.count, "effect sizes and variances must have equal length")
        let k = y.count
        guard k >= 3 else { throw InputError.tooFewStudies(found: k, needed: 3, analysis: "The regression test") }
        try StudyValueCheck.validate(effectSizes: y, samplingVariances: v)
        let x = try Self.predictorValues(predictor, variances: v, sampleSizes: sampleSizes)
        self.regression = regression
        self.predictor = predictor
        // metafor names the slope after the column it builds the predictor from: "ni" for sqrtninv as well.
        coefficientNames = ["intrcpt", predictor == .sqrtninv ? "ni" : predictor.rawValue]
        let alpha = options.alpha
        var limit: (estimate: Double, lower: Double, upper: Double)
        switch regression {
        case .lm:
            let design = Matrix(columnArrays: [[Double](repeating: 1, count: k), x])
            let fit = try WeightedLeastSquares(design: design, response: y, weights: v.map { 1 / $0 })
            let df = k - 2
            let sigma2 = fit.weightedResidualSumOfSquares / Double(df)
            let se = (0..<2).map { (sigma2 * fit.inverseInformation[$0, $0]).squareRoot() }
            let t = StudentT(degreesOfFreedom: Double(df))
            coefficients = fit.coefficients
            standardErrors = se
            statistic = fit.coefficients[1] / se[1]
            pValue = t.twoSidedPValue(statistic)
            degreesOfFreedom = df
            let critical = t.quantile(1 - alpha / 2)
            limit = (fit.coefficients[0], fit.coefficients[0] - critical * se[0], fit.coefficients[0] + critical * se[0])
            tauSquared = nil
        case .rma:
            let design = try DesignMatrix(continuous: [(name: predictor.rawValue, values: x)])
            let fit = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, options: options)
            coefficients = fit.coefficients
            standardErrors = fit.standardErrors
            statistic = fit.statistics[1]
            pValue = fit.pValues[1]
            degreesOfFreedom = fit.degreesOfFreedom
            limit = (fit.coefficients[0], fit.confidenceLower[0], fit.confidenceUpper[0])
            tauSquared = fit.tauSquared
        }
        let hasLimit = predictor.hasLimitEstimate
        limitEstimate = hasLimit ? limit.estimate : nil
        limitLower = hasLimit ? limit.lower : nil
        limitUpper = hasLimit ? limit.upper : nil
        diagnostics = BiasDiagnostic.studyCountNote(k, "the regression test")
    }

    /// The regression test on a model's studies with the model's τ² estimator, test, level and solver.
    public init(model: RandomEffectsModel, regression: AsymmetryRegressionModel = .rma, predictor: AsymmetryPredictor = .sei,
                sampleSizes: [Double]? = nil) throws {
        try self.init(effectSizes: model.effectSizes, samplingVariances: model.samplingVariances, regression: regression,
                      predictor: predictor, sampleSizes: sampleSizes, options: model.options)
    }

    static func predictorValues(_ predictor: AsymmetryPredictor, variances v: [Double], sampleSizes: [Double]?) throws -> [Double] {
        switch predictor {
        case .sei: return v.map { $0.squareRoot() }
        case .vi: return v
        case .ni, .ninv, .sqrtninv:
            guard let n = sampleSizes else {
                throw InputError.missingColumn(name: "ni", neededBy: "the \(predictor.rawValue) predictor")
            }
            precondition(n.count == v.count, "one sample size per study")
            for (i, value) in n.enumerated() where !(value.isFinite && value > 0) {
                throw InputError.outOfRange(row: i + 1, column: "ni", value: value, expected: "a positive sample size")
            }
            switch predictor {
            case .ni: return n
            case .ninv: return n.map { 1 / $0 }
            default: return n.map { 1 / $0.squareRoot() }
            }
        }
    }
}
