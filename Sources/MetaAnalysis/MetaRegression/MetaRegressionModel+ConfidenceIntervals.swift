import MetaNumerics

extension MetaRegressionModel {
    /// Confidence intervals for the residual τ², τ, I² and H² (metafor's `confint` for models with moderators):
    /// Q-profile (Viechtbauer 2007), or the generalized Q-profile (Jackson 2013) for GENQ/GENQM fits. Nil for EE.
    ///
    /// The bounds solve Q_E(τ²) = χ²_{k−p; 1−α/2} and χ²_{k−p; α/2}, Q_E(τ²) = Σ (y_i − x_iᵀβ̂_τ)²/(v_i + τ²),
    /// which decreases in τ²; a bound below 0 is 0 and one beyond the search limit is the limit, marked ">".
    public func heterogeneityConfidenceIntervals(options: HeterogeneityIntervalOptions = HeterogeneityIntervalOptions())
        throws -> HeterogeneityConfidenceIntervals?
    {
        guard !isCommonEffect else { return nil }
        let alpha = self.options.alpha
        let kernel = self.kernel
        let limit = max(options.minimumUpperLimit, options.upperLimitFactor * tauSquared)
        let lower: (Double, HeterogeneityConfidenceIntervals.BoundMarker)
        let upper: (Double, HeterogeneityConfidenceIntervals.BoundMarker)
        let method: HeterogeneityConfidenceIntervals.Method
        if estimator.needsUserWeights {
            method = .generalizedQProfile
            let qObserved = kernel.generalizedQ(weights: .user, sigmaTauSquared: 0).q
            var lambdas = [Double]()
            var failure: Error?
            let cdf = { (t: Double) -> Double in
                kernel.generalizedQEigenvalues(weights: .user, tauSquared: t, into: &lambdas)
                do { return try WeightedChiSquaredSum(weights: lambdas).cdf(qObserved) } catch {
                    failure = error
                    return .nan
                }
            }
            lower = RandomEffectsModel.bound(limit: limit, tolerance: options.generalizedTolerance) { cdf($0) - (1 - alpha / 2) }
            upper = RandomEffectsModel.bound(limit: limit, tolerance: options.generalizedTolerance) { cdf($0) - alpha / 2 }
            if let failure { throw EstimationError.distributionNotComputable(detail: "\(failure)") }
        } else {
            method = .qProfile
            let chi = ChiSquared(degreesOfFreedom: Double(cochranQDegreesOfFreedom))
            let q = { (t: Double) in kernel.fit(tauSquared: t, includingLikelihoodTerms: false).residualQ }
            lower = RandomEffectsModel.bound(limit: limit, tolerance: options.tolerance) { q($0) - chi.quantile(1 - alpha / 2) }
            upper = RandomEffectsModel.bound(limit: limit, tolerance: options.tolerance) { q($0) - chi.quantile(alpha / 2) }
        }
        return HeterogeneityConfidenceIntervals(
            method: method, level: self.options.level,
            tauSquared: .init(estimate: tauSquared, lower: lower.0, upper: upper.0),
            lowerMarker: lower.1, upperMarker: upper.1, typicalSamplingVariance: typicalSamplingVariance)
    }
}
