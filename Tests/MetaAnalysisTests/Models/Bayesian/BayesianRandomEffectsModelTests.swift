import Foundation
import MetaAnalysis
import Testing

@Suite("Bayesian random-effects model")
struct BayesianRandomEffectsModelTests {
    // Hinks et al. (2010), log odds ratios and standard errors (bayesmeta::HinksEtAl2010).
    let y = [-0.12783337150988489, -0.23572233352106983, -0.19845093872383832]
    let s = [0.10463175870980121, 0.09021595371982492, 0.13750163395455806]

    /// With one study and a flat μ prior, p(y | τ) does not depend on τ, so the posterior of τ is its prior:
    /// an exact, independent check of the quadrature, the CDF and the quantiles (half-normal: erf(t/(s√2))).
    @Test func oneStudyPosteriorOfTauIsThePrior() throws {
        let model = try BayesianRandomEffectsModel(effectSizes: [0.3], standardErrors: [0.2], tauPrior: .halfNormal(scale: 0.5))
        for t in [0.01, 0.1, 0.5, 1.0, 2.0] {
            #expect(abs(model.tauCDF(t) - erf(t / (0.5 * 2.0.squareRoot()))) <= 1e-13)
            #expect(abs(model.tauDensity(t) - 2 / 0.5 * exp(-0.5 * (t / 0.5) * (t / 0.5)) / (2 * Double.pi).squareRoot()) <= 1e-12)
        }
        // Half-normal median: s·Φ⁻¹(3/4) = 0.5 × 0.674489750196082.
        #expect(abs(try model.tauQuantile(0.5) - 0.5 * 0.674489750196082) <= 1e-13)
        // E[τ] = s√(2/π).
        #expect(abs(model.tauMean - 0.5 * (2 / Double.pi).squareRoot()) <= 1e-13)
        #expect(model.quadratureErrorEstimate <= 1e-13)
    }

    /// A prior concentrated at τ ≈ 0 gives the common-effect answer: μ ~ N(Σwy/Σw, 1/Σw).
    @Test func tinyTauGivesTheCommonEffect() throws {
        let model = try BayesianRandomEffectsModel(effectSizes: y, standardErrors: s, tauPrior: .halfNormal(scale: 1e-9))
        let w = s.map { 1 / ($0 * $0) }
        let mean = zip(w, y).map(*).reduce(0, +) / w.reduce(0, +)
        let mu = model.muPosterior
        #expect(abs(mu.mean - mean) <= 1e-12)
        #expect(abs(mu.standardDeviation - 1 / w.reduce(0, +).squareRoot()) <= 1e-12)
    }

    /// Reordering the studies changes nothing; shifting every effect by c shifts μ by c and leaves τ alone.
    @Test func permutationAndLocationShift() throws {
        let base = try BayesianRandomEffectsModel(effectSizes: y, standardErrors: s, tauPrior: .halfCauchy(scale: 0.5))
        let permuted = try BayesianRandomEffectsModel(effectSizes: [y[2], y[0], y[1]], standardErrors: [s[2], s[0], s[1]],
                                                      tauPrior: .halfCauchy(scale: 0.5))
        let shifted = try BayesianRandomEffectsModel(effectSizes: y.map { $0 + 1.5 }, standardErrors: s,
                                                     tauPrior: .halfCauchy(scale: 0.5))
        let q = try base.tauQuantile(0.9)
        #expect(abs(try permuted.tauQuantile(0.9) - q) <= 1e-12 * q)
        #expect(abs(try shifted.tauQuantile(0.9) - q) <= 1e-12 * q)
        let m = try base.muPosterior.quantile(0.975)
        #expect(abs(try permuted.muPosterior.quantile(0.975) - m) <= 1e-12)
        #expect(abs(try shifted.muPosterior.quantile(0.975) - (m + 1.5)) <= 1e-12)
    }

    /// Quantiles invert the CDF; the shortest interval holds the level and is no longer than the central one.
    @Test func intervalsAreConsistent() throws {
        let model = try BayesianRandomEffectsModel(effectSizes: y, standardErrors: s, tauPrior: .turner(.anySetting))
        for p in [0.025, 0.5, 0.975] {
            #expect(abs(model.tauCDF(try model.tauQuantile(p)) - p) <= 1e-12)
            #expect(abs(model.muPosterior.cdf(try model.muPosterior.quantile(p)) - p) <= 1e-12)
        }
        let theta = model.predictivePosterior
        let shortest = try theta.shortestInterval(level: 0.95), central = try theta.centralInterval(level: 0.95)
        #expect(abs(theta.cdf(shortest.upper) - theta.cdf(shortest.lower) - 0.95) <= 1e-12)
        #expect(shortest.upper - shortest.lower <= central.upper - central.lower)
        #expect(abs(theta.density(shortest.lower) - theta.density(shortest.upper)) <= 1e-9 * theta.density(shortest.lower))
    }

    /// k = 1 with an improper τ prior and a flat μ prior: the posterior is improper; the error names a proper prior.
    @Test func improperPosteriorIsRefused() {
        #expect(throws: BayesianError.improperPosterior(
            tauPrior: "improper uniform", muPrior: "improper uniform", studies: 1,
            suggestion: "use a proper prior on tau (e.g. half-normal with scale 0.5 for log odds ratios) or a normal prior on mu.")) {
            _ = try BayesianRandomEffectsModel(effectSizes: [0.1], standardErrors: [0.2], tauPrior: .improperUniform)
        }
        #expect(throws: BayesianError.self) {
            _ = try BayesianRandomEffectsModel(effectSizes: [0.1, 0.2], standardErrors: [0.2, 0.3], tauPrior: .improperUniform)
        }
        // Three studies make the improper uniform prior usable (p(y | τ) ~ τ^-2).
        #expect(throws: Never.self) {
            _ = try BayesianRandomEffectsModel(effectSizes: y, standardErrors: s, tauPrior: .improperUniform)
        }
        let description = BayesianError.improperPosterior(tauPrior: "Jeffreys", muPrior: "improper uniform", studies: 1,
                                                          suggestion: "use a proper prior on tau.").description
        #expect(description == "With 1 study, the Jeffreys prior on tau and the improper uniform prior on mu give an improper posterior; use a proper prior on tau.")
    }

    /// A Turner outcome type the table does not cover names those it does.
    @Test func unknownTurnerOutcomeListsTheCoveredTypes() {
        do {
            _ = try TurnerPrior.named(outcome: "response rate", comparison: "pharmacological vs. placebo / control")
            Issue.record("expected an error")
        } catch let error as BayesianError {
            guard case let .unknownTurnerCategory(kind, given, available) = error else { Issue.record("\(error)"); return }
            #expect(kind == "outcome type" && given == "response rate")
            #expect(available.count == 16 && available.first == "all-cause mortality")
            #expect(error.description.hasPrefix("Turner et al. (2015) give no prior for the outcome type 'response rate'; the outcome types they cover are: all-cause mortality; obstetric outcomes;"))
        } catch { Issue.record("\(error)") }
        // Published labels are accepted in any case.
        #expect((try? TurnerPrior.named(outcome: "All-Cause Mortality", comparison: "pharmacological vs. placebo / control"))?.meanLog == -3.95)
    }

    /// Bad data and prior parameters are typed errors naming the study or parameter.
    @Test func badInputIsTyped() {
        #expect(throws: BayesianError.noStudies) {
            _ = try BayesianRandomEffectsModel(effectSizes: [], standardErrors: [], tauPrior: .halfNormal(scale: 0.5))
        }
        #expect(throws: BayesianError.invalidStandardError(study: 2, value: 0)) {
            _ = try BayesianRandomEffectsModel(effectSizes: [0, 1], standardErrors: [1, 0], tauPrior: .halfNormal(scale: 0.5))
        }
        #expect(throws: BayesianError.nonFiniteEffect(study: 1, value: .infinity)) {
            _ = try BayesianRandomEffectsModel(effectSizes: [.infinity], standardErrors: [1], tauPrior: .halfNormal(scale: 0.5))
        }
        #expect(throws: BayesianError.invalidPriorParameter(prior: "half-normal", parameter: "scale", value: -1, expected: "positive and finite")) {
            _ = try BayesianRandomEffectsModel(effectSizes: [0], standardErrors: [1], tauPrior: .halfNormal(scale: -1))
        }
    }

    /// Extreme magnitudes neither hang nor produce NaN: huge and tiny standard errors side by side.
    @Test func extremeMagnitudes() throws {
        let model = try BayesianRandomEffectsModel(effectSizes: [1e6, -1e6, 3], standardErrors: [1e-6, 1e4, 1],
                                                   tauPrior: .halfCauchy(scale: 1))
        let summary = try BayesianRandomEffectsSummary(model: model)
        #expect(summary.tau.median.isFinite && summary.mu.mean.isFinite && summary.theta.standardDeviation.isFinite)
    }
}
