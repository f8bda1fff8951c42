import MetaNumerics

extension RandomEffectsModel {
    /// The heterogeneity intervals metafor's `confint` gives by default: generalized Q-profile for GENQ/GENQM
    /// fits, Q-profile otherwise. Nil for the common-effect model, a τ² fixed by the user, and k = 1.
    public func heterogeneityConfidenceIntervals(options: HeterogeneityIntervalOptions = HeterogeneityIntervalOptions())
        throws -> HeterogeneityConfidenceIntervals?
    {
        let method: HeterogeneityConfidenceIntervals.Method = estimator.needsUserWeights ? .generalizedQProfile : .qProfile
        return try heterogeneityConfidenceIntervals(method: method, options: options)
    }

    /// Heterogeneity intervals by `method` (nil for EE, a τ² fixed by the user, and k = 1).
    ///
    /// Q-profile (Viechtbauer 2007): the bounds solve Q(τ²) = χ²_{k−p; 1−α/2} (lower) and χ²_{k−p; α/2} (upper),
    /// Q(τ²) = Σ (y_i − μ̂_τ)²/(v_i + τ²). Generalized Q-profile (Jackson 2013): P(Q_A ≤ q_A; τ²) = 1 − α/2 and
    /// α/2 with Q_A ~ Σ λ_j(τ²) χ²₁. A bound below 0 is 0; one beyond the search limit is the limit, marked ">".
    public func heterogeneityConfidenceIntervals(method: HeterogeneityConfidenceIntervals.Method,
                                                 options: HeterogeneityIntervalOptions = HeterogeneityIntervalOptions())
        throws -> HeterogeneityConfidenceIntervals?
    {
        guard self.options.estimatesTauSquared, studyCount >= 2, let vt = typicalSamplingVariance else { return nil }
        let alpha = self.options.alpha
        let df = Double(studyCount - coefficientCount)
        let kernel = self.kernel
        let limit = max(options.minimumUpperLimit, options.upperLimitFactor * tauSquared)
        let (lower, upper): ((Double, HeterogeneityConfidenceIntervals.BoundMarker), (Double, HeterogeneityConfidenceIntervals.BoundMarker))
        switch method {
        case .qProfile:
            // The two χ² critical values once, outside the root searches (each search evaluates Q ~10-40 times).
            let chi = ChiSquared(degreesOfFreedom: df)
            let upperCritical = chi.quantile(1 - alpha / 2), lowerCritical = chi.quantile(alpha / 2)
            let q = { (t: Double) in kernel.fit(tauSquared: t, includingLikelihoodTerms: false).residualQ }
            lower = Self.bound(limit: limit, tolerance: options.tolerance) { q($0) - upperCritical }
            upper = Self.bound(limit: limit, tolerance: options.tolerance) { q($0) - lowerCritical }
        case .generalizedQProfile, .biggerstaffJackson:
            // BJ is the generalized Q-profile of the DerSimonian–Laird Q, i.e. with weights 1/v_i.
            let weights: MomentWeights = method == .biggerstaffJackson ? .inverseVariance(tauSquared: 0) : .user
            if weights == .user && !kernel.hasUserWeights { throw EstimationError.userWeightsRequired(estimator: estimator) }
            let qObserved = kernel.generalizedQ(weights: weights, sigmaTauSquared: 0).q
            var lambdas = [Double]()
            var failure: Error?
            let cdf = { (t: Double) -> Double in
                kernel.generalizedQEigenvalues(weights: weights, tauSquared: t, into: &lambdas)
                do { return try WeightedChiSquaredSum(weights: lambdas).cdf(qObserved) } catch {
                    failure = error
                    return .nan
                }
            }
            let tolerance = method == .generalizedQProfile ? options.generalizedTolerance : options.tolerance
            lower = Self.bound(limit: limit, tolerance: tolerance) { cdf($0) - (1 - alpha / 2) }
            upper = Self.bound(limit: limit, tolerance: tolerance) { cdf($0) - alpha / 2 }
            if let failure { throw EstimationError.distributionNotComputable(detail: "\(failure)") }
        case .profileLikelihood:
            return profileLikelihoodIntervals(limit: limit, tolerance: options.tolerance, typicalSamplingVariance: vt)
        case .biggerstaffTweedie:
            return biggerstaffTweedieIntervals(limit: limit, tolerance: options.tolerance, typicalSamplingVariance: vt)
        case .wald:
            return waldIntervals(typicalSamplingVariance: vt)
        case .sidikJonkman:
            return try sidikJonkmanIntervals(typicalSamplingVariance: vt)
        }
        return HeterogeneityConfidenceIntervals(
            method: method, level: self.options.level,
            tauSquared: .init(estimate: tauSquared, lower: lower.0, upper: upper.0),
            lowerMarker: lower.1, upperMarker: upper.1, typicalSamplingVariance: vt)
    }

    /// One bound: the root of the decreasing g on [0, limit], 0 when g(0) ≤ 0, the limit (">") when g(limit) > 0.
    static func bound(limit: Double, tolerance: Double, _ g: (Double) -> Double)
        -> (Double, HeterogeneityConfidenceIntervals.BoundMarker)
    {
        let g0 = g(0)
        if !(g0 > 0) { return (0, .none) }
        let gLimit = g(limit)
        if gLimit > 0 { return (limit, .above) }
        return (root(in: 0, limit, tolerance: tolerance, g), .none)
    }

    /// The root of g in [lower, upper] (g changes sign there) as R's `uniroot` finds it at metafor's tolerance: Brent's
    /// method with zeroin's step rule. NaN if g is not finite at a point the search visits.
    static func root(in lower: Double, _ upper: Double, tolerance: Double, _ g: (Double) -> Double) -> Double {
        guard lower < upper else { return lower }
        return (try? Brent.root(lower: lower, upper: upper, absoluteTolerance: tolerance, relativeTolerance: 0,
                         maxIterations: 1000, rule: .zeroin, g).x) ?? .nan
    }
}
