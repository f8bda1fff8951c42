import Foundation
import MetaData
import MetaAnalysis
import Testing
import _TestSupport

/// Seeded random inputs for the random-effects fit (k = 1…50; tiny and huge variances, identical effects, zeros,
/// negative and non-finite values): every fit either throws a typed error with a sentence for the user, or returns
/// finite results with τ² ≥ 0 and a CI (and PI) containing the estimate. The seeds are fixed, so a failure reproduces.
@Suite("Random-effects fit: seeded fuzzing")
struct RandomEffectsFuzzTests {
    /// One random input: effects, variances and user weights, mostly valid, sometimes broken on purpose.
    struct Input: CustomStringConvertible {
        var y: [Double], v: [Double], weights: [Double]
        var description: String { "y=\(y) v=\(v) a=\(weights)" }
    }

    static func input(_ g: inout SplitMix64) -> Input {
        let k = Int.random(in: 1...50, using: &g)
        let scale = [1e-12, 1e-6, 1e-2, 1, 1e3, 1e8].randomElement(using: &g)!
        var v = (0..<k).map { _ in scale * Double.random(in: 0.05...20, using: &g) }
        var y: [Double]
        switch Int.random(in: 0..<5, using: &g) {
        case 0: y = Array(repeating: Double.random(in: -3...3, using: &g), count: k)  // identical effects
        case 1: y = Array(repeating: 0, count: k)
        case 2: y = (0..<k).map { _ in Double.random(in: -1e6...1e6, using: &g) }
        default: y = (0..<k).map { _ in Double.random(in: -2...2, using: &g) * scale.squareRoot() * 3 }
        }
        if Bool.random(using: &g) { v = Array(repeating: v[0], count: k) }  // all variances equal
        var weights = (0..<k).map { _ in Double.random(in: 0.1...10, using: &g) }
        // Occasionally break one value: zero or negative variance, NaN or infinite effect, zero weight.
        if Int.random(in: 0..<6, using: &g) == 0 {
            let i = Int.random(in: 0..<k, using: &g)
            switch Int.random(in: 0..<5, using: &g) {
            case 0: v[i] = 0
            case 1: v[i] = -v[i]
            case 2: y[i] = .nan
            case 3: y[i] = .infinity
            default: weights[i] = 0
            }
        }
        return Input(y: y, v: v, weights: weights)
    }

    /// Whether the effects are equal to within 1e-6 of their size: then the residual Q (the Knapp-Hartung scale) is 0
    /// or rounds to 0 in the fit, and knha is refused by design.
    /// True when the Knapp-Hartung scale is 0 by metafor's rule: Q_E at the fitted τ̂² ≤ machine epsilon —
    /// identical effects, or variances so large (v = 4e29 beside 0.02) that every weighted residual vanishes. The
    /// knha refusal comes before the fit's later finite-value guards, so it also stands for an input the z fit
    /// refuses with an `EstimationError` (variances 31 orders of magnitude apart).
    static func residualQIsZero(_ input: Input, estimator: TauSquaredEstimator) -> Bool {
        guard let lo = input.y.min(), let hi = input.y.max() else { return false }
        if hi - lo <= 1e-6 * max(1, abs(lo), abs(hi)) { return true }
        let z: RandomEffectsModel
        do {
            z = try RandomEffectsModel.fit(effectSizes: input.y, samplingVariances: input.v, userWeights: input.weights,
                                           options: RandomEffectsOptions(estimator: estimator, test: .z))
        } catch is EstimationError {
            return true
        } catch {
            return false
        }
        return z.kernel.fit(tauSquared: z.tauSquared, includingLikelihoodTerms: false).residualQ <= Double.ulpOfOne
    }

    static func check(_ input: Input, estimator: TauSquaredEstimator, test: CoefficientTest) {
        let model: RandomEffectsModel
        do {
            model = try RandomEffectsModel.fit(effectSizes: input.y, samplingVariances: input.v, userWeights: input.weights,
                                               options: RandomEffectsOptions(estimator: estimator, test: test))
        } catch let error as InputError {
            #expect(!error.description.isEmpty)
            // User weights weight every estimator's estimate, so a zero weight is invalid for all; Knapp-Hartung
            // with identical effects (every residual zero, scale 0) is refused rather than reporting SE 0.
            let broken = input.v.contains { !($0 > 0) } || input.y.contains { !$0.isFinite }
                || input.weights.contains { !($0 > 0) }
                || (test == .knha && Self.residualQIsZero(input, estimator: estimator))
            #expect(broken, "\(estimator.rawValue): valid input rejected: \(error.description) — \(input)")
            return
        } catch let error as EstimationError {
            #expect(!error.description.isEmpty)
            return
        } catch {
            Issue.record("\(estimator.rawValue): untyped error \(error) — \(input)")
            return
        }
        let tag = "\(estimator.rawValue)/\(test.rawValue) k=\(input.y.count)"
        #expect(model.tauSquared >= 0 && model.tauSquared.isFinite, "\(tag): τ² = \(model.tauSquared)")
        #expect(model.estimate.isFinite && model.standardError.isFinite && model.standardError >= 0, "\(tag): \(model.estimate) ± \(model.standardError)")
        #expect(model.confidenceLower <= model.estimate && model.estimate <= model.confidenceUpper,
                "\(tag): CI [\(model.confidenceLower), \(model.confidenceUpper)] misses \(model.estimate)")
        let p = model.prediction
        #expect(p.predictionLower <= p.confidenceLower && p.confidenceUpper <= p.predictionUpper, "\(tag): PI inside CI")
        if let q = model.cochranQ { #expect(q >= 0 && q.isFinite, "\(tag): Q = \(q)") }
        // 100 τ²/(τ² + ṽ) can round one ulp above 100 when ṽ ≪ τ² (metafor's arithmetic gives the same).
        if let i2 = model.iSquared { #expect(i2 >= 0 && i2 <= 100 * (1 + 1e-15), "\(tag): I² = \(i2)") }
        #expect(model.weightsPercent.allSatisfy { $0 >= 0 && $0.isFinite }, "\(tag): weights")
        if input.y.count >= 2, input.y.allSatisfy({ $0 == input.y[0] }) {
            #expect(model.tauSquared == 0 || estimator.needsUserWeights == false && model.tauSquared < 1e-8,
                    "\(tag): identical effects give τ² = \(model.tauSquared)")
        }
    }

    @Test("every estimator on 100 seeded inputs", arguments: TauSquaredEstimator.allCases)
    func fuzz(estimator: TauSquaredEstimator) {
        var g = SplitMix64(state: 0x5EED_0000 &+ UInt64(TauSquaredEstimator.allCases.firstIndex(of: estimator)!))
        for i in 0..<100 {
            Self.check(Self.input(&g), estimator: estimator, test: [.z, .t, .knha, .adhoc][i % 4])
        }
    }
}
