#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gauss–Hermite quadrature: ∫ f(x) e^(−x²) dx ≈ Σ wᵢ f(xᵢ), exact for polynomials of degree ≤ 2n − 1.
///
/// Nodes and weights by Golub & Welsch (1969, Math. Comp. 23:221): the nodes are the eigenvalues of the
/// symmetric tridiagonal Jacobi matrix of the Hermite recurrence (zero diagonal, off-diagonal √(k/2)).
/// Each node is then polished by Newton's method on the orthonormal Hermite polynomial pₙ, and each
/// weight is computed as the Christoffel number wᵢ = 1/Σₖ₌₀ⁿ⁻¹ pₖ(xᵢ)² (Gautschi 2004, §3.1.1), which,
/// unlike the squared first eigenvector component, keeps full relative accuracy for the tiny outer weights.
public struct GaussHermite: Sendable {
    /// Nodes in ascending order.
    public let nodes: [Double]
    /// Weights for the weight function e^(−x²) (they sum to √π).
    public let weights: [Double]

    /// The most nodes a rule may have: the Jacobi matrix is n × n, and the rule is verified up to this n.
    public static let maximumCount = 500

    /// The n-point rule, 1 ≤ n ≤ ``maximumCount``.
    /// - Throws: ``NumericsError/invalidArgument(name:value:expected:)`` for n outside 1 ... ``maximumCount``;
    ///   ``NumericsError`` if the eigen-solver fails (it does not for any n tried up to 500).
    public init(count n: Int) throws {
        guard n >= 1, n <= Self.maximumCount else {
            throw NumericsError.invalidArgument(name: "Gauss–Hermite nodes", value: String(n), expected: "1 to \(Self.maximumCount)")
        }
        var jacobi = Matrix(rows: n, columns: n)
        for k in 1..<max(n, 1) {
            let offDiagonal = (Double(k) / 2).squareRoot()
            jacobi[k, k - 1] = offDiagonal
            jacobi[k - 1, k] = offDiagonal
        }
        let eigen = try SymmetricEigenDecomposition(jacobi)
        var nodes = eigen.eigenvalues
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var x = nodes[i]
            for _ in 0..<3 {
                let (pn, pnMinus1, _) = Self.orthonormal(n, at: x)
                let derivative = (2 * Double(n)).squareRoot() * pnMinus1
                let step = pn / derivative
                if !step.isFinite { break }
                x -= step
                if abs(step) <= 1e-16 * max(1, abs(x)) { break }
            }
            nodes[i] = x
            weights[i] = 1 / Self.orthonormal(n, at: x).sumOfSquares
        }
        // Symmetrise: the rule is exactly symmetric about 0.
        for i in 0..<(n / 2) {
            let x = 0.5 * (nodes[n - 1 - i] - nodes[i])
            let w = 0.5 * (weights[i] + weights[n - 1 - i])
            nodes[i] = -x; nodes[n - 1 - i] = x
            weights[i] = w; weights[n - 1 - i] = w
        }
        if n % 2 == 1 { nodes[n / 2] = 0 }
        self.nodes = nodes
        self.weights = weights
    }

    /// pₙ(x), pₙ₋₁(x) and Σₖ₌₀ⁿ⁻¹ pₖ(x)² for the orthonormal Hermite polynomials
    /// p₀ = π^(−1/4), pₖ₊₁ = √(2/(k+1))·x·pₖ − √(k/(k+1))·pₖ₋₁.
    static func orthonormal(_ n: Int, at x: Double) -> (pn: Double, pnMinus1: Double, sumOfSquares: Double) {
        var previous = 0.0
        var current = pow(Double.pi, -0.25)
        var sum = 0.0
        for k in 0..<n {
            sum += current * current
            let next = (2 / Double(k + 1)).squareRoot() * x * current - (Double(k) / Double(k + 1)).squareRoot() * previous
            previous = current
            current = next
        }
        return (current, previous, sum)
    }

    /// E[f(Z)] for Z ~ N(μ, σ²) by this rule: Σ (wᵢ/√π)·f(μ + σ√2·xᵢ).
    public func expectation(mean: Double = 0, standardDeviation: Double = 1, _ f: (Double) throws -> Double) rethrows -> Double {
        var total = 0.0
        let scale = standardDeviation * 2.0.squareRoot()
        for (x, w) in zip(nodes, weights) {
            total += w * (try f(mean + scale * x))
        }
        return total / Double.pi.squareRoot()
    }
}
