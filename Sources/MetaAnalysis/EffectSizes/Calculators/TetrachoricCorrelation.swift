#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// The tetrachoric correlation of a 2×2 table (Pearson 1900): the correlation ρ of a standard bivariate normal
/// (X, Y) dichotomised at thresholds h, k so that the four cells have the table's probabilities. The model has three
/// parameters for three free cell probabilities, so at the maximum likelihood estimate h = Φ⁻¹((a + b)/n),
/// k = Φ⁻¹((a + c)/n) and ρ solves Φ₂(h, k; ρ) = a/n. Its variance is [I⁻¹]_ρρ with the multinomial information
/// I = n Jᵀ diag(1/p) J, J the derivatives of the cell probabilities in (ρ, h, k): ∂Φ₂/∂ρ = φ₂(h, k; ρ),
/// ∂Φ₂/∂h = φ(h) Φ((k − ρh)/√(1 − ρ²)) (Drezner & Wesolowsky 1990 for the derivatives; at the saturated optimum the
/// observed information equals this expected one). Φ₂ is Φ(h)Φ(k) + ∫₀^ρ φ₂(h, k; r) dr (Plackett 1954).
enum TetrachoricCorrelation {
    /// (ρ̂, Var ρ̂) for the cells a (both 1), b, c, d; nil when a cell or margin is empty (no interior estimate).
    static func estimate(a: Double, b: Double, c: Double, d: Double) -> (rho: Double, variance: Double)? {
        guard a > 0, b > 0, c > 0, d > 0 else { return nil }
        let n = a + b + c + d
        let h = Normal.quantile((a + b) / n), k = Normal.quantile((a + c) / n)
        let target = a / n
        guard let root = try? Brent.root(lower: -1 + 1e-15, upper: 1 - 1e-15, absoluteTolerance: 1e-16,
                                         relativeTolerance: 2 * .ulpOfOne, { r in (try bivariateCDF(h, k, r)) - target })
        else { return nil }
        let rho = root.x
        let s = (1 - rho * rho).squareRoot()
        let d11 = [density(h, k, rho), Normal.density(h) * Normal.cdf((k - rho * h) / s), Normal.density(k) * Normal.cdf((h - rho * k) / s)]
        let dp1 = [0, Normal.density(h), 0], dq1 = [0, 0, Normal.density(k)]
        let jacobian = [d11, (0..<3).map { dp1[$0] - d11[$0] }, (0..<3).map { dq1[$0] - d11[$0] },
                        (0..<3).map { d11[$0] - dp1[$0] - dq1[$0] }]
        let p = [a / n, b / n, c / n, d / n]
        var info = [[Double]](repeating: [0, 0, 0], count: 3)
        for cell in 0..<4 {
            for i in 0..<3 { for j in 0..<3 { info[i][j] += n * jacobian[cell][i] * jacobian[cell][j] / p[cell] } }
        }
        // [I⁻¹]₁₁ = det(I without row/column 1)/det(I).
        let minor = info[1][1] * info[2][2] - info[1][2] * info[2][1]
        let det = info[0][0] * minor - info[0][1] * (info[1][0] * info[2][2] - info[1][2] * info[2][0])
            + info[0][2] * (info[1][0] * info[2][1] - info[1][1] * info[2][0])
        return (rho, minor / det)
    }

    static func density(_ h: Double, _ k: Double, _ r: Double) -> Double {
        let q = 1 - r * r
        return exp(-(h * h - 2 * r * h * k + k * k) / (2 * q)) / (2 * Double.pi * q.squareRoot())
    }

    /// Φ₂(h, k; ρ) by Plackett's identity, integrated adaptively to ~1e-15.
    static func bivariateCDF(_ h: Double, _ k: Double, _ rho: Double) throws -> Double {
        let base = Normal.cdf(h) * Normal.cdf(k)
        guard rho != 0 else { return base }
        let (lower, upper) = rho > 0 ? (0.0, rho) : (rho, 0.0)
        let result = try AdaptiveGaussLegendre.integrate(from: lower, to: upper, initialPanels: 4, components: 1,
                                                         relativeTolerance: 1e-14, absoluteTolerance: 1e-300) { r, out in
            out[0] = density(h, k, r)
        }
        return base + (rho > 0 ? result.integrals[0] : -result.integrals[0])
    }
}
