#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// The prior on the overall effect μ.
public enum MuPrior: Sendable, Equatable {
    /// The improper uniform prior (bayesmeta's default).
    case improperUniform
    /// μ ~ N(mean, standardDeviation²).
    case normal(mean: Double, standardDeviation: Double)

    public var label: String {
        switch self {
        case .improperUniform: return "improper uniform"
        case let .normal(m, s): return "normal (mean \(m), sd \(s))"
        }
    }
}

/// The Bayesian normal–normal hierarchical model yᵢ ~ N(θᵢ, σᵢ²), θᵢ ~ N(μ, τ²), with priors on τ and μ, computed
/// by numerical integration over τ (no Markov chain Monte Carlo: the answers are deterministic).
///
/// Given τ, μ is normal with mean m(τ) = (Σwᵢyᵢ + w₀μ₀)/W and variance 1/W (wᵢ = 1/(σᵢ² + τ²), W = Σwᵢ + w₀, w₀ the
/// prior precision of μ, 0 for the flat prior), and the marginal likelihood p(y | τ) is closed form (Röver 2020,
/// J Stat Softw 93(6), §2.2–2.4). The marginal posterior of τ, p(τ | y) ∝ p(τ) p(y | τ), is integrated in x = log τ
/// by ``AdaptiveGaussLegendre`` over [10⁻¹⁰·minᵢσᵢ, 10¹⁶·S] (S the larger of the largest σᵢ, the range of the yᵢ
/// and the prior's scale; or up to a bounded prior's upper limit); the prior mass below the lower limit is added
/// exactly as an atom at τ = 0 (p(y | τ) changes there by O(10⁻²⁰) relative). The quadrature stops when its error
/// estimate is below 10⁻¹³ of the normalising constant, of E[τ], E[τ²] and E[1/W] (``quadratureErrorEstimate``).
/// The posterior of μ, of a new study's effect and of each θᵢ is then the normal mixture over the quadrature nodes.
public struct BayesianRandomEffectsModel: Sendable {
    public let effectSizes: [Double]
    public let standardErrors: [Double]
    public let tauPrior: TauPrior
    public let muPrior: MuPrior
    /// Higgins & Thompson's typical within-study variance σ̂² = (k − 1)Σwᵢ/((Σwᵢ)² − Σwᵢ²), wᵢ = σᵢ⁻².
    public let higginsThompsonVariance: Double
    /// The largest relative error estimate of the τ quadrature (normalising constant and moments).
    public let quadratureErrorEstimate: Double
    /// Nodes of the τ quadrature (components of the normal mixtures, before dropping negligible ones).
    public let quadratureNodes: Int

    let variances: [Double]
    let prior: ResolvedTauPrior
    let logOffset: Double
    let normaliser: Double
    let atomMass: Double
    let lowerLimit: Double
    let upperLimit: Double
    let panels: [(lower: Double, upper: Double)]
    let cumulative: [Double]
    let componentTau: [Double]
    let componentWeight: [Double]
    let rule = GaussLegendre(count: 20)
    /// The meta-regression's design and β prior (``BayesianMetaRegressionModel``); nil for the intercept-only model.
    let design: RegressionDesign?

    /// Fits the model.
    /// - Throws: ``BayesianError`` for invalid data or priors, an improper posterior, or a numerical failure.
    public init(effectSizes: [Double], standardErrors: [Double], tauPrior: TauPrior, muPrior: MuPrior = .improperUniform) throws {
        try self.init(effectSizes: effectSizes, standardErrors: standardErrors, tauPrior: tauPrior, muPrior: muPrior, design: nil)
    }

    /// Fits the model; with a `design`, θᵢ ~ N(xᵢ'β, τ²) and `muPrior` is unused (the design carries β's prior).
    init(effectSizes: [Double], standardErrors: [Double], tauPrior: TauPrior, muPrior: MuPrior,
         design: RegressionDesign?) throws {
        guard !effectSizes.isEmpty else { throw BayesianError.noStudies }
        guard effectSizes.count == standardErrors.count else {
            throw BayesianError.lengthMismatch(effects: effectSizes.count, standardErrors: standardErrors.count)
        }
        for (i, y) in effectSizes.enumerated() where !y.isFinite { throw BayesianError.nonFiniteEffect(study: i + 1, value: y) }
        for (i, s) in standardErrors.enumerated() where !(s > 0 && s.isFinite) {
            throw BayesianError.invalidStandardError(study: i + 1, value: s)
        }
        try Self.validate(tauPrior)
        if case let .normal(m, s) = muPrior {
            guard m.isFinite else { throw BayesianError.invalidPriorParameter(prior: "normal mu", parameter: "mean", value: m, expected: "finite") }
            guard s > 0 && s.isFinite else {
                throw BayesianError.invalidPriorParameter(prior: "normal mu", parameter: "sd", value: s, expected: "positive and finite")
            }
        }
        let k = effectSizes.count
        self.design = design
        self.effectSizes = effectSizes
        self.standardErrors = standardErrors
        self.tauPrior = tauPrior
        self.muPrior = muPrior
        variances = standardErrors.map { $0 * $0 }
        var sw = 0.0, sw2 = 0.0
        for v in variances { sw += 1 / v; sw2 += 1 / (v * v) }
        higginsThompsonVariance = k > 1 ? Double(k - 1) * sw / (sw * sw - sw2) : .nan

        // Propriety: p(y | τ) decays like τ^-(k-1) (flat μ prior) or τ^-k (normal μ prior), so the posterior of τ is
        // proper when prior tail exponent + that power > 1. Finite E[τ] and SD[μ] need more; that is reported by the
        // moments being large, not refused. A regression with d coefficients and a flat β prior: τ^-(k-d).
        var resolved = ResolvedTauPrior(tauPrior, variances: variances, higginsThompsonVariance: higginsThompsonVariance)
        let flatLocation = design.map { !$0.hasProperPrior } ?? (muPrior == .improperUniform)
        let likelihoodDecay = Double(k - (flatLocation ? (design?.columns ?? 1) : 0))
        if resolved.tailExponent + likelihoodDecay <= 1 {
            let suggestion = flatLocation && tauPrior.isProper == false
                ? "use a proper prior on tau (e.g. half-normal with scale 0.5 for log odds ratios) or a normal prior on \(design == nil ? "mu" : "the coefficients")."
                : "use a proper prior on tau (e.g. half-normal with scale 0.5 for log odds ratios)."
            if let design {
                throw BayesianError.improperRegressionPosterior(tauPrior: tauPrior.label, betaPrior: design.priorLabel,
                                                                studies: k, coefficients: design.columns,
                                                                suggestion: suggestion)
            }
            throw BayesianError.improperPosterior(tauPrior: tauPrior.label, muPrior: muPrior.label, studies: k, suggestion: suggestion)
        }

        let smallest = standardErrors.min()!, largest = standardErrors.max()!
        let range = effectSizes.max()! - effectSizes.min()!
        var scale = max(largest, range)
        switch tauPrior {
        case .halfNormal(let s), .halfCauchy(let s), .halfStudentT(_, let s): scale = max(scale, s)
        case .exponential(let r): scale = max(scale, 1 / r)
        case .turner(let p): scale = max(scale, exp(0.5 * p.meanLog))
        case .rhodes(let p): scale = max(scale, exp(0.5 * p.location))
        default: break
        }
        lowerLimit = 1e-10 * smallest
        upperLimit = min(1e16 * scale, resolved.upperSupport)
        let xLower = log(lowerLimit), xUpper = log(upperLimit)

        if case .conventional = tauPrior {
            let priorAtOne = resolved
            let total = try Self.integrate(from: xLower, to: xUpper, components: 1) { x, out in
                let t = exp(x)
                out[0] = priorAtOne.density(t) * t
            }
            resolved.normalisingConstant = total.integrals[0] + priorAtOne.cdf(lowerLimit)
        }
        prior = resolved

        // Scale by the largest log integrand on a coarse grid so that nothing overflows.
        let conditionalAtZero = Self.conditional(0, y: effectSizes, v: variances, mu: muPrior, design: design)
        var offset = -Double.infinity
        let gridCount = 200
        for i in 0...gridCount {
            let x = xLower + (xUpper - xLower) * Double(i) / Double(gridCount)
            let t = exp(x)
            let value = log(resolved.density(t)) + Self.conditional(t, y: effectSizes, v: variances, mu: muPrior, design: design).logLikelihood + x
            if value.isFinite { offset = max(offset, value) }
        }
        offset = max(offset, conditionalAtZero.logLikelihood + log(max(resolved.cdf(lowerLimit), .leastNormalMagnitude)))
        guard offset.isFinite else {
            throw BayesianError.numericalFailure(quantity: "posterior of tau", detail: "the unnormalised density is not finite anywhere on the grid.")
        }
        logOffset = offset
        let y = effectSizes, v = variances, mu = muPrior, p = resolved
        let integrand: (Double, inout [Double]) -> Void = { x, out in
            let t = exp(x)
            let c = Self.conditional(t, y: y, v: v, mu: mu, design: design)
            let j = p.density(t) * exp(c.logLikelihood - offset + x)
            out[0] = j
            out[1] = j * t
            out[2] = j * t * t
            out[3] = j * c.variance
        }
        let result: AdaptiveGaussLegendre.Result
        do {
            result = try Self.integrate(from: xLower, to: xUpper, components: 4, integrand)
        } catch {
            throw BayesianError.numericalFailure(quantity: "posterior of tau", detail: "\(error)")
        }
        atomMass = resolved.cdf(lowerLimit) * exp(conditionalAtZero.logLikelihood - offset)
        normaliser = result.integrals[0] + atomMass
        guard normaliser > 0 && normaliser.isFinite else {
            throw BayesianError.numericalFailure(quantity: "posterior of tau", detail: "its normalising constant is \(normaliser).")
        }
        var worst = 0.0
        for c in 0..<4 where result.integrals[c] != 0 { worst = max(worst, result.errorEstimates[c] / abs(result.integrals[c])) }
        quadratureErrorEstimate = worst
        quadratureNodes = result.nodes.count
        panels = result.panels

        // Components: the atom at τ = 0, then every node whose weight, times τ²/S² where τ > S, exceeds 1e-24: the
        // dropped ones change no probability, and no variance (which grows like τ² in the tail), by more than 1e-24
        // per node.
        var taus: [Double] = [0], weights: [Double] = [atomMass / normaliser]
        var buffer = [Double](repeating: 0, count: 4)
        var panelMass = [Double](repeating: 0, count: panels.count)
        let nodesPerPanel = result.nodes.count / panels.count
        for (index, (x, w)) in zip(result.nodes, result.weights).enumerated() {
            integrand(x, &buffer)
            let mass = w * buffer[0]
            panelMass[index / nodesPerPanel] += mass
            let weight = mass / normaliser
            let t = exp(x)
            if weight * max(1, t * t / (scale * scale)) > 1e-24 { taus.append(t); weights.append(weight) }
        }
        var cumulative = [atomMass]
        for m in panelMass { cumulative.append(cumulative.last! + m) }
        self.cumulative = cumulative
        let total = weights.reduce(0, +)
        componentTau = taus
        componentWeight = weights.map { $0 / total }
    }

    static func integrate(from a: Double, to b: Double, components: Int,
                          _ f: (Double, inout [Double]) -> Void) throws -> AdaptiveGaussLegendre.Result {
        try AdaptiveGaussLegendre.integrate(from: a, to: b, initialPanels: max(1, Int(((b - a) / 4).rounded(.up))),
                                            components: components, relativeTolerance: 1e-13, maxPanels: 4000, f)
    }

    static func validate(_ prior: TauPrior) throws {
        func positive(_ name: String, _ parameter: String, _ value: Double) throws {
            guard value > 0 && value.isFinite else {
                throw BayesianError.invalidPriorParameter(prior: name, parameter: parameter, value: value, expected: "positive and finite")
            }
        }
        switch prior {
        case .halfNormal(let s): try positive("half-normal", "scale", s)
        case .halfCauchy(let s): try positive("half-Cauchy", "scale", s)
        case .halfStudentT(let df, let s): try positive("half-Student-t", "degrees of freedom", df); try positive("half-Student-t", "scale", s)
        case .uniform(let u): try positive("uniform", "upper limit", u)
        case .exponential(let r): try positive("exponential", "rate", r)
        case .turner(let p): try positive("Turner", "sd of log tau^2", p.sdLog)
        case .rhodes(let p): try positive("Rhodes", "scale of log tau^2", p.scale)
        default: break
        }
    }

    // MARK: Conditional quantities given τ

    struct Conditional {
        /// log p(y | τ) with μ integrated out under its prior (the flat prior as density 1).
        var logLikelihood: Double
        /// E[μ | τ, y] and Var[μ | τ, y].
        var mean: Double
        var variance: Double
        /// d log p(y | τ)/dτ².
        var score: Double
    }

    static func conditional(_ t: Double, y: [Double], v: [Double], mu: MuPrior, design: RegressionDesign?) -> Conditional {
        if let design {
            let r = design.conditional(t, y: y, v: v)
            var trace = 0.0
            for j in 0..<design.columns { trace += r.covariance[j * design.columns + j] }
            return Conditional(logLikelihood: r.logLikelihood, mean: r.mean[0], variance: trace, score: r.score)
        }
        let t2 = t * t
        var sw = 0.0, swy = 0.0, logDeterminant = 0.0
        for i in y.indices {
            let d = v[i] + t2
            sw += 1 / d; swy += y[i] / d
            logDeterminant += log(d)
        }
        var precision = sw, numerator = swy
        var constant = -0.5 * Double(y.count - 1) * log(2 * Double.pi)
        var m0 = 0.0, w0 = 0.0
        if case let .normal(mean, sd) = mu {
            w0 = 1 / (sd * sd); m0 = mean
            precision += w0; numerator += w0 * mean
            constant = -0.5 * Double(y.count) * log(2 * Double.pi) - log(sd)
        }
        let m = numerator / precision
        var q = w0 * (m0 - m) * (m0 - m), sw2 = 0.0, sw2r = 0.0
        for i in y.indices {
            let w = 1 / (v[i] + t2), r = y[i] - m
            q += w * r * r
            sw2 += w * w
            sw2r += w * w * r * r
        }
        let logLikelihood = constant - 0.5 * logDeterminant - 0.5 * log(precision) - 0.5 * q
        return Conditional(logLikelihood: logLikelihood, mean: m, variance: 1 / precision,
                           score: -0.5 * sw + 0.5 * sw2 / precision + 0.5 * sw2r)
    }

    func conditional(_ t: Double) -> Conditional {
        Self.conditional(t, y: effectSizes, v: variances, mu: muPrior, design: design)
    }
}
