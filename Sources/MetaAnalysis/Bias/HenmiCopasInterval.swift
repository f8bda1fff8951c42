#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// Henmi & Copas's (2010, Stat Med 29:2969–2983) confidence interval for the mean effect of a random-effects
/// meta-analysis, centred on the fixed-effect (inverse-variance) estimate, which publication bias moves less than
/// the random-effects one (metafor's `hc`).
///
/// With w = 1/v, W₁ = Σw, W₂ = Σw²/W₁ and τ̂² the DerSimonian–Laird estimate, β̂ = Σwy/W₁ has variance
/// (1 + τ²W₂)/W₁ under the random-effects model, estimated by se² = (1 + τ̂²W₂)/W₁. The interval is β̂ ∓ u·se, with u
/// the value at which P(|β̂ − β| > u·se) = α, the probability taken over the joint law of β̂ and Cochran's Q (through
/// τ̂²) at τ² = τ̂²: with R = (β̂ − β)/√((1 + τ²W₂)/W₁) ~ N(0, 1), |β̂ − β| > u·se exactly when |R| > u/√(1 + τ²W₂)
/// and Q < (W₁/W₂ − 1)(f² − 1) + k − 1, f = |R|√(1 + τ²W₂)/u, so
///
///     α/2 = ∫_{u/√(1+τ²W₂)}^∞ G(Q < (W₁/W₂ − 1)(f(r)² − 1) + k − 1 | R = r) φ(r) dr,
///
/// Q given R = r approximated by the gamma distribution with Q's exact conditional mean and variance (Q is a
/// quadratic form in normal variables; its moments given the linear form R follow from the conditional normal law).
/// The integral is evaluated by adaptive Gauss–Legendre quadrature and u found by Brent's method, both to ~1e-14.
public struct HenmiCopasInterval: Sendable {
    /// The fixed-effect (inverse-variance weighted) estimate β̂.
    public let estimate: Double
    /// √((1 + τ̂²W₂)/W₁).
    public let standardError: Double
    public let lower: Double
    public let upper: Double
    /// The DerSimonian–Laird τ̂².
    public let tauSquared: Double
    /// u: the multiplier of the standard error.
    public let criticalValue: Double
    /// Confidence level in percent.
    public let level: Double

    /// - Parameter level: confidence level in percent (95 by default).
    /// - Throws: `InputError` for fewer than 2 studies, non-finite effects, non-positive variances or a level outside
    ///   (0, 100); `NumericsError` if the integral or the root does not converge.
    public init(effectSizes y: [Double], samplingVariances v: [Double], level: Double = 95) throws {
        precondition(y.count == v.count, "effect sizes and variances must have equal length")
        let k = y.count
        guard k >= 2 else { throw InputError.tooFewStudies(found: k, needed: 2, analysis: "The Henmi-Copas interval") }
        guard level > 0, level < 100 else {
            throw InputError.invalidOption(name: "level", value: String(level), expected: "a confidence level between 0 and 100")
        }
        try StudyValueCheck.validate(effectSizes: y, samplingVariances: v)
        let w = v.map { 1 / $0 }
        let w1 = w.reduce(0, +)
        let w2 = w.reduce(0) { $0 + $1 * $1 } / w1
        let beta = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / w1
        let q = zip(w, y).reduce(0) { $0 + $1.0 * ($1.1 - beta) * ($1.1 - beta) }
        let tau2 = max(0, (q - Double(k - 1)) / (w1 - w2))
        let varianceRatio = 1 + tau2 * w2
        let moments = ConditionalQMoments(w: w, v: v, tauSquared: tau2, varianceRatio: varianceRatio, w1: w1)
        let alpha = 1 - level / 100
        let spread = varianceRatio.squareRoot()
        let slope = w1 / w2 - 1, df = Double(k - 1)

        // P(|β̂ − β| > u·se) / 2 − α/2, decreasing in u.
        func excess(_ u: Double) throws -> Double {
            let t0 = u / spread
            let result = try AdaptiveGaussLegendre.integrate(from: t0, to: t0 + 40, initialPanels: 16, components: 1,
                                                     relativeTolerance: 1e-14, absoluteTolerance: 1e-300) { r, out in
                let f = r / t0
                let bound = slope * (f * f - 1) + df
                let (mean, variance) = moments.at(r)
                out[0] = regularizedGammaP(mean * mean / variance, bound * mean / variance) * Normal.density(r)
            }
            return result.integrals[0] - alpha / 2
        }
        let root = try Brent.root(lower: 1e-3, upper: 10 * spread + 10,
                                  expansion: Brent.Expansion(lowerLimit: 1e-12, upperLimit: 1e6),
                                  absoluteTolerance: 1e-15, relativeTolerance: 1e-15, excess)
        let u = root.x
        let se = (varianceRatio / w1).squareRoot()
        self.estimate = beta
        self.standardError = se
        self.lower = beta - u * se
        self.upper = beta + u * se
        self.tauSquared = tau2
        self.criticalValue = u
        self.level = level
    }
}

/// The mean and variance of Q = Σwᵢ(yᵢ − β̂)² given R = r, for y ~ N(β, D), D = diag(v + τ²): with e = y − β and
/// a = w/W₁, Q = e'We − W₁(a'e)², and e given a'e = s is normal with mean m·s, m = Da/(a'Da), and covariance
/// Σ = D − Da a'D/(a'Da); so E[Q | s] = tr(WΣ) + s²(m'Wm − W₁) and Var[Q | s] = 2 tr((WΣ)²) + 4s² m'WΣWm,
/// s² = r²·a'Da. Every term is a sum over studies.
private struct ConditionalQMoments {
    let constantMean: Double, slopeMean: Double
    let constantVariance: Double, slopeVariance: Double

    init(w: [Double], v: [Double], tauSquared: Double, varianceRatio: Double, w1: Double) {
        let k = w.count
        let aDa = varianceRatio / w1
        var trace = 0.0, mWm = 0.0, trace2 = 0.0, cross = 0.0, wc2 = 0.0, mWdWm = 0.0, wmc = 0.0
        for i in 0..<k {
            let d = v[i] + tauSquared
            let c = d * w[i] / w1              // (Da)ᵢ
            let m = c / aDa
            trace += w[i] * (d - c * c / aDa)
            mWm += w[i] * m * m
            trace2 += w[i] * w[i] * d * d
            cross += w[i] * w[i] * d * c * c
            wc2 += w[i] * c * c
            mWdWm += (w[i] * m) * (w[i] * m) * d
            wmc += w[i] * m * c
        }
        constantMean = trace
        slopeMean = (mWm - w1) * aDa
        constantVariance = 2 * (trace2 - 2 * cross / aDa + wc2 * wc2 / (aDa * aDa))
        slopeVariance = 4 * (mWdWm - wmc * wmc / aDa) * aDa
    }

    func at(_ r: Double) -> (mean: Double, variance: Double) {
        (constantMean + r * r * slopeMean, constantVariance + r * r * slopeVariance)
    }
}
