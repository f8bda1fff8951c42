#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// A fitted mixed-effects meta-regression (metafor's `rma.uni` with `mods`), or its common-effect version.
///
/// y = Xβ + u + e, u ~ N(0, τ²I), e ~ N(0, V) (Raudenbush 2009, section 16.4; Viechtbauer 2010, section 2.2).
/// τ² is estimated on the residuals by the estimator of `options` through `GeneralDesignKernel`; then
/// β̂ = (XᵀWX)⁻¹XᵀWy and Var(β̂) = (XᵀWX)⁻¹ with W = diag(1/(v_i + τ̂²)) (user weights A for GENQ/GENQM, with
/// the sandwich (XᵀAX)⁻¹XᵀA(V + τ̂²I)AX(XᵀAX)⁻¹), scaled by s²_w = YᵀPY/(k − p) for Knapp–Hartung
/// (Knapp & Hartung 2003, eq. 7) or by max(1, s²_w) for the ad hoc variant.
public struct MetaRegressionModel: Sendable {
    public let options: RandomEffectsOptions
    public let design: DesignMatrix
    public let studies: [String]
    /// y_i.
    public let effectSizes: [Double]
    /// v_i.
    public let samplingVariances: [Double]
    public let userWeights: [Double]?

    /// k.
    public var studyCount: Int { effectSizes.count }
    /// p.
    public var coefficientCount: Int { design.coefficientCount }
    public var coefficientNames: [String] { design.coefficientNames }

    /// The estimate of the residual heterogeneity τ².
    public let tauSquaredEstimate: TauSquaredEstimate
    public var tauSquared: Double { tauSquaredEstimate.tauSquared }

    /// β̂.
    public let coefficients: [Double]
    /// Var(β̂), p × p (scaled for knha/adhoc).
    public let covariance: Matrix
    public let standardErrors: [Double]
    /// β̂_j / SE_j: z or t statistics according to `testUsed`.
    public let statistics: [Double]
    public let pValues: [Double]
    public let confidenceLower: [Double]
    public let confidenceUpper: [Double]
    public let testUsed: CoefficientTest
    /// k − p for t-based tests, nil for z.
    public let degreesOfFreedom: Int?
    public let criticalValue: Double
    /// s²_w (max(1, s²_w) for adhoc; 1 for z and t).
    public let scaleFactor: Double

    /// The omnibus test of the moderators (all coefficients but the intercept); nil when there are none.
    public let moderatorTest: OmnibusTest?

    /// The residual heterogeneity test QE = Σ (y_i − x_iᵀβ̂_EE)²/v_i with k − p df.
    public let cochranQ: Double
    public let cochranQPValue: Double
    public var cochranQDegreesOfFreedom: Int { studyCount - coefficientCount }
    /// ṽ = (k − p)/tr(P₀) (P₀ with weights 1/v_i).
    public let typicalSamplingVariance: Double
    /// Residual I² (%), from τ̂² and ṽ; for EE max(0, 100 (QE − (k − p))/QE).
    public let iSquared: Double
    /// Residual H² = 1 + τ̂²/ṽ; for EE QE/(k − p).
    public let hSquared: Double
    /// Pseudo-R² (%), the proportional reduction of τ² against the intercept-only model with the same
    /// estimator, max(0, 100 (τ̂²₀ − τ̂²)/τ̂²₀) (Raudenbush 2009, eq. 16.19; 0 when τ̂²₀ = 0); for EE the
    /// adjusted R² of the weighted least-squares fit, max(0, 100 (1 − (QE/(k − p)) / (QE₀/(k − 1)))). Nil
    /// without an intercept or without moderators.
    public let rSquared: Double?

    /// x_iᵀβ̂.
    public let fittedValues: [Double]
    /// Study weights in percent.
    public let weightsPercent: [Double]
    public let maximumLikelihoodFit: FitStatistics
    public let restrictedMaximumLikelihoodFit: FitStatistics
    public let diagnostics: [ModelDiagnostic]

    public var estimator: TauSquaredEstimator { options.estimator }
    public var isCommonEffect: Bool { options.estimator == .commonEffect }

    /// The kernel holding this model's data.
    public var kernel: GeneralDesignKernel {
        GeneralDesignKernel(effects: effectSizes, variances: samplingVariances, design: design.matrix, userWeights: userWeights)
    }

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - effectSizes: y_i (finite); `samplingVariances`: v_i (finite, > 0); one row of `design` per study.
    ///   - userWeights: a_i > 0: GENQ and GENQM need them for τ²; with any estimator β̂ = (XᵀAX)⁻¹XᵀAy with the
    ///     sandwich covariance (metafor's `weights`).
    /// - Throws: `InputError` for non-finite values or non-positive variances; `MetaRegressionError` when the
    ///   design has as many coefficients as studies or its weighted form is numerically singular;
    ///   `EstimationError` when τ² cannot be estimated.
    public static func fit(effectSizes y: [Double], samplingVariances v: [Double], design: DesignMatrix,
                           studies: [String] = [], userWeights: [Double]? = nil,
                           options: RandomEffectsOptions = RandomEffectsOptions()) throws -> MetaRegressionModel {
        precondition(y.count == v.count && design.studyCount == y.count, "effect sizes, variances and design rows must agree")
        let k = y.count
        let labels = studies.count == k ? studies : (0..<k).map { String($0 + 1) }
        guard options.level > 0, options.level < 100 else {
            throw InputError.invalidOption(name: "level", value: String(options.level), expected: "a confidence level between 0 and 100")
        }
        for i in 0..<k {
            guard y[i].isFinite else { throw InputError.notFinite(row: i + 1, column: "yi", value: String(y[i])) }
            guard v[i].isFinite else { throw InputError.notFinite(row: i + 1, column: "vi", value: String(v[i])) }
            guard v[i] > 0 else { throw InputError.nonPositiveVariance(study: labels[i], row: i + 1, value: v[i]) }
        }
        guard design.coefficientCount < k else {
            throw MetaRegressionError.tooManyCoefficients(coefficients: design.coefficientCount, studies: k)
        }
        if options.estimator.needsUserWeights && userWeights == nil { throw EstimationError.userWeightsRequired(estimator: options.estimator) }
        if let a = userWeights { try RandomEffectsModel.validateUserWeights(a, count: k) }
        let weights = userWeights
        return try MetaRegressionModel(y: y, v: v, design: design, studies: labels, userWeights: weights, options: options)
    }

    private init(y: [Double], v: [Double], design: DesignMatrix, studies: [String], userWeights: [Double]?,
                 options: RandomEffectsOptions) throws {
        self.options = options
        self.design = design
        self.studies = studies
        effectSizes = y
        samplingVariances = v
        self.userWeights = userWeights
        let k = y.count, p = design.coefficientCount
        let dfResidual = k - p
        let x = design.matrix
        let kernel = GeneralDesignKernel(effects: y, variances: v, design: x, userWeights: userWeights)
        var notes: [ModelDiagnostic] = []

        let estimate = try options.estimator.estimate(on: kernel, control: options.control)
        guard estimate.tauSquared.isFinite else { throw MetaRegressionError.singularWeightedDesign(coefficients: design.coefficientNames) }
        if let raw = estimate.truncatedFrom { notes.append(.tauSquaredTruncated(estimator: options.estimator, value: raw)) }
        if estimate.tauSquared == 0, options.estimator.isIterative { notes.append(.tauSquaredOnBoundary(estimator: options.estimator)) }
        tauSquaredEstimate = estimate
        let t2 = estimate.tauSquared

        // Coefficients and their covariance.
        let w = kernel.inverseVarianceWeights(tauSquared: t2)
        var beta: [Double], vb: Matrix
        if userWeights == nil, let small = kernel.smallDesign, let solved = small.coefficientsAndCovariance(tauSquared: t2) {
            // The path resampling refits take (MetaRegressionRefit), so a refit reproduces the model bit for bit.
            (beta, vb) = solved
        } else {
            guard let fitW = kernel.projection(weights: w) else {
                throw MetaRegressionError.singularWeightedDesign(coefficients: design.coefficientNames)
            }
            beta = fitW.coefficients
            vb = fitW.inverseInformation
        }
        var modelWeights = w
        if let a = userWeights {
            guard let fitA = kernel.projection(weights: a) else {
                throw MetaRegressionError.singularWeightedDesign(coefficients: design.coefficientNames)
            }
            beta = fitA.coefficients
            var scaled = x
            for i in 0..<k {
                let factor = a[i] * a[i] * (v[i] + t2)
                for j in 0..<p { scaled[i, j] *= factor }
            }
            let middle = x.multiplied(by: scaled, transposingSelf: true)
            vb = fitA.inverseInformation * middle * fitA.inverseInformation
            modelWeights = a
        }
        coefficients = beta
        let fitted = x * beta
        fittedValues = fitted
        let sumW = modelWeights.reduce(0, +)
        weightsPercent = modelWeights.map { 100 * $0 / sumW }

        // Test and scale.
        let f = kernel.fit(tauSquared: t2)
        let test = options.test
        if options.estimator == .commonEffect && (test == .knha || test == .adhoc) { notes.append(.knappHartungWithCommonEffect) }
        testUsed = test
        let inference = CoefficientInference(test: test, residualQ: f.residualQ, residualDegreesOfFreedom: dfResidual,
                                             alpha: options.alpha)
        let scale = inference.scaleFactor
        if test == .knha && scale == 0 {
            throw InputError.invalidOption(name: ArgumentNaming.current(.coefficientTest), value: test.rawValue,
                                           expected: "a test other than knha when the residual heterogeneity Q_E is zero at double precision (the model fits the effects exactly, so the Knapp-Hartung scale and every SE are 0); use z or adhoc")
        }
        scaleFactor = scale
        if scale != 1 { vb.elements = vb.elements.map { $0 * scale } }
        covariance = vb
        let se = (0..<p).map { vb[$0, $0].squareRoot() }
        standardErrors = se
        statistics = (0..<p).map { beta[$0] / se[$0] }
        degreesOfFreedom = inference.degreesOfFreedom
        pValues = statistics.map { inference.twoSidedPValue($0) }
        criticalValue = inference.criticalValue
        let c = criticalValue
        confidenceLower = (0..<p).map { beta[$0] - c * se[$0] }
        confidenceUpper = (0..<p).map { beta[$0] + c * se[$0] }

        // Omnibus test of the moderators.
        let tested = design.moderatorCoefficientIndices
        if tested.isEmpty {
            moderatorTest = nil
        } else {
            var sub = Matrix(rows: tested.count, columns: tested.count)
            for (a, i) in tested.enumerated() {
                for (b, j) in tested.enumerated() { sub[a, b] = vb[i, j] }
            }
            let b = tested.map { beta[$0] }
            guard let cholesky = try? CholeskyFactorization(sub) else {
                throw MetaRegressionError.singularCovariance(coefficients: tested.map { design.coefficientNames[$0] })
            }
            let qm = dot(b, cholesky.solve(b))
            let m = tested.count
            if test.usesTDistribution {
                let fStatistic = qm / Double(m)
                moderatorTest = OmnibusTest(
                    statistic: fStatistic,
                    pValue: FisherF(numeratorDegreesOfFreedom: Double(m), denominatorDegreesOfFreedom: Double(dfResidual)).survival(fStatistic),
                    numeratorDegreesOfFreedom: m, denominatorDegreesOfFreedom: dfResidual, coefficientIndices: tested)
            } else {
                moderatorTest = OmnibusTest(statistic: qm, pValue: ChiSquared(degreesOfFreedom: Double(m)).survival(qm),
                                            numeratorDegreesOfFreedom: m, denominatorDegreesOfFreedom: nil, coefficientIndices: tested)
            }
        }

        // Residual heterogeneity.
        let f0 = kernel.fit(tauSquared: 0)
        let qe = f0.residualQ
        cochranQ = qe
        cochranQPValue = ChiSquared(degreesOfFreedom: Double(dfResidual)).survival(qe)
        let shares = HeterogeneityShares(zeroTauFit: f0, tauSquared: t2, degreesOfFreedom: Double(dfResidual),
                                         commonEffect: options.estimator == .commonEffect)
        typicalSamplingVariance = shares.typicalSamplingVariance
        iSquared = shares.iSquared
        hSquared = shares.hSquared

        // Pseudo-R².
        if design.hasIntercept && p > 1 {
            let reduced = InterceptOnlyKernel(effects: y, variances: v, userWeights: userWeights)
            if options.estimator == .commonEffect {
                let qe0 = reduced.fit(tauSquared: 0).residualQ
                rSquared = max(0, 100 * (1 - (qe / Double(dfResidual)) / (qe0 / Double(k - 1))))
            } else {
                let t0 = try options.estimator.estimate(on: reduced, control: options.control).tauSquared
                rSquared = t0 > 0 ? max(0, 100 * (t0 - t2) / t0) : 0
            }
        } else {
            rSquared = nil
        }

        // Likelihoods at the estimate.
        var residualSum = 0.0, sumLogV = 0.0
        for i in 0..<k {
            let r = y[i] - fitted[i]
            residualSum += r * r / (v[i] + t2)
            sumLogV += log(v[i])
        }
        let stats = FitStatistics.both(fit: f, residualSum: residualSum, sumLogSamplingVariances: sumLogV,
                                       studyCount: k, coefficientCount: p, estimatesTau: options.estimator != .commonEffect)
        maximumLikelihoodFit = stats.ml
        restrictedMaximumLikelihoodFit = stats.reml
        diagnostics = notes
    }
}
