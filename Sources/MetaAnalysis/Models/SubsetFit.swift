import MetaNumerics

/// The pooled result of refitting an intercept-only model to a subset of its studies: one row of a
/// leave-one-out or cumulative analysis (metafor's `leave1out`, `cumul`), or a deletion fit of the
/// influence diagnostics.
///
/// The refit uses the full model's τ² estimator, test and level. With one study, as metafor reports it,
/// τ² = 0, Q = 0 (p = 1), I² = 0 and H² = 1.
public struct SubsetFit: Sendable, Equatable {
    /// Studies in the subset.
    public var studyCount: Int
    /// μ̂ of the subset.
    public var estimate: Double
    public var standardError: Double
    /// μ̂/SE, a z or t statistic according to the model's test.
    public var statistic: Double
    public var pValue: Double
    public var confidenceLower: Double
    public var confidenceUpper: Double
    /// t degrees of freedom (nil for the z test).
    public var degreesOfFreedom: Int?
    public var tauSquared: Double
    /// Cochran's Q of the subset (weights 1/v_i) and its χ²(n − 1) p-value.
    public var cochranQ: Double
    public var cochranQPValue: Double
    public var iSquared: Double
    public var hSquared: Double
    /// Σ 1/(v_i + τ̂²) over the subset (user weights: Σ a_i).
    var sumOfWeights: Double

    /// Refits on `kernel` with `options` (τ² re-estimated with the same estimator).
    init(kernel: StudySubsetKernel, options: RandomEffectsOptions) throws(EstimationError) {
        let n = kernel.studyCount
        precondition(n >= 1, "a subset needs a study")
        studyCount = n
        let dfResidual = n - 1
        let t2: Double
        if n == 1 || options.estimator == .commonEffect {
            t2 = 0
        } else {
            t2 = try options.estimator.estimate(on: kernel, control: options.control).tauSquared
        }
        tauSquared = t2
        var (mu, variance, sumW) = kernel.pooled(tauSquared: t2)
        estimate = mu
        sumOfWeights = sumW

        // The model's test, scale, distribution and heterogeneity shares, as `RandomEffectsModel` applies them.
        let test = options.test.usable(residualDegreesOfFreedom: dfResidual)
        let inference = CoefficientInference(
            test: test, residualQ: kernel.fit(tauSquared: t2, includingLikelihoodTerms: false).residualQ,
            residualDegreesOfFreedom: dfResidual, alpha: options.alpha)
        if test == .knha || test == .adhoc { variance *= inference.scaleFactor }
        standardError = variance.squareRoot()
        statistic = mu / standardError
        degreesOfFreedom = inference.degreesOfFreedom
        pValue = inference.twoSidedPValue(statistic)
        confidenceLower = mu - inference.criticalValue * standardError
        confidenceUpper = mu + inference.criticalValue * standardError

        if n == 1 {
            cochranQ = 0
            cochranQPValue = 1
            iSquared = 0
            hSquared = 1
        } else {
            let f0 = kernel.fit(tauSquared: 0, includingLikelihoodTerms: false)
            cochranQ = f0.residualQ
            cochranQPValue = ChiSquared(degreesOfFreedom: Double(dfResidual)).survival(f0.residualQ)
            let shares = HeterogeneityShares(zeroTauFit: f0, tauSquared: t2, degreesOfFreedom: Double(dfResidual),
                                             commonEffect: options.estimator == .commonEffect)
            iSquared = shares.iSquared
            hSquared = shares.hSquared
        }
    }
}
