#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

extension RandomEffectsModel {
    /// The profile log-likelihood of τ² (μ profiled out): restricted for REML fits, ordinary otherwise
    /// (Viechtbauer 2005, eqs. 5–6; the constants cancel in likelihood ratios).
    func profileLogLikelihood(tauSquared t: Double, restricted: Bool) -> Double {
        let f = kernel.fit(tauSquared: t)
        return -0.5 * (f.sumLogVariances + f.residualQ + (restricted ? f.logDetInformation : 0))
    }

    /// Profile-likelihood interval (Hardy & Thompson 1996; Viechtbauer 2007, section 2.3): the τ² with
    /// 2[ℓ(τ̂²) − ℓ(τ²)] = χ²_{1; 1−α}, using the restricted likelihood for REML fits and the ordinary one otherwise,
    /// maximized over τ² ≥ 0.
    func profileLikelihoodIntervals(limit: Double, tolerance: Double, typicalSamplingVariance vt: Double)
        -> HeterogeneityConfidenceIntervals
    {
        let restricted = estimator != .maximumLikelihood
        // The interval is centred on the likelihood's own maximizer, not on another estimator's τ̂².
        let peak = (try? (restricted ? TauSquaredEstimator.restrictedMaximumLikelihood : .maximumLikelihood)
            .estimate(on: kernel, control: options.control).tauSquared) ?? tauSquared
        let top = profileLogLikelihood(tauSquared: peak, restricted: restricted)
        let crit = ChiSquared(degreesOfFreedom: 1).quantile(1 - options.alpha) / 2
        // h(τ²) = ℓ(τ²) − ℓ̂ + crit: positive inside the interval, negative outside.
        let h = { (t: Double) in self.profileLogLikelihood(tauSquared: t, restricted: restricted) - top + crit }
        var lower = 0.0
        if peak > 0, h(0) < 0 {
            lower = Self.root(in: 0, peak, tolerance: tolerance, h)
        }
        let upperLimit = max(limit, 10 * peak)
        var upper = upperLimit
        var marker = HeterogeneityConfidenceIntervals.BoundMarker.above
        let hLimit = h(upperLimit)
        if hLimit < 0 {
            upper = Self.root(in: peak, upperLimit, tolerance: tolerance, h)
            marker = .none
        }
        return HeterogeneityConfidenceIntervals(
            method: .profileLikelihood, level: options.level,
            tauSquared: .init(estimate: peak, lower: lower, upper: upper),
            lowerMarker: .none, upperMarker: marker, typicalSamplingVariance: vt)
    }
}
