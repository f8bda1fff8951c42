import Foundation
import MetaData
import MetaAnalysis
import Testing

/// Viechtbauer (2007), "Confidence intervals for the amount of heterogeneity in meta-analysis", Stat Med 26:37–52,
/// Table II (p. 44): the diuretics-in-pregnancy trials (Collins, Yusuf & Peto 1985; Datasets/classic/collins1985b.csv),
/// log odds ratios of pre-eclampsia; τ² by four estimators and 95% CIs by seven methods, printed to 4 decimals.
@Suite("Viechtbauer 2007 Table II: τ² and its confidence intervals")
struct Viechtbauer2007Tests {
    static func effectSizes() throws -> EffectSizes {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Datasets/classic/collins1985b.csv")
        return try EffectSizes.compute(measure: .logOddsRatio, data: DataTable(contentsOfFile: url.path))
    }

    static func fit(_ estimator: TauSquaredEstimator) throws -> RandomEffectsModel {
        let es = try effectSizes()
        return try RandomEffectsModel.fit(effectSizes: es.yi, samplingVariances: es.vi,
                                          options: RandomEffectsOptions(estimator: estimator, test: .z))
    }

    /// Equal to `printed` when rounded to 4 decimals (give or take `slack`).
    static func matches(_ value: Double, _ printed: Double, slack: Double = 0) -> Bool {
        abs(value - printed) <= 0.00005 + slack + 1e-12
    }

    @Test("τ² by DL, ML, REML, SJ", arguments: [
        (TauSquaredEstimator.derSimonianLaird, 0.2297), (.maximumLikelihood, 0.2386), (.restrictedMaximumLikelihood, 0.3008),
        (.sidikJonkman, 0.4563),
    ])
    func tauSquared(estimator: TauSquaredEstimator, printed: Double) throws {
        let m = try Self.fit(estimator)
        #expect(Self.matches(m.tauSquared, printed), "\(estimator.rawValue): \(m.tauSquared)")
    }

    @Test("95% CIs: Q-profile, Biggerstaff–Tweedie, profile likelihood (ML, REML), Wald (ML, REML), Sidik–Jonkman", arguments: [
        (TauSquaredEstimator.derSimonianLaird, HeterogeneityConfidenceIntervals.Method.qProfile, 0.0723, 2.2027),
        // Biggerstaff–Tweedie converges to [0.048172, 2.355160]; the printed bounds come from a search at uniroot's
        // default tolerance 2⁻¹³ (R's uniroot on [0, 10] at that tolerance gives 0.048142 and 2.355135), so they are
        // compared within 2⁻¹³ of the print.
        (.derSimonianLaird, .biggerstaffTweedie, 0.0481, 2.3551),
        // The ML profile-likelihood lower bound converges to 0.026542 (checked with R's optimize/uniroot at 1e-14);
        // the printed .0266 comes from a root search stopped at uniroot's default tolerance 2⁻¹³ (metafor 3.8-1's
        // confint on this model gives 0.026557), so that bound is compared within 2⁻¹³ of the print.
        (.maximumLikelihood, .profileLikelihood, 0.0266, 1.1308),
        (.restrictedMaximumLikelihood, .profileLikelihood, 0.0427, 1.4747),
        (.maximumLikelihood, .wald, 0, 0.5782),
        (.restrictedMaximumLikelihood, .wald, 0, 0.7322),
        (.sidikJonkman, .sidikJonkman, 0.2082, 1.6748),
    ])
    func interval(estimator: TauSquaredEstimator, method: HeterogeneityConfidenceIntervals.Method, lower: Double, upper: Double) throws {
        let m = try Self.fit(estimator)
        let ci = try #require(try m.heterogeneityConfidenceIntervals(method: method))
        #expect(ci.method == method)
        let searched = method == .biggerstaffTweedie || (estimator == .maximumLikelihood && method == .profileLikelihood)
        let lowerSlack = searched ? 0x1p-13 : 0
        let upperSlack = method == .biggerstaffTweedie ? 0x1p-13 : 0
        #expect(Self.matches(ci.tauSquared.lower, lower, slack: lowerSlack), "\(method.rawValue) lower: \(ci.tauSquared.lower)")
        #expect(Self.matches(ci.tauSquared.upper, upper, slack: upperSlack), "\(method.rawValue) upper: \(ci.tauSquared.upper)")
        #expect(ci.lowerMarker == .none && ci.upperMarker == .none)
    }

    /// The Q-profile interval does not depend on the estimator fitted; the SJ and BT intervals are centred on their
    /// own estimators (SJ, DL) whatever model they are asked of.
    @Test("Interval methods that do not depend on the fitted estimator")
    func estimatorIndependence() throws {
        let reml = try Self.fit(.restrictedMaximumLikelihood)
        let qp = try #require(try reml.heterogeneityConfidenceIntervals(method: .qProfile))
        #expect(Self.matches(qp.tauSquared.lower, 0.0723) && Self.matches(qp.tauSquared.upper, 2.2027))
        let sj = try #require(try reml.heterogeneityConfidenceIntervals(method: .sidikJonkman))
        #expect(Self.matches(sj.tauSquared.estimate, 0.4563) && Self.matches(sj.tauSquared.upper, 1.6748))
        let bt = try #require(try reml.heterogeneityConfidenceIntervals(method: .biggerstaffTweedie))
        #expect(Self.matches(bt.tauSquared.estimate, 0.2297) && Self.matches(bt.tauSquared.lower, 0.0481, slack: 0x1p-13))
    }

    /// The Wald interval is symmetric about τ̂² with half-width z₀.₉₇₅ · se_tau2 before truncation at 0.
    @Test("Wald interval is τ̂² ± 1.96 SE(τ̂²), truncated at 0")
    func waldIsSymmetric() throws {
        let m = try Self.fit(.restrictedMaximumLikelihood)
        let se = try #require(m.tauSquaredEstimate?.standardError)
        let ci = try #require(try m.heterogeneityConfidenceIntervals(method: .wald))
        #expect(abs(ci.tauSquared.upper - (m.tauSquared + 1.959963984540054 * se)) <= 1e-12)
        #expect(ci.tauSquared.lower == 0 && m.tauSquared - 1.959963984540054 * se < 0)
    }
}

extension Viechtbauer2007Tests {
    /// The converged Biggerstaff–Tweedie bounds, from an independent computation: R 4.2.2's `pgamma` with the mean and
    /// variance of Q above and `uniroot(tol = 1e-14)` (values 0.04817163574, 2.35516041677).
    @Test("Biggerstaff–Tweedie bounds converge to the gamma-inversion roots")
    func biggerstaffTweedieConverged() throws {
        let ci = try #require(try Self.fit(.derSimonianLaird).heterogeneityConfidenceIntervals(method: .biggerstaffTweedie))
        #expect(abs(ci.tauSquared.lower - 0.04817163574) <= 1e-9)
        #expect(abs(ci.tauSquared.upper - 2.35516041677) <= 1e-9)
    }
}
