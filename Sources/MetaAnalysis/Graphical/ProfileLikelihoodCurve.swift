#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// A profile log-likelihood curve of one variance component: the (restricted) log-likelihood maximized over the
/// fixed effects (and any other components) at each value of the component. The profile plot draws one panel per
/// curve, so a multilevel model's components (σ² per level, ρ, τ²) are drawn from curves of this type as well.
public struct ProfileLikelihoodCurve: Sendable, Equatable {
    /// The component's name as the plot's axis shows it ("τ²", "σ²₁ (district)").
    public let parameter: String
    /// Component values (ascending) and the log-likelihood at each.
    public let values: [Double]
    public let logLikelihoods: [Double]
    /// The component's estimate and the log-likelihood there (the curve's maximum).
    public let estimate: Double
    public let maximum: Double
    /// Whether the likelihood is the restricted one (REML) rather than the ordinary one (ML).
    public let restricted: Bool
    /// The confidence level (a fraction, 0.95) of the likelihood-ratio bounds the plot marks: where the curve lies χ²₁;level / 2 below
    /// its maximum.
    public let level: Double

    public init(parameter: String, values: [Double], logLikelihoods: [Double], estimate: Double, maximum: Double,
                restricted: Bool, level: Double = 0.95) {
        precondition(values.count == logLikelihoods.count, "ProfileLikelihoodCurve: one log-likelihood per value")
        self.parameter = parameter
        self.values = values
        self.logLikelihoods = logLikelihoods
        self.estimate = estimate
        self.maximum = maximum
        self.restricted = restricted
        self.level = level
    }
}

extension RandomEffectsModel {
    /// The log-likelihood of τ² (μ profiled out; restricted for REML, ordinary for ML; Viechtbauer 2005, eqs. 5–6,
    /// with the constants metafor's `logLik` keeps) at `points` values evenly spaced over `range`: by default from half
    /// the profile-likelihood interval's lower bound to 1.25 times its upper bound (at the model's level), so the curve
    /// shows its maximum and where the interval ends.
    ///
    /// - Throws: `GraphicalDataError.profileNeedsLikelihoodEstimator` unless the model was fitted by ML or REML;
    ///   `.profileNeedsTwoStudies` for one study; `.tooFewPoints` for fewer than 3 points.
    public func tauSquaredProfile(range: (Double, Double)? = nil, points: Int = 101) throws(GraphicalDataError) -> ProfileLikelihoodCurve {
        guard estimator == .maximumLikelihood || estimator == .restrictedMaximumLikelihood else {
            throw .profileNeedsLikelihoodEstimator(found: estimator.rawValue)
        }
        guard studyCount > coefficientCount else { throw .profileNeedsTwoStudies(found: studyCount) }
        guard points >= 3 else { throw .tooFewPoints(found: points, minimum: 3) }
        let points = Swift.min(points, 10_000)
        let restricted = estimator == .restrictedMaximumLikelihood
        var (low, high): (Double, Double)
        if let range {
            (low, high) = (Swift.max(0, Swift.min(range.0, range.1)), Swift.max(range.0, range.1))
        } else {
            let vt = typicalSamplingVariance ?? (samplingVariances.reduce(0, +) / Double(Swift.max(1, studyCount)))
            let bounds = profileLikelihoodIntervals(limit: Swift.max(100, 100 * tauSquared), tolerance: 1e-8, typicalSamplingVariance: vt).tauSquared
            (low, high) = (bounds.lower / 2, Swift.max(1.25 * bounds.upper, 2 * tauSquared))
        }
        if !(high.isFinite && high > low) { (low, high) = (0, Swift.max(2 * tauSquared, 1e-4)) }
        let values = (0..<points).map { low + (high - low) * Double($0) / Double(points - 1) }
        let sumLogV = samplingVariances.reduce(0) { $0 + log($1) }
        func logLikelihood(_ t: Double) -> Double {
            let f = kernel.fit(tauSquared: t)
            let both = FitStatistics.both(fit: f, residualSum: f.residualQ, sumLogSamplingVariances: sumLogV, studyCount: studyCount,
                                          coefficientCount: coefficientCount, estimatesTau: true)
            return restricted ? both.reml.logLikelihood : both.ml.logLikelihood
        }
        return ProfileLikelihoodCurve(parameter: "τ²", values: values, logLikelihoods: values.map(logLikelihood),
                                      estimate: tauSquared, maximum: logLikelihood(tauSquared),
                                      restricted: restricted, level: options.level / 100)
    }
}

extension ProfileLikelihoodCurve {
    /// The log-likelihood χ²₁;level / 2 below the maximum: where the curve crosses it are the likelihood-ratio
    /// confidence bounds of the component (Hardy & Thompson 1996).
    public var ratioBound: Double { maximum - ChiSquared(degreesOfFreedom: 1).quantile(level) / 2 }
}
