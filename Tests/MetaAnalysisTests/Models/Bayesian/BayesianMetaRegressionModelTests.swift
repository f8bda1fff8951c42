import Foundation
import MetaAnalysis
import Testing

@Suite("Bayesian meta-regression")
struct BayesianMetaRegressionModelTests {
    // Illustrative log odds ratios, standard errors and a binary covariate (six studies, two in the second group).
    let y = [-2.3097, -0.4855, -2.0308, -0.5447, -1.3705, -1.8608]
    let s = [0.6883, 0.5643, 0.5989, 0.4993, 0.6498, 1.1432]
    let dac = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]

    /// An intercept-only design is the normal–normal model: same τ posterior, μ = β₀, same shrinkage, same ML/MAP.
    @Test(arguments: [false, true])
    func interceptOnlyIsTheRandomEffectsModel(normalPrior: Bool) throws {
        let tauPrior = TauPrior.halfNormal(scale: 0.5)
        let muPrior: MuPrior = normalPrior ? .normal(mean: 0.3, standardDeviation: 4) : .improperUniform
        let coefficientPrior: CoefficientPrior = normalPrior ? .normal(mean: [0.3], covariance: [[16]]) : .improperUniform
        let plain = try BayesianRandomEffectsModel(effectSizes: y, standardErrors: s, tauPrior: tauPrior, muPrior: muPrior)
        let regression = try BayesianMetaRegressionModel(effectSizes: y, standardErrors: s, design: y.map { _ in [1.0] },
                                                         coefficientNames: ["intercept"], tauPrior: tauPrior,
                                                         coefficientPrior: coefficientPrior)
        for p in [0.05, 0.5, 0.95] {
            let a = try plain.tauQuantile(p), b = try regression.tauQuantile(p)
            #expect(abs(a - b) <= 1e-12 * a)
            let m = try plain.muPosterior.quantile(p), r = try regression.coefficientPosterior(0).quantile(p)
            #expect(abs(m - r) <= 1e-12 * max(1, abs(m)))
            let sh = try plain.shrinkagePosterior(study: 2).quantile(p), rs = try regression.shrinkagePosterior(study: 2).quantile(p)
            #expect(abs(sh - rs) <= 1e-12 * max(1, abs(sh)))
        }
        let theta = plain.predictivePosterior, predicted = regression.predictivePosterior(at: [1])
        #expect(abs(theta.standardDeviation - predicted.standardDeviation) <= 1e-12 * theta.standardDeviation)
        let ml = try plain.maximumLikelihood().joint, rml = try regression.maximumLikelihood()
        #expect(abs(ml.tau! - rml.tau!) <= 1e-9 && abs(ml.mu! - rml.coefficients![0]) <= 1e-9)
        let map = try plain.maximumAPosteriori().joint, rmap = try regression.maximumAPosteriori().joint
        #expect(abs(map.tau! - rmap.tau!) <= 1e-9 && abs(map.mu! - rmap.coefficients![0]) <= 1e-9)
        if normalPrior {
            #expect(abs(plain.logMarginalLikelihood! - regression.logMarginalLikelihood!) <= 1e-12)
        } else {
            #expect(regression.logMarginalLikelihood == nil)
        }
    }

    /// Recoding the covariate (dac ↦ 1 − dac, i.e. swapping the reference group) reparametrises β linearly and
    /// leaves τ, the group means and every shrinkage estimate unchanged.
    @Test func recodingTheCovariateChangesOnlyTheParametrisation() throws {
        let a = try BayesianMetaRegressionModel(effectSizes: y, standardErrors: s, design: dac.map { [1, $0] },
                                                coefficientNames: ["intercept", "dac"], tauPrior: .halfNormal(scale: 0.5))
        let b = try BayesianMetaRegressionModel(effectSizes: y, standardErrors: s, design: dac.map { [1, 1 - $0] },
                                                coefficientNames: ["intercept", "bas"], tauPrior: .halfNormal(scale: 0.5))
        #expect(abs(try a.tauQuantile(0.5) - (try b.tauQuantile(0.5))) <= 1e-12)
        #expect(abs(a.coefficientPosterior(1).mean + b.coefficientPosterior(1).mean) <= 1e-12)
        #expect(abs(a.meanPosterior(at: [1, 1]).standardDeviation - b.meanPosterior(at: [1, 0]).standardDeviation) <= 1e-12)
        #expect(abs(a.shrinkagePosterior(study: 4).mean - b.shrinkagePosterior(study: 4).mean) <= 1e-12)
    }

    @Test func badDesignsAreTypedErrors() {
        #expect(throws: BayesianError.invalidDesign("Coefficient 'twice' is a linear combination of the other columns of the design (with 6 studies); drop it or choose other covariates.")) {
            try BayesianMetaRegressionModel(effectSizes: y, standardErrors: s, design: dac.map { [1, $0, 2 * $0] },
                                            coefficientNames: ["intercept", "dac", "twice"], tauPrior: .halfNormal(scale: 0.5))
        }
        #expect(throws: BayesianError.invalidDesign("Study 3, coefficient 'dac': the covariate must be finite; found nan.")) {
            try BayesianMetaRegressionModel(effectSizes: y, standardErrors: s,
                                            design: [[1, 0], [1, 0], [1, .nan], [1, 0], [1, 1], [1, 1]],
                                            coefficientNames: ["intercept", "dac"], tauPrior: .halfNormal(scale: 0.5))
        }
        #expect(throws: BayesianError.invalidDesign("The design needs one row per study (6); found 2 rows.")) {
            try BayesianMetaRegressionModel(effectSizes: y, standardErrors: s, design: [[1], [1]],
                                            coefficientNames: ["intercept"], tauPrior: .halfNormal(scale: 0.5))
        }
    }

    /// Issue 23 item 4 with regressions: 2 studies and 2 flat coefficients leave nothing for τ, so an improper τ prior
    /// is refused with the prior to use; a Turner category outside the table still names the covered ones.
    @Test func improperPosteriorIsRefusedForRegressions() throws {
        let error = #expect(throws: BayesianError.self) {
            try BayesianMetaRegressionModel(effectSizes: [0.1, 0.5], standardErrors: [0.2, 0.3], design: [[1, 0], [1, 1]],
                                            coefficientNames: ["intercept", "x"], tauPrior: .improperUniform)
        }
        #expect(error?.description == "With 2 studies and 2 coefficients, the improper uniform prior on tau and the improper uniform prior on the coefficients give an improper posterior; use a proper prior on tau (e.g. half-normal with scale 0.5 for log odds ratios) or a normal prior on the coefficients.")
        // A proper τ prior makes the same regression computable.
        let model = try BayesianMetaRegressionModel(effectSizes: [0.1, 0.5], standardErrors: [0.2, 0.3], design: [[1, 0], [1, 1]],
                                                    coefficientNames: ["intercept", "x"], tauPrior: .halfNormal(scale: 0.5))
        #expect(abs(model.tauMean - 0.5 * (2 / Double.pi).squareRoot()) <= 1e-12)
        #expect(throws: BayesianError.self) { try TurnerPrior.named(outcome: "blood pressure", comparison: "pharmacological vs. placebo / control") }
    }
}
