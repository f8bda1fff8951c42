#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// Adaptive Gauss–Hermite quadrature of one study's marginal likelihood (Liu & Pierce 1994; Pinheiro &
/// Bates 1995):
///
///     Lᵢ = ∫ p(yᵢ | u) φ(u; 0, τ²) du ≈ σ̂ √(2π) Σ_q w_q exp(h(û + σ̂ z_q) + z_q²/2)
///
/// with h(u) = log p(yᵢ | u) + log φ(u; 0, τ²), û its mode, σ̂ = (−h″(û))^−½, and (z_q, w_q) the Q-point
/// Gauss–Hermite rule for the standard normal (weights summing to 1). Q = 1 is the Laplace approximation.
/// The rule is centred and scaled per study at every parameter value, so a few points are accurate.
struct AdaptiveGaussHermite: Sendable {
    let points: Int
    /// Standard-normal nodes z = √2·x and weights w/√π of the physicists' rule.
    let nodes: [Double]
    let weights: [Double]

    init(points: Int) throws {
        let rule = try GaussHermite(count: points)
        self.points = points
        nodes = rule.nodes.map { $0 * 2.0.squareRoot() }
        weights = rule.weights.map { $0 / Double.pi.squareRoot() }
    }

    struct Result {
        /// log Lᵢ.
        var logLikelihood: Double
        /// The conditional mode û.
        var mode: Double
        /// log p(yᵢ | û): the conditional log-likelihood at the mode.
        var conditionalAtMode: Double
    }

    /// The study's log marginal likelihood at (β, α, τ). τ = 0 gives log p(yᵢ | 0) exactly.
    func logLikelihood(_ study: ConditionalLikelihood, beta: Double, alpha: Double, tau: Double,
                       startingMode: Double = 0) -> Result {
        if tau == 0 {
            let v = study.evaluate(u: 0, beta: beta, alpha: alpha).value
            return Result(logLikelihood: v, mode: 0, conditionalAtMode: v)
        }
        let precision = 1 / (tau * tau)
        let logNormal = -log(tau) - 0.5 * log(2 * Double.pi)
        func h(_ u: Double) -> (Double, Double, Double) {
            let c = study.evaluate(u: u, beta: beta, alpha: alpha)
            return (c.value - 0.5 * precision * u * u + logNormal, c.d1 - precision * u, c.d2 - precision)
        }
        // Newton on h′ = 0 with step halving: h is strictly concave, so this reaches the unique mode.
        var u = startingMode.isFinite ? startingMode : 0
        var (hu, g, curvature) = h(u)
        for _ in 0..<200 {
            var step = -g / curvature
            var candidate = h(u + step)
            var halvings = 0
            while !(candidate.0 >= hu - 1e-12 * abs(hu)) && halvings < 60 {
                step *= 0.5
                candidate = h(u + step)
                halvings += 1
            }
            u += step
            (hu, g, curvature) = candidate
            if abs(step) <= 1e-13 * max(1, abs(u)) { break }
        }
        let scale = 1 / (-curvature).squareRoot()
        var terms = [Double](repeating: 0, count: points)
        var largest = -Double.infinity
        for q in 0..<points {
            let z = nodes[q]
            terms[q] = h(u + scale * z).0 + 0.5 * z * z
            largest = max(largest, terms[q])
        }
        var sum = 0.0
        for q in 0..<points { sum += weights[q] * exp(terms[q] - largest) }
        let value = log(scale) + 0.5 * log(2 * Double.pi) + largest + log(sum)
        return Result(logLikelihood: value, mode: u, conditionalAtMode: study.evaluate(u: u, beta: beta, alpha: alpha).value)
    }
}
