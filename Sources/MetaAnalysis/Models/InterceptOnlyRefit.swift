/// The quantities a resampling method records from one fit of an intercept-only model — μ̂, its test
/// statistic, τ̂², I², H² — computed as ``RandomEffectsModel`` computes them, but from a kernel over reusable
/// buffers and without building the full model (no study weights, likelihoods or intervals), so that a
/// replicate allocates nothing.
///
/// μ̂ = Σ w_i y_i / Σ w_i with w_i = 1/(v_i + τ̂²) (user weights a_i for GENQ/GENQM); I² = 100 τ̂²/(τ̂² + ṽ) and
/// H² = 1 + τ̂²/ṽ with ṽ = (k − 1)/tr(P₀) (Higgins & Thompson 2002, as metafor); for the common-effect model
/// I² = max(0, 100 (Q − (k − 1))/Q) and H² = Q/(k − 1).
public struct InterceptOnlyRefit: Sendable, Equatable {
    public var estimate: Double
    public var standardError: Double
    /// μ̂ / SE: a z or t statistic according to the test (Knapp–Hartung scales SE by √s²_w).
    public var statistic: Double
    public var tauSquared: Double
    public var iSquared: Double
    public var hSquared: Double

    /// Fits the model given by `options` to (y, v[, a]) (k ≥ 2, v_i > 0, already validated).
    ///
    /// - Throws: `EstimationError` when the τ² estimator fails on these data.
    public static func fit(effects y: [Double], variances v: [Double], userWeights a: [Double]?,
                           options: RandomEffectsOptions) throws(EstimationError) -> InterceptOnlyRefit
    {
        let k = y.count
        precondition(k >= 2 && v.count == k, "a refit needs k ≥ 2 studies with one variance each")
        let df = Double(k - 1)
        let weights = a
        let kernel = InterceptOnlyKernel(effects: y, variances: v, userWeights: weights)
        let t2 = try options.estimator.estimate(on: kernel, control: options.control).tauSquared

        var mu = 0.0, variance = 0.0
        if let weights {
            var sa = 0.0, say = 0.0, sa2s = 0.0
            for i in 0..<k {
                sa += weights[i]
                say += weights[i] * y[i]
                sa2s += weights[i] * weights[i] * (v[i] + t2)
            }
            mu = say / sa
            variance = sa2s / (sa * sa)
        } else {
            var sw = 0.0, swy = 0.0
            for i in 0..<k {
                let w = 1 / (v[i] + t2)
                sw += w
                swy += w * y[i]
            }
            mu = swy / sw
            variance = 1 / sw
        }
        // Neither Q_E nor I²/H² needs the k logarithms of the likelihood terms: a replicate skips them.
        variance *= options.test.varianceScale(residualQ: kernel.fit(tauSquared: t2, includingLikelihoodTerms: false).residualQ,
                                               residualDegreesOfFreedom: k - 1)
        let se = variance.squareRoot()

        let f0 = kernel.fit(tauSquared: 0, includingLikelihoodTerms: false)
        let shares = HeterogeneityShares(zeroTauFit: f0, tauSquared: t2, degreesOfFreedom: df,
                                         commonEffect: options.estimator == .commonEffect)
        let i2 = shares.iSquared, h2 = shares.hSquared
        return InterceptOnlyRefit(estimate: mu, standardError: se, statistic: mu / se, tauSquared: t2,
                                  iSquared: i2, hSquared: h2)
    }

    public init(estimate: Double, standardError: Double, statistic: Double, tauSquared: Double, iSquared: Double,
                hSquared: Double) {
        self.estimate = estimate
        self.standardError = standardError
        self.statistic = statistic
        self.tauSquared = tauSquared
        self.iSquared = iSquared
        self.hSquared = hSquared
    }
}
