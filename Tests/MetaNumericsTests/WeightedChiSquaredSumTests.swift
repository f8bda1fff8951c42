import Foundation
import MetaNumerics
import Testing

@Suite("WeightedChiSquaredSum")
struct WeightedChiSquaredSumTests {
    /// X₁ + X₂ ~ χ²₂ = Exp(mean 2) and 2(X₃ + X₄) ~ Exp(mean 4): the sum of independent exponentials with
    /// means a ≠ b has cdf 1 − (b e^{−x/b} − a e^{−x/a})/(b − a) (hypoexponential distribution).
    @Test("pairs of equal weights: hypoexponential closed form", arguments: [0.1, 1, 3, 7.5, 20, 60])
    func hypoexponential(x: Double) throws {
        let d = try WeightedChiSquaredSum(weights: [1, 1, 2, 2])
        let exact = 1 - (4 * exp(-x / 4) - 2 * exp(-x / 2)) / 2
        #expect(abs(try d.cdf(x) - exact) < 1e-14)
    }

    /// Equal weights c: Q/c ~ χ²_n, whose cdf for even n is 1 − e^{−x/2} Σ_{j<n/2} (x/2)^j / j!.
    @Test("equal weights reduce to a scaled χ²", arguments: [0.5, 4, 9, 30])
    func equalWeights(x: Double) throws {
        let d = try WeightedChiSquaredSum(weights: Array(repeating: 1.5, count: 6))
        let z = x / 1.5 / 2
        let exact = 1 - exp(-z) * (1 + z + z * z / 2)
        #expect(abs(try d.cdf(x) - exact) < 1e-14)
    }

    /// `Fixtures/weighted_chisq.json`, made once by `Fixtures/make_weighted_chisq.py`: mpmath at 120 digits, two
    /// Ruben expansions (about λ_min and about the harmonic midpoint, the latter cancelling catastrophically in
    /// double precision) agreeing to 1e-40, for k = 10, 160 and 1000 weights at μ + zσ, z = −4…5 (x > 0). Both tails
    /// are held at 1e-12 relative (`cdf` and `survival`), and 1 − cdf at 1e-12 where the upper tail is ≥ 1e-3.
    @Test("high-precision reference at k = 10, 160, 1000", arguments: ["k10", "k160", "k1000"])
    func highPrecisionReference(set name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/weighted_chisq.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let sets = try #require(root["sets"] as? [[String: Any]])
        let set = try #require(sets.first { $0["name"] as? String == name })
        let weights = try #require(set["weights"] as? [Double])
        let points = try #require(set["points"] as? [[String: Double]])
        #expect(weights.count == Int(name.dropFirst())!)
        #expect(points.count >= 7)
        let d = try WeightedChiSquaredSum(weights: weights)
        var worst = 0.0
        for point in points {
            let x = try #require(point["x"]), cdf = try #require(point["cdf"]), sf = try #require(point["sf"])
            let ours = try d.cdf(x)
            let relative = abs(ours - cdf) / cdf
            worst = max(worst, relative)
            #expect(relative <= 1e-12, "k = \(weights.count), x = \(x): cdf \(ours) vs \(cdf)")
            let oursSurvival = try d.survival(x)
            let relativeSurvival = abs(oursSurvival - sf) / sf
            worst = max(worst, relativeSurvival)
            #expect(relativeSurvival <= 1e-12, "k = \(weights.count), x = \(x): survival \(oursSurvival) vs \(sf)")
            if sf >= 1e-3 {
                let complement = abs((1 - ours) - sf) / sf
                worst = max(worst, complement)
                #expect(complement <= 1e-12, "k = \(weights.count), x = \(x): 1 - cdf \(1 - ours) vs \(sf)")
            }
        }
        print("weighted chi-square \(name): worst relative error \(worst)")
    }

    /// The old expansion point (β = 2/(1/λ_min + 1/λ_max)) made the coefficients alternate in sign and lost every
    /// digit from ~150 weights on: a weight spread it cannot resolve now ends in a typed error, never a clamped value.
    @Test("a series that cannot reach its accuracy throws")
    func tooManyTerms() throws {
        let d = try WeightedChiSquaredSum(weights: [1e-6] + Array(repeating: 1.0, count: 50))
        #expect(throws: WeightedChiSquaredSum.Failure.seriesDidNotConverge(terms: WeightedChiSquaredSum.maximumTerms)) {
            try d.cdf(50)
        }
    }

    @Test("a non-positive weight is rejected")
    func badWeight() {
        #expect(throws: WeightedChiSquaredSum.Failure.nonPositiveWeight(0)) { try WeightedChiSquaredSum(weights: [1, 0]) }
    }
}
