import Foundation
import MetaNumerics
import Testing

@Suite("Gauss–Legendre quadrature")
struct GaussLegendreTests {
    /// Abramowitz & Stegun (1964), Table 25.4, n = 5 (15 digits).
    @Test func abramowitzStegunFivePoints() {
        let rule = GaussLegendre(count: 5)
        let nodes = [0, 0.538469310105683, 0.906179845938664]
        let weights = [0.568888888888889, 0.478628670499366, 0.236926885056189]
        for k in 0..<3 {
            #expect(abs(rule.nodes[2 + k] - nodes[k]) <= 1e-15)
            #expect(abs(rule.weights[2 + k] - weights[k]) <= 1e-15)
            #expect(rule.nodes[2 - k] == -rule.nodes[2 + k])
        }
    }

    /// The n-point rule integrates x^(2n−2) exactly (and the weights sum to 2).
    @Test(arguments: [1, 2, 7, 20, 64])
    func polynomialExactness(n: Int) {
        let rule = GaussLegendre(count: n)
        #expect(abs(rule.weights.reduce(0, +) - 2) <= 1e-14)
        let degree = 2 * n - 2
        let exact = 2 / Double(degree + 1)
        let value = rule.integrate(from: -1, to: 1) { pow($0, Double(degree)) }
        // A sum of n terms below 1: rounding is ~n·ε absolute.
        #expect(abs(value - exact) <= Double(n) * 4 * .ulpOfOne)
    }

    /// A sharply peaked integrand: ∫₋₁¹ dx/(ε² + x²) = 2·atan(1/ε)/ε; the adaptive rule refines around 0 and its
    /// error estimate bounds the true error.
    @Test func adaptiveResolvesAPeak() throws {
        let epsilon = 1e-3
        let exact = 2 * atan(1 / epsilon) / epsilon
        let result = try AdaptiveGaussLegendre.integrate(from: -1, to: 1, initialPanels: 1, components: 2,
                                                         relativeTolerance: 1e-12) { x, out in
            out[0] = 1 / (epsilon * epsilon + x * x)
            out[1] = x * x / (epsilon * epsilon + x * x)
        }
        #expect(abs(result.integrals[0] - exact) <= 1e-12 * exact)
        #expect(abs(result.integrals[0] - exact) <= max(result.errorEstimates[0], 1e-15 * exact))
        #expect(result.panels.count > 1)
        // The returned composite rule integrates other functions on the same nodes.
        var sum = 0.0
        for (x, w) in zip(result.nodes, result.weights) { sum += w / (epsilon * epsilon + x * x) }
        #expect(abs(sum - exact) <= 1e-12 * exact)
    }

    /// The panel cap is a hard limit, reported as a typed error; a non-finite integrand is refused.
    @Test func capAndGuard() {
        #expect(throws: NumericsError.self) {
            _ = try AdaptiveGaussLegendre.integrate(from: -1, to: 1, initialPanels: 1, components: 1,
                                                    relativeTolerance: 1e-15, maxPanels: 3) { x, out in
                out[0] = 1 / (1e-12 + x * x)
            }
        }
        #expect(throws: NumericsError.nonFiniteValue(at: 0)) {
            _ = try AdaptiveGaussLegendre.integrate(from: -1, to: 1, initialPanels: 1, rule: GaussLegendre(count: 3),
                                                    components: 1) { x, out in out[0] = x == 0 ? .nan : 1 }
        }
    }
}
