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

    @Test("a non-positive weight is rejected")
    func badWeight() {
        #expect(throws: WeightedChiSquaredSum.Failure.nonPositiveWeight(0)) { try WeightedChiSquaredSum(weights: [1, 0]) }
    }
}
