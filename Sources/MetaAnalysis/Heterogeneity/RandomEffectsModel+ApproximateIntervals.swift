import MetaNumerics

/// The approximate τ² intervals Viechtbauer (2007, Stat Med 26:37–52) compares with the Q-profile interval.
extension RandomEffectsModel {
    /// Biggerstaff & Tweedie (1997, Stat Med 16:753–768): the DerSimonian–Laird Q (weights w_i = 1/v_i,
    /// S_r = Σ w_i^r) has, under τ²,
    ///
    ///     E[Q]   = (k − 1) + τ² (S₁ − S₂/S₁)
    ///     Var[Q] = 2(k − 1) + 4τ² (S₁ − S₂/S₁) + 2τ⁴ (S₂ − 2S₃/S₁ + S₂²/S₁²)
    ///
    /// (Q = yᵀAy with A = W − wwᵀ/S₁ and Cov y = W⁻¹ + τ²I: E = tr AΣ, Var = 2 tr (AΣ)², where AW⁻¹ is idempotent of
    /// rank k − 1, tr AW⁻¹A = tr A = S₁ − S₂/S₁ and tr A² = S₂ − 2S₃/S₁ + S₂²/S₁²), and is taken as gamma with that
    /// mean and variance. The bounds solve P(Q ≤ q_obs; τ²) = 1 − α/2 (lower) and
    /// α/2 (upper); a bound below 0 is 0. The estimate reported is the DerSimonian–Laird τ̂².
    func biggerstaffTweedieIntervals(limit: Double, tolerance: Double, typicalSamplingVariance vt: Double)
        -> HeterogeneityConfidenceIntervals
    {
        let w = samplingVariances.map { 1 / $0 }
        let s1 = w.reduce(0, +), s2 = w.reduce(0) { $0 + $1 * $1 }, s3 = w.reduce(0) { $0 + $1 * $1 * $1 }
        let df = Double(studyCount - 1)
        let qObserved = kernel.generalizedQ(weights: .inverseVariance(tauSquared: 0), sigmaTauSquared: 0).q
        let cdf = { (t: Double) -> Double in
            let mean = df + t * (s1 - s2 / s1)
            let variance = 2 * df + 4 * t * (s1 - s2 / s1) + 2 * t * t * (s2 - 2 * s3 / s1 + s2 * s2 / (s1 * s1))
            // Gamma(shape a, rate b): P(Q ≤ q) = P(a, b q).
            return regularizedGammaP(mean * mean / variance, mean / variance * qObserved)
        }
        let alpha = options.alpha
        let lower = Self.bound(limit: limit, tolerance: tolerance) { cdf($0) - (1 - alpha / 2) }
        let upper = Self.bound(limit: limit, tolerance: tolerance) { cdf($0) - alpha / 2 }
        let dl = max(0, (qObserved - df) / (s1 - s2 / s1))
        return HeterogeneityConfidenceIntervals(
            method: .biggerstaffTweedie, level: options.level, tauSquared: .init(estimate: dl, lower: lower.0, upper: upper.0),
            lowerMarker: lower.1, upperMarker: upper.1, typicalSamplingVariance: vt)
    }

    /// Wald-type interval τ̂² ± z_{1−α/2} SE(τ̂²) on the fitted estimator's own standard error (for ML and REML the
    /// inverse Fisher information, as Viechtbauer 2007 uses), the lower bound truncated at 0. Nil when the estimator
    /// gives no standard error.
    func waldIntervals(typicalSamplingVariance vt: Double) -> HeterogeneityConfidenceIntervals? {
        guard let se = tauSquaredEstimate?.standardError, se.isFinite else { return nil }
        let z = Normal.quantile(1 - options.alpha / 2)
        return HeterogeneityConfidenceIntervals(
            method: .wald, level: options.level,
            tauSquared: .init(estimate: tauSquared, lower: max(0, tauSquared - z * se), upper: tauSquared + z * se),
            typicalSamplingVariance: vt)
    }

    /// Sidik & Jonkman (2005, J Biopharm Stat 15:823–838): [(k − 1) τ̂²_SJ / χ²_{k−1; 1−α/2}, (k − 1) τ̂²_SJ / χ²_{k−1; α/2}],
    /// with τ̂²_SJ computed from the data whatever the fitted estimator (and reported as the estimate).
    func sidikJonkmanIntervals(typicalSamplingVariance vt: Double) throws -> HeterogeneityConfidenceIntervals {
        let sj = try TauSquaredEstimator.sidikJonkman.estimate(on: kernel, control: options.control).tauSquared
        let df = Double(studyCount - 1)
        let chi = ChiSquared(degreesOfFreedom: df)
        return HeterogeneityConfidenceIntervals(
            method: .sidikJonkman, level: options.level,
            tauSquared: .init(estimate: sj, lower: df * sj / chi.quantile(1 - options.alpha / 2),
                              upper: df * sj / chi.quantile(options.alpha / 2)),
            typicalSamplingVariance: vt)
    }
}
