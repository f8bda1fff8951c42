import Foundation
import MetaAnalysis
import MetaNumerics
import Testing

/// Fits at k = 10⁵–10⁶ take the chunked, fused one-pass path of `InterceptOnlyKernel` (issue 9: REML at k = 10⁶ in
/// under 50 ms with O(k) memory). These tests hold that path to a straightforward second implementation written
/// out here, to the generating parameters, and to bit-identical results for any thread count.
@Suite("Random-effects fits at large k")
struct RandomEffectsLargeKTests {
    /// metafor-baseline.md's design: v_i ~ U(0.01, 0.1), y_i ~ N(μ, τ² + v_i), from random stream (seed, 0).
    static func simulate(k: Int, mu: Double = 0.3, tauSquared: Double = 0.04, seed: UInt64) -> (y: [Double], v: [Double]) {
        var stream = RandomStream(seed: seed, stream: 0)
        var y = [Double](), v = [Double]()
        y.reserveCapacity(k)
        v.reserveCapacity(k)
        for _ in 0..<k {
            let vi = 0.01 + 0.09 * stream.nextUniform()
            v.append(vi)
            y.append(mu + (tauSquared + vi).squareRoot() * stream.nextNormal())
        }
        return (y, v)
    }

    /// The REML estimate by its textbook fixed point τ² ← Σ w²((y − μ̂)² − v)/Σ w² + 1/Σ w (Viechtbauer 2005, eq. 10
    /// rearranged; the REML estimating equation Σ w²(r² − v − τ²) = Σ w²/Σ w), with plain two-pass sums.
    static func referenceREML(_ y: [Double], _ v: [Double]) -> (tauSquared: Double, mu: Double, se: Double, iterations: Int) {
        var t = 0.04, iterations = 0
        while true {
            iterations += 1
            var sw = 0.0, swy = 0.0
            for i in y.indices {
                let w = 1 / (v[i] + t)
                sw += w
                swy += w * y[i]
            }
            let mu = swy / sw
            var sw2 = 0.0, num = 0.0
            for i in y.indices {
                let w = 1 / (v[i] + t), r = y[i] - mu
                sw2 += w * w
                num += w * w * (r * r - v[i])
            }
            let next = max(0, num / sw2 + 1 / sw)
            if abs(next - t) <= 1e-15 * next || iterations == 200 {
                var swNext = 0.0, swyNext = 0.0
                for i in y.indices {
                    let w = 1 / (v[i] + next)
                    swNext += w
                    swyNext += w * y[i]
                }
                return (next, swyNext / swNext, (1 / swNext).squareRoot(), iterations)
            }
            t = next
        }
    }

    @Test("k = 10⁶ REML: estimate, SE and τ² agree with a textbook fixed point to 1e-9 and with the generating values")
    func millionStudiesAgainstReference() throws {
        let k = 1_000_000
        let (y, v) = Self.simulate(k: k, seed: 9)
        let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: .metafor)
        let reference = Self.referenceREML(y, v)
        #expect(reference.iterations < 200, "the reference fixed point converged")
        for (name, a, b) in [("tau2", model.tauSquared, reference.tauSquared), ("beta", model.estimate, reference.mu),
                             ("se", model.standardError, reference.se)] {
            #expect(abs(a - b) <= 1e-9 * abs(b), "\(name): \(a) vs reference \(b)")
        }
        // The generating values μ = 0.3, τ² = 0.04 within 5 standard errors.
        #expect(abs(model.estimate - 0.3) <= 5 * model.standardError)
        let seTau = try #require(model.tauSquaredEstimate?.standardError)
        #expect(abs(model.tauSquared - 0.04) <= 5 * seTau)
        #expect(model.weightsPercent.count == k)
        #expect(abs(model.weightsPercent.reduce(0, +) - 100) <= 1e-9)
        #expect(model.studies.count == k && model.studies[0] == "1" && model.studies[k - 1] == "1000000",
                "default labels are the row numbers")
    }

    @Test("k = 200,000: every estimator gives bit-identical results with 1 and 2 threads", arguments: [
        TauSquaredEstimator.restrictedMaximumLikelihood, .maximumLikelihood, .derSimonianLaird, .pauleMandel,
    ])
    func threadCountIndependence(_ estimator: TauSquaredEstimator) throws {
        let (y, v) = Self.simulate(k: 200_000, seed: 4)
        let one = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v,
                                             options: RandomEffectsOptions(estimator: estimator, test: .z, threads: 1))
        let two = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v,
                                             options: RandomEffectsOptions(estimator: estimator, test: .z, threads: 2))
        #expect(one.tauSquared.bitPattern == two.tauSquared.bitPattern)
        #expect(one.estimate.bitPattern == two.estimate.bitPattern)
        #expect(one.standardError.bitPattern == two.standardError.bitPattern)
        #expect(one.cochranQ?.bitPattern == two.cochranQ?.bitPattern)
        #expect(one.iSquared?.bitPattern == two.iSquared?.bitPattern)
        #expect(one.tauSquaredEstimate?.standardError?.bitPattern == two.tauSquaredEstimate?.standardError?.bitPattern)
        #expect(one.restrictedMaximumLikelihoodFit == two.restrictedMaximumLikelihoodFit)
        #expect(one.maximumLikelihoodFit == two.maximumLikelihoodFit)
        #expect(one.weightsPercent == two.weightsPercent)
        for t in [0.0, one.tauSquared] {
            #expect(one.kernel.fit(tauSquared: t) == two.kernel.fit(tauSquared: t))
        }
    }

    /// Direct two-pass evaluation of the sums `fit` returns.
    static func direct(_ y: [Double], _ v: [Double], _ t: Double) -> [String: Double] {
        var s1 = 0.0, s2 = 0.0, swy = 0.0
        for i in y.indices {
            let w = 1 / (v[i] + t)
            s1 += w; s2 += w * w; swy += w * y[i]
        }
        let beta = swy / s1
        var q = 0.0, qpp = 0.0, swu = 0.0, swu2 = 0.0
        for i in y.indices {
            let w = 1 / (v[i] + t), r = y[i] - beta
            q += w * r * r
            qpp += w * w * r * r
            swu += w * w * r
            swu2 += w * w * w * r * r
        }
        return ["Q": q, "QPP": qpp, "QPPP": swu2 - swu * swu / s1, "S1": s1, "S2": s2]
    }

    @Test("a pilot centre far from the weighted mean (and effects far from 0) costs no accuracy", arguments: [0.0, 1e6])
    func adversarialCentre(offset: Double) {
        // Every 97th study (the pilot's stride at this k) sits at +50 with a tiny weight, the rest around 0:
        // the pilot's centre is ~50, the weighted mean ~0, so the pass is repeated about the corrected centre.
        let k = 99_328
        var (y, v) = Self.simulate(k: k, mu: 0, seed: 21)
        for i in stride(from: 0, to: k, by: k / 1024) { y[i] = 50; v[i] = 100 }
        let shifted = y.map { $0 + offset }
        // fl(y + offset) − offset is exact (Sterbenz), and the sums are invariant to a common shift, so the direct
        // evaluation on the small values is the reference (a direct two-pass evaluation on `shifted` itself carries
        // the rounding of β̂ ≈ 10⁶ into every residual).
        let exact = shifted.map { $0 - offset }
        let kernel = InterceptOnlyKernel(effects: shifted, variances: v)
        for t in [0.0, 0.04, 3.0] {
            let f = kernel.fit(tauSquared: t, includingLikelihoodTerms: false)
            let d = Self.direct(exact, v, t)
            for (name, a) in [("Q", f.residualQ), ("QPP", f.residualQPP), ("QPPP", f.residualQPPP), ("S1", f.sumOfWeights),
                              ("S2", f.sumOfSquaredWeights)] {
                let b = d[name]!
                #expect(abs(a - b) <= 1e-10 * abs(b), "\(name) at τ² = \(t), offset \(offset): \(a) vs direct \(b)")
            }
        }
    }

    @Test("k = 5,000: Σ log(v + τ²) from products of significands equals the sum of logarithms (also with a subnormal v)")
    func logSum() {
        var (y, v) = Self.simulate(k: 5_000, seed: 31)
        v[17] = 1e3
        for subnormal in [false, true] {
            if subnormal { v[4_001] = Double.leastNormalMagnitude / 4 }
            let kernel = InterceptOnlyKernel(effects: y, variances: v)
            for t in [0.0, 0.04, 7.5] {
                let direct = v.reduce(0.0) { $0 + log($1 + t) }
                let f = kernel.fit(tauSquared: t)
                #expect(abs(f.sumLogVariances - direct) <= 1e-12 * abs(direct), "τ² = \(t): \(f.sumLogVariances) vs \(direct)")
            }
        }
    }

    @Test("k = 5,000: Hedges' τ² and SE from the one-pass equal-weight moments equal the textbook formulas")
    func hedgesLargeK() throws {
        let (y, v) = Self.simulate(k: 5_000, seed: 5)
        let k = Double(y.count)
        let mean = y.reduce(0, +) / k
        let q = y.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
        let sv = v.reduce(0, +)
        // Hedges (1983): τ² = (Σ (y − ȳ)² − (k − 1)/k Σ v) / (k − 1), the OLS method of moments.
        let tau2 = (q - sv * (k - 1) / k) / (k - 1)
        let s = v.map { $0 + tau2 }
        let ss = s.reduce(0, +), ss2 = s.reduce(0.0) { $0 + $1 * $1 }
        let se = (2 * (ss2 - 2 * ss2 / k + (ss / k) * (ss / k))).squareRoot() / (k - 1)
        let e = try TauSquaredEstimator.hedges.estimate(on: InterceptOnlyKernel(effects: y, variances: v))
        #expect(abs(e.tauSquared - tau2) <= 1e-12 * tau2)
        let eSE = try #require(e.standardError)
        #expect(abs(eSE - se) <= 1e-12 * se)
    }
}
