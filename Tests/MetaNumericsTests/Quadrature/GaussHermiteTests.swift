import Foundation
import MetaNumerics
import Testing

@Suite("Gauss–Hermite quadrature")
struct GaussHermiteTests {
    /// Abramowitz & Stegun (1964), Table 25.10, n = 7 (positive nodes and their weights, 15 digits).
    @Test func abramowitzStegunSevenPoints() throws {
        let rule = try GaussHermite(count: 7)
        let nodes = [0, 0.816287882858965, 1.673551628767471, 2.651961356835233]
        let weights = [0.810264617556807, 0.425607252610128, 0.0545155828191270, 0.000971781245099520]
        for k in 0..<4 {
            #expect(abs(rule.nodes[3 + k] - nodes[k]) <= 1e-15 * max(1, nodes[k]))
            #expect(abs(rule.weights[3 + k] / weights[k] - 1) <= 2e-14)
            #expect(rule.nodes[3 - k] == -rule.nodes[3 + k])
        }
    }

    /// Against `Fixtures/gauss_hermite.csv` (mpmath, 50 digits; made by make_gauss_hermite.py).
    @Test func fixture() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gauss_hermite.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst(2)
        var rules: [Int: GaussHermite] = [:]
        var worstNode = 0.0, worstWeight = 0.0
        for line in lines {
            let f = line.split(separator: ",").map(String.init)
            let n = Int(f[0])!, i = Int(f[1])!, x = Double(f[2])!, w = Double(f[3])!
            if rules[n] == nil { rules[n] = try GaussHermite(count: n) }
            let rule = rules[n]!
            worstNode = max(worstNode, abs(rule.nodes[i] - x) / max(1, abs(x)))
            worstWeight = max(worstWeight, abs(rule.weights[i] / w - 1))
        }
        print("Gauss–Hermite worst node error \(worstNode), worst relative weight error \(worstWeight)")
        #expect(rules.count == 6)
        #expect(worstNode <= 4e-15)
        #expect(worstWeight <= 1e-13)
    }

    /// ∫ x^(2k) e^(−x²) dx = Γ(k + ½), exactly integrated for 2k ≤ 2n − 1; odd moments vanish.
    @Test(arguments: [1, 2, 5, 10, 20])
    func integratesPolynomialsExactly(_ n: Int) throws {
        let rule = try GaussHermite(count: n)
        for degree in 0...(2 * n - 1) {
            let quadrature = zip(rule.nodes, rule.weights).reduce(0) { $0 + $1.1 * pow($1.0, Double(degree)) }
            let exact = degree % 2 == 1 ? 0 : tgamma(Double(degree / 2) + 0.5)
            // Rounding is relative to the size of the terms summed (odd moments cancel to 0).
            let scale = zip(rule.nodes, rule.weights).reduce(0) { $0 + $1.1 * pow(abs($1.0), Double(degree)) }
            #expect(abs(quadrature - exact) <= 1e-13 * scale, "n = \(n), degree \(degree)")
        }
    }

    @Test func normalExpectation() throws {
        let rule = try GaussHermite(count: 20)
        // E[exp(Z)] = e^(μ + σ²/2) for Z ~ N(μ, σ²).
        let value = rule.expectation(mean: 0.3, standardDeviation: 0.5) { exp($0) }
        #expect(abs(value / exp(0.3 + 0.125) - 1) < 1e-14)
    }
}
