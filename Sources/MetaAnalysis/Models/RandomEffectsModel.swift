#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// A fitted common-effect or random-effects model without moderators (metafor's `rma.uni` with `mods = NULL`).
///
/// y_i = μ + u_i + e_i, u_i ~ N(0, τ²), e_i ~ N(0, v_i). μ̂ = Σ w_i y_i / Σ w_i with w_i = 1/(v_i + τ̂²)
/// (user weights a_i for GENQ/GENQM, with sandwich variance Σ a_i²(v_i + τ̂²)/(Σ a_i)²).
public struct RandomEffectsModel: Sendable {
    public let options: RandomEffectsOptions
    /// The study labels given to `fit`, or empty when the default labels "1", "2", … apply.
    private let givenStudies: [String]
    /// Study labels (row numbers "1", "2", … when none were given; built on access, as at k = 10⁶ a million
    /// Strings would cost more than the fit).
    public var studies: [String] {
        givenStudies.count == studyCount ? givenStudies : (0..<studyCount).map { String($0 + 1) }
    }
    /// y_i.
    public let effectSizes: [Double]
    /// v_i.
    public let samplingVariances: [Double]
    public let userWeights: [Double]?

    /// k.
    public var studyCount: Int { effectSizes.count }
    /// p (1: the intercept).
    public let coefficientCount = 1

    /// The τ² estimate (nil when k = 1: not estimable).
    public let tauSquaredEstimate: TauSquaredEstimate?
    /// τ̂² (0 for the common-effect model and for k = 1).
    public var tauSquared: Double { tauSquaredEstimate?.tauSquared ?? 0 }

    /// μ̂.
    public let estimate: Double
    public let standardError: Double
    /// μ̂ / SE: a z or t statistic according to `testUsed`.
    public let statistic: Double
    public let pValue: Double
    public let confidenceLower: Double
    public let confidenceUpper: Double
    /// The test actually used (a t-based test falls back to z when k − p = 0).
    public let testUsed: CoefficientTest
    /// Degrees of freedom of the t distribution (k − p), nil for the z test.
    public let degreesOfFreedom: Int?
    /// The critical value of the confidence and prediction intervals.
    public let criticalValue: Double
    /// Knapp–Hartung scale s²_w = YᵀPY/(k − p) at τ̂² (reported as max(1, s²_w) for `adhoc`, 1 for z and t).
    public let scaleFactor: Double

    /// Cochran's Q = Σ (y_i − μ̂_EE)²/v_i, its χ²(k − p) p-value and df (nil when k = 1).
    public let cochranQ: Double?
    public let cochranQPValue: Double?
    public var cochranQDegreesOfFreedom: Int { studyCount - coefficientCount }
    /// The "typical" sampling variance ṽ = (k − p)/tr(P₀) (Higgins & Thompson 2002; Viechtbauer's metafor).
    public let typicalSamplingVariance: Double?
    /// I² in percent: 100 τ̂²/(τ̂² + ṽ); for EE, max(0, 100 (Q − (k − p))/Q).
    public let iSquared: Double?
    /// H² = 1 + τ̂²/ṽ; for EE, Q/(k − p).
    public let hSquared: Double?

    /// Study weights in percent (w_i / Σ w_i · 100).
    public let weightsPercent: [Double]
    /// Likelihood statistics at the estimate (nil when k = 1).
    public let maximumLikelihoodFit: FitStatistics?
    public let restrictedMaximumLikelihoodFit: FitStatistics?

    public let diagnostics: [ModelDiagnostic]

    public var estimator: TauSquaredEstimator { options.estimator }
    public var isCommonEffect: Bool { options.estimator == .commonEffect }

    /// The kernel holding this model's data (for intervals and refits).
    public var kernel: InterceptOnlyKernel {
        InterceptOnlyKernel(effects: effectSizes, variances: samplingVariances, userWeights: userWeights, threads: options.threads)
    }

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - effectSizes: y_i (finite).
    ///   - samplingVariances: v_i (finite, > 0).
    ///   - studies: labels used in errors and output (row numbers if empty).
    ///   - userWeights: a_i > 0: GENQ and GENQM need them for τ²; with any estimator the pooled estimate is then
    ///     Σ a_i y_i / Σ a_i with variance Σ a_i²(v_i + τ²)/(Σ a_i)² (metafor's `weights`; τ² unaffected otherwise).
    /// - Throws: `InputError` for no studies, non-finite values, non-positive variances or weights, a negative or
    ///   non-finite fixed τ² (or one with EE), a start value τ²₀ ≤ 0 or with an estimator other than SJ/SJIT,
    ///   unweighted estimation with GENQ/GENQM; `EstimationError` when τ² cannot be estimated.
    public static func fit(effectSizes y: [Double], samplingVariances v: [Double], studies: [String] = [],
                           userWeights: [Double]? = nil, options: RandomEffectsOptions = RandomEffectsOptions()) throws
        -> RandomEffectsModel
    {
        precondition(y.count == v.count, "effect sizes and variances must have equal length")
        let k = y.count
        guard k >= 1 else { throw InputError.tooFewStudies(found: 0, needed: 1, analysis: "A meta-analytic model") }
        guard options.level > 0, options.level < 100 else {
            throw InputError.invalidOption(name: "level", value: String(options.level), expected: "a confidence level between 0 and 100")
        }
        for i in 0..<k {
            guard y[i].isFinite else { throw InputError.notFinite(row: i + 1, column: "yi", value: String(y[i])) }
            guard v[i].isFinite else { throw InputError.notFinite(row: i + 1, column: "vi", value: String(v[i])) }
            guard v[i] > 0 else {
                throw InputError.nonPositiveVariance(study: studies.count == k ? studies[i] : String(i + 1), row: i + 1, value: v[i])
            }
        }
        let estimator = options.estimator
        if let fixed = options.fixedTauSquared {
            guard fixed.isFinite, fixed >= 0 else {
                throw InputError.invalidOption(name: ArgumentNaming.current(.fixedTauSquared), value: NumberText.plain(fixed), expected: "a fixed tau^2 >= 0")
            }
            guard estimator != .commonEffect else {
                throw InputError.invalidOption(name: ArgumentNaming.current(.fixedTauSquared), value: NumberText.plain(fixed), expected: "no fixed tau^2 with the common-effect (EE) model")
            }
        }
        if let initial = options.control.initialTauSquared {
            guard initial.isFinite, initial > 0 else {
                throw InputError.invalidOption(name: "tau2.init", value: String(initial), expected: "a start value tau^2 > 0")
            }
            guard estimator == .sidikJonkman || estimator == .iteratedSidikJonkman else {
                throw InputError.invalidOption(name: "tau2.init", value: String(initial),
                                               expected: "a start value only with the SJ or SJIT estimator (not \(estimator.rawValue))")
            }
        }
        if !options.weighted && estimator.needsUserWeights {
            throw InputError.invalidOption(name: "weighted", value: "false",
                                           expected: "weighted estimation with \(estimator.rawValue), whose user weights define the estimate")
        }
        if !options.weighted && userWeights != nil {
            throw InputError.invalidOption(name: "weighted", value: "false",
                                           expected: "weighted estimation when user weights are given (they would be ignored)")
        }
        if estimator.needsUserWeights && userWeights == nil { throw EstimationError.userWeightsRequired(estimator: estimator) }
        if let a = userWeights { try Self.validateUserWeights(a, count: k) }
        return try RandomEffectsModel(y: y, v: v, studies: studies.count == k ? studies : [], userWeights: userWeights, options: options)
    }

    /// Checks one finite, positive user weight per study (row numbers 1-based in the error).
    static func validateUserWeights(_ a: [Double], count k: Int) throws {
        precondition(a.count == k, "one user weight per study")
        for i in 0..<k where !(a[i].isFinite && a[i] > 0) {
            throw InputError.outOfRange(row: i + 1, column: "weights", value: a[i], expected: "a positive finite weight")
        }
    }

    /// The smallest and largest sampling variance (for errors that say why a fit broke down).
    static func varianceRange(_ v: [Double]) -> ClosedRange<Double>? {
        guard let lo = v.min(), let hi = v.max() else { return nil }
        return lo...hi
    }

    /// τ̂², with the variance range added to a non-finite-value failure so that its sentence can say why.
    static func estimateTauSquared<K: RandomEffectsKernel>(on kernel: K, variances v: [Double], options: RandomEffectsOptions)
        throws(EstimationError) -> TauSquaredEstimate
    {
        let result = Result { () throws(EstimationError) -> TauSquaredEstimate in
            try options.estimator.estimate(on: kernel, control: options.control)
        }
        switch result {
        case let .success(e): return e
        case let .failure(error):
            guard case let .nonFiniteValue(estimator, quantity, t, nil, nil) = error else { throw error }
            throw .nonFiniteValue(estimator: estimator, quantity: quantity, tauSquared: t, variances: varianceRange(v),
                                  largestEffect: kernel.effects.lazy.map(abs).max())
        }
    }

    private init(y: [Double], v: [Double], studies: [String], userWeights: [Double]?, options: RandomEffectsOptions) throws {
        self.options = options
        self.givenStudies = studies
        self.effectSizes = y
        self.samplingVariances = v
        self.userWeights = userWeights
        let k = y.count, p = 1
        let dfResidual = k - p
        let kernel = InterceptOnlyKernel(effects: y, variances: v, userWeights: userWeights, threads: options.threads)
        // The estimators end with fits at τ̂² and at 0, which the model needs too.
        let remembering = RememberingKernel(kernel)
        var notes: [ModelDiagnostic] = []

        // τ²
        let tauEstimate: TauSquaredEstimate?
        if k == 1 {
            tauEstimate = nil
            notes.append(.singleStudy)
        } else if let fixed = options.fixedTauSquared {
            tauEstimate = TauSquaredEstimate(tauSquared: fixed, standardError: options.estimator.standardErrorOfFixed(fixed, on: remembering),
                                             iterations: 0)
        } else {
            let e = try Self.estimateTauSquared(on: remembering, variances: v, options: options)
            if let raw = e.truncatedFrom { notes.append(.tauSquaredTruncated(estimator: options.estimator, value: raw)) }
            if e.tauSquared == 0, options.estimator.isIterative { notes.append(.tauSquaredOnBoundary(estimator: options.estimator)) }
            tauEstimate = e
        }
        tauSquaredEstimate = tauEstimate
        let t2 = tauEstimate?.tauSquared ?? 0

        // Pooled estimate and its variance.
        var fit = remembering.fit(tauSquared: t2, includingLikelihoodTerms: false)
        var mu = 0.0, variance = 0.0
        let sumLogSamplingVariances: Double
        if let a = userWeights {
            var sa = 0.0, say = 0.0, sa2s = 0.0
            for i in 0..<k { sa += a[i]; say += a[i] * y[i]; sa2s += a[i] * a[i] * (v[i] + t2) }
            mu = say / sa
            variance = sa2s / (sa * sa)
            weightsPercent = a.map { 100 * $0 / sa }
            fit = kernel.fit(tauSquared: t2)
            sumLogSamplingVariances = k >= 2 ? kernel.fit(tauSquared: 0).sumLogVariances : 0
        } else if !options.weighted {
            // metafor's weighted = FALSE: the plain mean, Var = Σ (v_i + τ̂²)/k².
            var sy = 0.0, sv = 0.0
            for i in 0..<k { sy += y[i]; sv += v[i] + t2 }
            mu = sy / Double(k)
            variance = sv / Double(k * k)
            weightsPercent = Array(repeating: 100 / Double(k), count: k)
            let pooled = kernel.pooledWeights(tauSquared: t2)
            fit.sumLogVariances = pooled.sumLogVariances
            sumLogSamplingVariances = pooled.sumLogSamplingVariances
        } else {
            let pooled = kernel.pooledWeights(tauSquared: t2)
            weightsPercent = pooled.percent
            mu = pooled.estimate
            variance = 1 / pooled.sumOfWeights
            fit.sumLogVariances = pooled.sumLogVariances
            sumLogSamplingVariances = pooled.sumLogSamplingVariances
        }
        // Finite-value guard: weights 1/(v_i + τ²) that overflow (v_i near the smallest double) or sums that lose
        // every digit must not come out as NaN estimates with a successful exit.
        guard mu.isFinite, variance.isFinite, variance > 0 else {
            throw EstimationError.nonFiniteValue(estimator: options.estimator, quantity: variance.isFinite ? "pooled estimate" : "variance of the pooled estimate",
                                                 tauSquared: t2, variances: Self.varianceRange(v), largestEffect: y.lazy.map(abs).max())
        }
        estimate = mu

        // Test and scale.
        let test = options.test.usable(residualDegreesOfFreedom: dfResidual)
        if test != options.test { notes.append(.normalUsedForZeroDegreesOfFreedom(requested: options.test)) }
        if options.estimator == .commonEffect && (test == .knha || test == .adhoc) { notes.append(.knappHartungWithCommonEffect) }
        testUsed = test
        let inference = CoefficientInference(test: test, residualQ: fit.residualQ, residualDegreesOfFreedom: dfResidual,
                                             alpha: options.alpha)
        scaleFactor = inference.scaleFactor
        if test == .knha || test == .adhoc { variance *= inference.scaleFactor }
        if test == .knha && inference.scaleFactor == 0 {
            // metafor prints SE 0 and an infinite statistic; a point "interval" from a scale of 0 is refused instead.
            throw InputError.invalidOption(name: ArgumentNaming.current(.coefficientTest), value: test.rawValue,
                                           expected: "a test other than knha when the residual heterogeneity Q_E is zero at double precision (identical effects, or variances so large that every weighted residual vanishes, make the Knapp-Hartung scale 0 and the SE 0); use z or adhoc")
        }
        guard variance.isFinite, variance > 0 else {
            throw EstimationError.nonFiniteValue(estimator: options.estimator, quantity: "variance of the pooled estimate",
                                                 tauSquared: t2, variances: Self.varianceRange(v), largestEffect: y.lazy.map(abs).max())
        }
        standardError = variance.squareRoot()
        statistic = mu / standardError
        degreesOfFreedom = inference.degreesOfFreedom
        pValue = inference.twoSidedPValue(statistic)
        criticalValue = inference.criticalValue
        confidenceLower = mu - criticalValue * standardError
        confidenceUpper = mu + criticalValue * standardError

        // Heterogeneity.
        if k >= 2 {
            let f0 = remembering.fit(tauSquared: 0, includingLikelihoodTerms: false)
            let q = f0.residualQ
            cochranQ = q
            cochranQPValue = ChiSquared(degreesOfFreedom: Double(dfResidual)).survival(q)
            let shares = HeterogeneityShares(zeroTauFit: f0, tauSquared: t2, degreesOfFreedom: Double(dfResidual),
                                             commonEffect: options.estimator == .commonEffect && options.fixedTauSquared == nil)
            // Finite-value guard: at τ² = 0 the weights 1/v_i of variances near the smallest doubles overflow (or
            // their sums lose every digit), and Q, ṽ, I², H² would print as ±Inf or noise.
            guard q.isFinite, shares.typicalSamplingVariance.isFinite, shares.typicalSamplingVariance > 0,
                  shares.iSquared.isFinite, shares.hSquared.isFinite else {
                throw EstimationError.nonFiniteValue(estimator: options.estimator, quantity: "heterogeneity statistic (Q, I^2, H^2)",
                                                     tauSquared: 0, variances: Self.varianceRange(v), largestEffect: y.lazy.map(abs).max())
            }
            typicalSamplingVariance = shares.typicalSamplingVariance
            iSquared = shares.iSquared
            hSquared = shares.hSquared
            // Σ w (y − μ̂)² is YᵀPY unless μ̂ comes from user weights or is unweighted.
            var residualSum = fit.residualQ
            if userWeights != nil || !options.weighted {
                residualSum = 0
                for i in 0..<k {
                    let r = y[i] - mu
                    residualSum += r * r / (v[i] + t2)
                }
            }
            let stats = FitStatistics.both(fit: fit, residualSum: residualSum, sumLogSamplingVariances: sumLogSamplingVariances,
                                           studyCount: k, coefficientCount: p, estimatesTau: options.estimatesTauSquared)
            maximumLikelihoodFit = stats.ml
            restrictedMaximumLikelihoodFit = stats.reml
        } else {
            cochranQ = nil
            cochranQPValue = nil
            typicalSamplingVariance = nil
            iSquared = nil
            hSquared = nil
            maximumLikelihoodFit = nil
            restrictedMaximumLikelihoodFit = nil
        }
        diagnostics = notes
    }
}
