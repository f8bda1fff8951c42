import Foundation
import MetaNumerics
import Testing

/// ₂F₁ against closed forms (Abramowitz & Stegun 15.1.3, 15.1.20 and 15.1.11).
@Suite("hypergeometric2F1")
struct HypergeometricTests {
    @Test func closedForms() {
        for z in [0.0, 0.1, 0.5, 0.9, 0.999] {
            // ₂F₁(1, 1; 2; z) = −log(1 − z)/z
            let expected = z == 0 ? 1 : -log1p(-z) / z
            #expect(abs(hypergeometric2F1(1, 1, 2, z) - expected) <= 1e-13 * expected, "z = \(z)")
            // ₂F₁(a, b; b; z) = (1 − z)^(−a)
            let power = pow(1 - z, -0.5)
            #expect(abs(hypergeometric2F1(0.5, 3, 3, z) - power) <= 1e-13 * power, "z = \(z)")
        }
        // Gauss's theorem at z = 1: ₂F₁(1, 1; 4; 1) = Γ(4)Γ(2)/(Γ(3)Γ(3)) = 3/2.
        #expect(abs(hypergeometric2F1(1, 1, 4, 1) - 1.5) <= 1e-13)
        // Outside the domain, and a series that cannot converge within the cap: NaN, never a hang.
        #expect(hypergeometric2F1(1, 1, 2, 1.5).isNaN)
        #expect(hypergeometric2F1(0.5, 0.5, 0.5, 1 - 1e-15, maximumTerms: 1000).isNaN)
    }
}
