import MetaAnalysis
import Testing

/// `--pi`: the prediction interval μ̂ ∓ c √(SE² + τ̂²) on the BCG trials (log RR, REML), c by the chosen distribution.
/// Quantiles from R 4.2.2 (`qt`, `qnorm`); metafor 3.8-1's `predict(res, pi.type = "riley")` prints [-2.0084, 0.5793].
@Suite("Prediction interval distributions (--pi)")
struct PredictionIntervalDistributionTests {
    static let z975 = 1.9599639845400536
    static let t975 = [10: 2.2281388519862739, 11: 2.2009851600916388, 12: 2.1788128296672284]

    static func fit(test: CoefficientTest, pi: PredictionIntervalDistribution) throws -> RandomEffectsModel {
        let es = try BCGData.effectSizes(.logRiskRatio)
        return try RandomEffectsModel.fit(effectSizes: es.yi, samplingVariances: es.vi,
                                          options: RandomEffectsOptions(test: test, predictionInterval: pi))
    }

    @Test("PI half-width = c · √(SE² + τ̂²)", arguments: [
        (CoefficientTest.z, PredictionIntervalDistribution.followsTest, z975),
        (.knha, .followsTest, t975[12]!),
        (.knha, .z, z975),
        (.z, .t, t975[12]!),
        (.z, .riley, t975[11]!),
        (.knha, .riley, t975[11]!),
    ])
    func halfWidth(test: CoefficientTest, pi: PredictionIntervalDistribution, c: Double) throws {
        let m = try Self.fit(test: test, pi: pi)
        let p = m.prediction
        let half = c * (m.standardError * m.standardError + m.tauSquared).squareRoot()
        #expect(abs(p.predictionLower - (m.estimate - half)) <= 1e-12)
        #expect(abs(p.predictionUpper - (m.estimate + half)) <= 1e-12)
        // The CI is the test's whatever the PI distribution.
        #expect(p.confidenceLower == m.confidenceLower && p.confidenceUpper == m.confidenceUpper)
    }

    @Test("Riley PI on BCG matches metafor's pi.type = \"riley\" to its printed digits")
    func rileyMatchesMetafor() throws {
        let p = try Self.fit(test: .z, pi: .riley).prediction
        #expect(abs(p.predictionLower - -2.0084) <= 0.00005)
        #expect(abs(p.predictionUpper - 0.5793) <= 0.00005)
    }

    @Test("Riley uses k − p − 1 df with moderators; below 1 the df are floored at 1 (metafor's predict.rma), never an unbounded PI")
    func rileyDegreesOfFreedom() throws {
        #expect(PredictionIntervalDistribution.riley.criticalValue(studyCount: 13, coefficientCount: 2, alpha: 0.05, testCritical: 0)
            == Self.fitQuantile(10))
        // Issue 16 defect 5: at k = 2 the PI was (−∞, ∞); qt(0.975, 1) = 12.706204736174694 (R 4.2.2).
        let floored = PredictionIntervalDistribution.riley.criticalValue(studyCount: 2, coefficientCount: 1, alpha: 0.05, testCritical: 0)
        #expect(abs(floored - 12.706204736174694) < 1e-10 * 12.7, "\(floored)")
        #expect(PredictionIntervalDistribution.t.criticalValue(studyCount: 1, coefficientCount: 1, alpha: 0.05, testCritical: 0) == floored)
        #expect(PredictionIntervalDistribution.followsTest.criticalValue(studyCount: 2, coefficientCount: 1, alpha: 0.05, testCritical: 1.5)
            == 1.5)
    }

    static func fitQuantile(_ df: Int) -> Double {
        let c = PredictionIntervalDistribution.t.criticalValue(studyCount: df + 1, coefficientCount: 1, alpha: 0.05, testCritical: 0)
        #expect(abs(c - t975[df]!) <= 1e-12)
        return c
    }
}
