import Foundation
import MetaData
import MetaAnalysis
import MetaNumerics
import Testing

/// Bad input and edge cases of `RandomEffectsModel.fit` (issue 4's list; DESIGN.md §7).
@Suite("Random-effects models: bad input and edge cases")
struct RandomEffectsEdgeCaseTests {
    @Test("k = 0 is a typed error")
    func noStudies() {
        #expect(throws: InputError.tooFewStudies(found: 0, needed: 1, analysis: "A meta-analytic model")) {
            try RandomEffectsModel.fit(effectSizes: [], samplingVariances: [])
        }
    }

    @Test("k = 1: the pooled estimate is the study; heterogeneity is not estimable and said so",
          arguments: CoefficientTest.allCases)
    func singleStudy(test: CoefficientTest) throws {
        let m = try RandomEffectsModel.fit(effectSizes: [0.4], samplingVariances: [0.04],
                                           options: RandomEffectsOptions(test: test))
        #expect(m.estimate == 0.4)
        #expect(abs(m.standardError - 0.2) < 1e-15)
        #expect(m.tauSquaredEstimate == nil && m.cochranQ == nil && m.iSquared == nil && m.hSquared == nil)
        #expect(m.diagnostics.contains(.singleStudy))
        #expect(m.testUsed == .z)
        #expect(abs(m.confidenceLower - (0.4 - Normal.quantile(0.975) * 0.2)) < 1e-14)
        #expect(try m.heterogeneityConfidenceIntervals() == nil)
    }

    @Test("k = 2 with every iterative estimator converges to τ² > 0",
          arguments: TauSquaredEstimator.allCases.filter(\.isIterative))
    func twoStudies(estimator: TauSquaredEstimator) throws {
        let m = try RandomEffectsModel.fit(effectSizes: [0.1, 0.9], samplingVariances: [0.02, 0.05], userWeights: [100, 40],
                                           options: RandomEffectsOptions(estimator: estimator))
        #expect(m.tauSquared > 0)
        #expect(m.degreesOfFreedom == 1)
        // Two studies: Q(τ²) = (y1 − y2)²/(v1 + v2 + 2τ²), so PM (Q = 1) has the closed form ((y1−y2)² − v1 − v2)/2.
        // DLIT (metafor >= 4.5-7) iterates the generalized-Q equation, whose fixed point is PM's.
        if estimator == .pauleMandel || estimator == .empiricalBayes || estimator == .iteratedSidikJonkman
            || estimator == .iteratedDerSimonianLaird {
            #expect(abs(m.tauSquared - (0.64 - 0.07) / 2) < 1e-12)
        }
    }

    @Test("identical effects give τ² = 0 for every estimator", arguments: TauSquaredEstimator.allCases)
    func identicalEffects(estimator: TauSquaredEstimator) throws {
        let m = try RandomEffectsModel.fit(effectSizes: [0.3, 0.3, 0.3, 0.3], samplingVariances: [0.01, 0.02, 0.05, 0.03],
                                           userWeights: [10, 20, 30, 40], options: RandomEffectsOptions(estimator: estimator, test: .z))
        #expect(m.tauSquared == 0)
        #expect(abs(m.estimate - 0.3) < 1e-15)
        #expect(m.cochranQ! < 1e-25)
        if [.derSimonianLaird, .hedges, .hunterSchmidt, .hunterSchmidtCorrected, .generalizedQ].contains(estimator) {
            #expect(m.diagnostics.contains { if case .tauSquaredTruncated = $0 { return true } else { return false } })
        }
    }

    @Test("equal variances: DL, HE, ML-free closed forms agree with the textbook one-way ANOVA formulas")
    func equalVariances() throws {
        let y = [0.1, 0.5, -0.2, 0.8, 0.3]
        let v = 0.04
        let mean = y.reduce(0, +) / 5
        let s2 = y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
        for estimator in [TauSquaredEstimator.derSimonianLaird, .hedges, .restrictedMaximumLikelihood, .pauleMandel] {
            let m = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: Array(repeating: v, count: 5),
                                               options: RandomEffectsOptions(estimator: estimator, test: .z))
            // With v_i ≡ v every moment and REML estimator equals s² − v (Viechtbauer 2005, section 3).
            #expect(abs(m.tauSquared - (s2 - v)) < 1e-12, "\(estimator.rawValue)")
            #expect(abs(m.estimate - mean) < 1e-15)
        }
    }

    @Test("a zero or negative sampling variance is a typed error naming the study",
          arguments: [0.0, -0.01])
    func nonPositiveVariance(value: Double) {
        #expect(throws: InputError.nonPositiveVariance(study: "Murrough 2013", row: 2, value: value)) {
            try RandomEffectsModel.fit(effectSizes: [0.1, 0.2, 0.3], samplingVariances: [0.01, value, 0.02],
                                       studies: ["Zarate 2006", "Murrough 2013", "Singh 2016"])
        }
    }

    @Test("non-finite effect sizes, variances or weights are typed errors")
    func nonFinite() {
        #expect(throws: InputError.notFinite(row: 2, column: "yi", value: "nan")) {
            try RandomEffectsModel.fit(effectSizes: [0.1, .nan], samplingVariances: [0.01, 0.02])
        }
        #expect(throws: InputError.notFinite(row: 1, column: "vi", value: "inf")) {
            try RandomEffectsModel.fit(effectSizes: [0.1, 0.2], samplingVariances: [.infinity, 0.02])
        }
        #expect(throws: InputError.outOfRange(row: 2, column: "weights", value: -1, expected: "a positive finite weight")) {
            try RandomEffectsModel.fit(effectSizes: [0.1, 0.2], samplingVariances: [0.01, 0.02], userWeights: [1, -1],
                                       options: RandomEffectsOptions(estimator: .generalizedQ))
        }
    }

    @Test("GENQ and GENQM without user weights are a typed error", arguments: [TauSquaredEstimator.generalizedQ, .generalizedQMedian])
    func missingWeights(estimator: TauSquaredEstimator) {
        #expect(throws: EstimationError.userWeightsRequired(estimator: estimator)) {
            try RandomEffectsModel.fit(effectSizes: [0.1, 0.2, 0.5], samplingVariances: [0.01, 0.02, 0.03],
                                       options: RandomEffectsOptions(estimator: estimator))
        }
    }

    @Test("DLIT converges to the Paule–Mandel estimate where metafor 3.8-1's update cycled")
    func dlitReachesPauleMandel() throws {
        // hackshaw1998 (metadat): metafor 3.8-1's DLIT alternated between two values forever; metafor >= 4.5-7
        // iterates the generalized-Q equation, whose fixed point is PM (bank README, "metafor 5.1-12 behaviour").
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ConformanceTests/Bank/data/hackshaw1998.csv")
        let table = try DataTable(contentsOfFile: url.path)
        let y = try table.numbers("yi", neededBy: "test"), v = try table.numbers("vi", neededBy: "test")
        let dlit = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: RandomEffectsOptions(estimator: .iteratedDerSimonianLaird))
        let pm = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: RandomEffectsOptions(estimator: .pauleMandel))
        #expect(dlit.tauSquared > 0)
        // Both solvers stop at steps of 1e-13 (absolute below τ² = 1), so they agree to ~1e-13 absolute.
        #expect(abs(dlit.tauSquared - pm.tauSquared) <= 1e-12)
    }

    @Test("FE and CE parse as EE; unknown codes do not")
    func estimatorCodes() {
        #expect(TauSquaredEstimator(code: "FE") == .commonEffect)
        #expect(TauSquaredEstimator(code: "CE") == .commonEffect)
        #expect(TauSquaredEstimator(code: "REML") == .restrictedMaximumLikelihood)
        #expect(TauSquaredEstimator(code: "reml") == nil)
    }

    @Test("permuting studies changes nothing; scaling y by c scales μ̂ by c and τ² by c²")
    func invariances() throws {
        let y = [-0.581, 0.530, 0.771, 1.031, 0.553, 0.295, 0.078, 0.573, -0.176, -0.232]
        let v = [0.023, 0.052, 0.060, 0.115, 0.095, 0.203, 0.200, 0.211, 0.051, 0.040]
        let order = [3, 7, 0, 9, 1, 5, 2, 8, 6, 4]
        for estimator in TauSquaredEstimator.allCases where !estimator.needsUserWeights {
            let options = RandomEffectsOptions(estimator: estimator, test: .z)
            let a = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: options)
            let b = try RandomEffectsModel.fit(effectSizes: order.map { y[$0] }, samplingVariances: order.map { v[$0] }, options: options)
            #expect(abs(a.tauSquared - b.tauSquared) <= 1e-12 * max(1, a.tauSquared), "\(estimator.rawValue)")
            #expect(abs(a.estimate - b.estimate) <= 1e-12)
            let c = 3.0
            let s = try RandomEffectsModel.fit(effectSizes: y.map { c * $0 }, samplingVariances: v.map { c * c * $0 }, options: options)
            #expect(abs(s.tauSquared - c * c * a.tauSquared) <= 1e-10 * max(1, a.tauSquared), "\(estimator.rawValue)")
            #expect(abs(s.estimate - c * a.estimate) <= 1e-12)
        }
    }
}
