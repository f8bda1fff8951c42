#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// One study's log-likelihood given its random effect u, with the first two derivatives in u.
///
/// Every model here is log-concave in u (binomial with logit link; the conditional hypergeometric in its
/// natural parameter), so the integrand of the marginal likelihood has a single mode.
struct ConditionalLikelihood: Sendable {
    enum Kind: Sendable {
        /// x events of n with logit p = μ + u (UM.FS for PLO).
        case proportion(x: Double, n: Double, logChoose: Double)
        /// a of n₁ and c of n₂ with logit p₁ = α + β + u/2, logit p₂ = α − u/2 (UM.FS for OR).
        case twoArm(a: Double, n1: Double, c: Double, n2: Double, logChoose: Double)
        /// a given all margins, Fisher's noncentral hypergeometric with log odds ratio θ = β + u (CM.EL for OR).
        case conditional(FisherNoncentralHypergeometric, a: Double)
    }

    let kind: Kind

    /// log p(yᵢ | u) and its derivatives in u, for the fixed effects `beta` and the study's own `alpha`
    /// (UM.FS OR only).
    func evaluate(u: Double, beta: Double, alpha: Double) -> (value: Double, d1: Double, d2: Double) {
        switch kind {
        case let .proportion(x, n, logChoose):
            let (l, p) = Self.binomial(x, n, eta: beta + u)
            return (logChoose + l, x - n * p, -n * p * (1 - p))
        case let .twoArm(a, n1, c, n2, logChoose):
            let (l1, p1) = Self.binomial(a, n1, eta: alpha + beta + 0.5 * u)
            let (l2, p2) = Self.binomial(c, n2, eta: alpha - 0.5 * u)
            return (logChoose + l1 + l2, 0.5 * (a - n1 * p1) - 0.5 * (c - n2 * p2),
                    -0.25 * (n1 * p1 * (1 - p1) + n2 * p2 * (1 - p2)))
        case let .conditional(distribution, a):
            let m = distribution.moments(logOddsRatio: beta + u)
            return (distribution.logProbability(a, logNormalizer: m.logNormalizer, logOddsRatio: beta + u),
                    a - m.mean, -m.variance)
        }
    }

    /// x·η − n·log(1 + e^η) without overflow, and p = expit(η).
    static func binomial(_ x: Double, _ n: Double, eta: Double) -> (Double, Double) {
        let softplus = eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))
        let p = eta > 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
        return (x * eta - n * softplus, p)
    }

    /// log C(n, x).
    static func logChoose(_ n: Double, _ x: Double) -> Double {
        logGamma(n + 1) - logGamma(x + 1) - logGamma(n - x + 1)
    }

    /// The binomial log-likelihood at p = x/n (the saturated model's contribution), with log C(n, x).
    static func saturatedBinomial(_ x: Double, _ n: Double) -> Double {
        var l = logChoose(n, x)
        if x > 0 { l += x * log(x / n) }
        if x < n { l += (n - x) * log((n - x) / n) }
        return l
    }
}
