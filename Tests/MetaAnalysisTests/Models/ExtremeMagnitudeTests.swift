import Foundation
import MetaAnalysis
import MetaData
import Testing

/// Issue 16, defect 1: solvers that never returned. Effects and variances at the ends of double precision (the
/// probe's 1e-12 beside 1e12, 1e-300 twice beside 0.02, vi = 4e29, a 90-digit number, the smallest subnormal), fed
/// to every τ² estimator: each fit ends — within the time limit — in finite results or a typed `EstimationError`
/// whose sentence names the estimator, never a hang, a trap or NaN/±Inf printed as a result.
@Suite("Random-effects fit: extreme magnitudes end")
struct ExtremeMagnitudeTests {
    static let magnitudes: [Double] = [Double.leastNonzeroMagnitude, 1e-300, 1e-12, 0.02, 4e29, 1e90, 1e300]

    /// The probe's inputs plus every pair and triple of magnitudes as variances (effects 0.1, 0.3, 0.5) and as
    /// effects (variances 0.01, 0.02, 0.04).
    static var inputs: [RandomEffectsFuzzTests.Input] {
        var out: [RandomEffectsFuzzTests.Input] = [
            .init(y: [0.1, 0.3], v: [1e-12, 1e12], weights: [1, 1]),
            .init(y: [0.1, 0.3, 0.5], v: [1e-300, 1e-300, 0.02], weights: [1, 1, 1]),
        ]
        for a in magnitudes {
            for b in magnitudes {
                out.append(.init(y: [0.1, 0.3], v: [a, b], weights: [1, 2]))
                out.append(.init(y: [a, -b], v: [0.01, 0.02], weights: [1, 2]))
                for c in [1e-300, 0.02] {
                    out.append(.init(y: [0.1, 0.3, 0.5], v: [a, b, c], weights: [1, 2, 3]))
                    out.append(.init(y: [a, b, -c], v: [0.01, 0.02, 0.04], weights: [1, 2, 3]))
                }
            }
        }
        return out
    }

    // The time limits are hang guards, not speed goals: alone the suite takes ~35 s in a debug build, but the full
    // suite on two cores shared with other builds left these tests waiting past a 1-minute limit.
    @Test("every estimator ends on extreme magnitudes", .timeLimit(.minutes(10)), arguments: TauSquaredEstimator.allCases)
    func extremeMagnitudesEnd(estimator: TauSquaredEstimator) {
        // GENQ/GENQM evaluate a weighted χ² series whose length grows with the eigenvalues' spread (up to
        // WeightedChiSquaredSum.maximumTerms terms per evaluation, slow in a debug build): the probe's inputs only.
        let inputs = estimator.needsUserWeights ? Array(Self.inputs.prefix(2)) : Self.inputs
        for input in inputs {
            RandomEffectsFuzzTests.check(input, estimator: estimator, test: .knha)
            if let model = try? RandomEffectsModel.fit(effectSizes: input.y, samplingVariances: input.v, userWeights: input.weights,
                                                       options: RandomEffectsOptions(estimator: estimator)) {
                if let h2 = model.hSquared { #expect(h2.isFinite && h2 >= 0, "\(estimator.rawValue): H² = \(h2) — \(input)") }
                if let i2 = model.iSquared { #expect(i2.isFinite, "\(estimator.rawValue): I² = \(i2) — \(input)") }
            }
        }
    }

    /// The probe's first input: metafor's rma() warns that the variance ratio is extreme; here REML says why it stops.
    @Test(.timeLimit(.minutes(10)))
    func variancesTwentyFourOrdersApartGiveATypedError() {
        for estimator in [TauSquaredEstimator.restrictedMaximumLikelihood, .maximumLikelihood, .empiricalBayes] {
            do {
                _ = try RandomEffectsModel.fit(effectSizes: [0.1, 0.3], samplingVariances: [1e-12, 1e12],
                                               options: RandomEffectsOptions(estimator: estimator))
                Issue.record("\(estimator.rawValue) fitted variances 24 orders of magnitude apart")
            } catch let error as EstimationError {
                #expect(error.description == "The \(estimator.rawValue) estimator of tau^2 cannot be computed: the sampling variances "
                    + "span 24 orders of magnitude (1e-12 to 1e12), beyond what double precision can weigh; rescale the "
                    + "effect sizes or check the variances.")
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
    }

    /// metafor's Fisher-scoring path (`SolverControl.metaforDefault`) has the same guard.
    @Test(.timeLimit(.minutes(10)))
    func metaforIterationsEndToo() {
        var options = RandomEffectsOptions(estimator: .restrictedMaximumLikelihood)
        options.control = .metaforDefault
        for input in Self.inputs {
            do {
                let m = try RandomEffectsModel.fit(effectSizes: input.y, samplingVariances: input.v, options: options)
                #expect(m.tauSquared.isFinite && m.estimate.isFinite, "\(input)")
            } catch let error as EstimationError {
                #expect(error.description.hasPrefix("The REML estimator of tau^2"), "\(error)")
            } catch let error as InputError {
                #expect(!error.description.isEmpty)
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
    }

    /// Issue 16, defect 8: an overflow inside an iteration read "did not converge (last step -nan)"; a step that is not
    /// a finite number gets the finite-value sentence naming the estimator, and a root search limit reads as a magnitude.
    @Test func aNonFiniteStepIsNotReportedAsSlowConvergence() {
        let overflow = EstimationError.didNotConverge(estimator: .restrictedMaximumLikelihood, iterations: 7, lastStep: -.nan)
        #expect(overflow.description == "The REML estimator of tau^2 cannot be computed: its iteration reached a value that is not "
            + "a finite number after 7 iterations; rescale the effect sizes or check the variances.")
        let slow = EstimationError.didNotConverge(estimator: .pauleMandel, iterations: 100, lastStep: 1e-3)
        #expect(slow.description.contains("did not converge in 100 iterations (last step 0.001)"))
        #expect(EstimationError.rootNotBracketed(estimator: .pauleMandel, searchLimit: 2.6787715179656683e300).description
            == "The PM estimating equation has no solution for tau^2 up to 2.68e300.")
    }
}
