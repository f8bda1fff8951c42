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
        /// x events of n with logit p = offset + μ + u (UM.FS for PLO, offset 0; CM.AL for OR and the conditional
        /// models for IRR, where x = a of a + c with offset log(n₁/n₂), or x₁ of x₁ + x₂ with offset log(t₁/t₂)).
        case proportion(x: Double, n: Double, offset: Double, logChoose: Double)
        /// x events in person-time t with log rate μ + u: Poisson (UM.FS for IRLN).
        case count(x: Double, t: Double, constant: Double)
        /// x₁ in t₁ and x₂ in t₂ with log rates α + β + u/2 and α − u/2: Poisson (UM.FS for IRR).
        case twoArmCount(x1: Double, t1: Double, x2: Double, t2: Double, constant: Double)
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
        case let .proportion(x, n, offset, logChoose):
            let (l, p) = Self.binomial(x, n, eta: offset + beta + u)
            return (logChoose + l, x - n * p, -n * p * (1 - p))
        case let .count(x, t, constant):
            let eta = beta + u, mean = t * exp(eta)
            return (constant + x * eta - mean, x - mean, -mean)
        case let .twoArmCount(x1, t1, x2, t2, constant):
            let eta1 = alpha + beta + 0.5 * u, eta2 = alpha - 0.5 * u
            let mean1 = t1 * exp(eta1), mean2 = t2 * exp(eta2)
            return (constant + x1 * eta1 - mean1 + x2 * eta2 - mean2, 0.5 * (x1 - mean1) - 0.5 * (x2 - mean2),
                    -0.25 * (mean1 + mean2))
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

    /// x·log t − log x!: the part of a Poisson log-likelihood with mean t·e^η that does not depend on η.
    static func poissonConstant(_ x: Double, _ t: Double) -> Double { x * log(t) - logGamma(x + 1) }

    /// The Poisson log-likelihood at its mean x (the saturated model's contribution).
    static func saturatedPoisson(_ x: Double) -> Double { (x > 0 ? x * log(x) : 0) - x - logGamma(x + 1) }

    /// The binomial log-likelihood at p = x/n (the saturated model's contribution), with log C(n, x).
    static func saturatedBinomial(_ x: Double, _ n: Double) -> Double {
        var l = logChoose(n, x)
        if x > 0 { l += x * log(x / n) }
        if x < n { l += (n - x) * log((n - x) / n) }
        return l
    }
}
