import MetaNumerics
import Testing
@testable import MetaAnalysis

/// Profile likelihoods of the variance components (metafor's `profile.rma.mv` / `confint.rma.mv`) on a small
/// three-level data set: the defining properties, not reference numbers (those are in the conformance bank).
@Suite struct MultilevelProfileTests {
    static let y = [0.1, 0.3, -0.2, 0.05, 0.6, 0.45, 0.9, 0.7]
    static let v = [0.02, 0.03, 0.025, 0.02, 0.04, 0.03, 0.02, 0.05]

    static func fit() throws -> MultilevelFit {
        let term = try NestedRandomIntercepts(formula: "~ 1 | cluster/obs")
        let groupings = try term.groupings(labels: ["cluster": ["a", "a", "b", "b", "c", "c", "d", "d"],
                                                    "obs": ["1", "2", "1", "2", "1", "2", "1", "2"]], effectCount: y.count)
        let model = try MultilevelModel(effects: y, samplingCovariance: SamplingCovariance(variances: v),
                                        design: DesignMatrix(intercept: true, studyCount: y.count), groupings: groupings)
        return try model.fit(method: .restrictedMaximumLikelihood)
    }

    @Test func curvePeaksAtTheEstimateAndCrossesTheCutAtTheBounds() throws {
        let fit = try Self.fit()
        let component = MultilevelFit.Component.sigma2(0)
        #expect(fit.estimatedComponents == [.sigma2(0), .sigma2(1)])
        let est = fit.estimate(of: component)
        try #require(est > 1e-6)
        let curve = fit.profile(component, values: [2 * est, est, 0.5 * est])
        #expect(curve.values == [0.5 * est, est, 2 * est])
        let ll = curve.logLikelihoods
        // Held at its own estimate, the refit returns the maximum; elsewhere the profile is lower.
        #expect(abs(ll[1] - curve.maximum) <= 1e-9 * abs(curve.maximum))
        #expect(ll[0] < curve.maximum && ll[2] < curve.maximum)
        // The profile-likelihood CI's bounds are where the profile meets maximum − χ²₁(0.95)/2.
        let ci = fit.profileConfidenceInterval(component)
        let lower = try #require(ci.lower), upper = try #require(ci.upper)
        #expect(lower < est && est < upper && !ci.upperAtLimit)
        for b in lower > 0 ? [lower, upper] : [upper] {
            let at = try fit.profileLogLikelihood(component, at: b)
            #expect(abs(at - curve.ratioBound) <= 1e-7, "bound \(b)")
        }
        // The default grid spans the interval and includes the estimate and both bounds.
        let wide = fit.profile(component, steps: 5)
        #expect(wide.values.first! <= lower && wide.values.last! >= upper && wide.values.contains(est))
        #expect(wide.values.contains(lower) && wide.values.contains(upper))
        #expect(wide.values.count == 8 && wide.logLikelihoods.allSatisfy(\.isFinite))
    }
}
