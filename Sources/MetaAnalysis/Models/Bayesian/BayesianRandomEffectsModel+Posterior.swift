#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

extension BayesianRandomEffectsModel {
    // MARK: τ

    /// The unnormalised posterior density of τ (scaled by e^(−logOffset)).
    func unnormalisedTauDensity(_ t: Double) -> Double {
        if t < 0 || t > prior.upperSupport { return 0 }
        return prior.density(t) * exp(conditional(t).logLikelihood - logOffset)
    }

    /// The marginal posterior density of τ.
    public func tauDensity(_ t: Double) -> Double { unnormalisedTauDensity(t) / normaliser }

    /// The prior density of τ (nil for an improper prior, whose density has no scale to compare with the posterior).
    public func tauPriorDensity(_ t: Double) -> Double? {
        tauPrior.isProper ? prior.density(t) : nil
    }

    /// The joint posterior density p(τ, μ | y) = p(τ | y) · N(μ; m(τ), V(τ)) (intercept-only model).
    public func jointDensity(tau t: Double, mu: Double) -> Double {
        let c = conditional(t)
        let s = c.variance.squareRoot()
        return tauDensity(t) * Normal.density((mu - c.mean) / s) / s
    }

    /// The marginal posterior CDF of τ.
    public func tauCDF(_ t: Double) -> Double {
        if t <= 0 { return 0 }
        if t >= upperLimit { return 1 }
        if t < lowerLimit { return prior.cdf(t) * exp(conditional(0).logLikelihood - logOffset) / normaliser }
        let x = log(t)
        var low = 0, high = panels.count - 1
        while low < high {
            let middle = (low + high) / 2
            if panels[middle].upper < x { low = middle + 1 } else { high = middle }
        }
        let partial = rule.integrate(from: panels[low].lower, to: x) { u in
            let tau = exp(u)
            return prior.density(tau) * exp(conditional(tau).logLikelihood - logOffset + u)
        }
        return min(max((cumulative[low] + partial) / normaliser, 0), 1)
    }

    /// The p-quantile of the marginal posterior of τ (Brent on the CDF, in log τ).
    public func tauQuantile(_ p: Double) throws -> Double {
        precondition(p > 0 && p < 1)
        let target = p * normaliser
        do {
            if target <= atomMass {
                return try Brent.root(lower: 0, upper: lowerLimit, maxIterations: 300) { tauCDF($0) - p }.x
            }
            var index = 0
            while index < panels.count - 1 && cumulative[index + 1] < target { index += 1 }
            let root = try Brent.root(lower: panels[index].lower, upper: panels[index].upper,
                                      expansion: .init(lowerLimit: log(lowerLimit), upperLimit: log(upperLimit)),
                                      maxIterations: 300) { tauCDF(exp($0)) - p }
            return exp(root.x)
        } catch {
            throw BayesianError.numericalFailure(quantity: "\(p) quantile of tau", detail: "\(error)")
        }
    }

    /// Posterior mean of τ.
    public var tauMean: Double {
        var total = 0.0
        for j in componentTau.indices { total += componentWeight[j] * componentTau[j] }
        return total
    }

    /// Posterior standard deviation of τ.
    public var tauStandardDeviation: Double {
        let m = tauMean
        var total = 0.0
        for j in componentTau.indices { let d = componentTau[j] - m; total += componentWeight[j] * d * d }
        return total.squareRoot()
    }

    /// Whether τ = 0 may be a mode (the prior density is positive and finite there).
    var zeroCanBeMode: Bool { prior.densityAtZero > 0 && prior.densityAtZero.isFinite }

    /// The posterior mode of τ: the highest local maximum of the density (0 when the density decreases from 0);
    /// nil if the density has no maximum away from a divergence at 0 (Rhodes priors on some data).
    public func tauMode() throws -> Double? {
        try maximise(includeZero: zeroCanBeMode,
                     value: { t in log(prior.density(t)) + conditional(t).logLikelihood },
                     valueAtZero: log(prior.densityAtZero) + conditional(0).logLikelihood,
                     derivative: { t in prior.logDensityDerivative(t) + 2 * t * conditional(t).score })
    }

    /// The shortest 95 % (or `level`) credible interval of τ.
    public func tauShortestInterval(level: Double = 0.95) throws -> (lower: Double, upper: Double) {
        do {
            return try ShortestInterval.solve(level: level, quantile: { try tauQuantile($0) }, density: tauDensity,
                                              lowerSupport: 0, upperSupport: prior.upperSupport.isFinite ? prior.upperSupport : nil)
        } catch let error as BayesianError { throw error } catch {
            throw BayesianError.numericalFailure(quantity: "shortest interval of tau", detail: "\(error)")
        }
    }

    /// The central credible interval of τ.
    public func tauCentralInterval(level: Double = 0.95) throws -> (lower: Double, upper: Double) {
        (try tauQuantile(0.5 * (1 - level)), try tauQuantile(0.5 * (1 + level)))
    }

    /// I² = τ²/(τ² + σ̂²) (Higgins & Thompson's σ̂²); monotone in τ, so its posterior quantiles are I² at τ's.
    public func iSquared(tau t: Double) -> Double { t * t / (t * t + higginsThompsonVariance) }

    // MARK: μ, θ and the θᵢ

    /// The marginal posterior of μ.
    public var muPosterior: NormalMixture {
        var means: [Double] = [], sds: [Double] = []
        means.reserveCapacity(componentTau.count); sds.reserveCapacity(componentTau.count)
        for t in componentTau { let c = conditional(t); means.append(c.mean); sds.append(c.variance.squareRoot()) }
        return NormalMixture(weights: componentWeight, means: means, standardDeviations: sds)
    }

    /// The posterior predictive distribution of a new study's true effect θ.
    public var predictivePosterior: NormalMixture {
        var means: [Double] = [], sds: [Double] = []
        for t in componentTau { let c = conditional(t); means.append(c.mean); sds.append((c.variance + t * t).squareRoot()) }
        return NormalMixture(weights: componentWeight, means: means, standardDeviations: sds)
    }

    /// The posterior of study i's true effect θᵢ (its shrinkage estimate): given τ, normal with mean
    /// (1 − bᵢ)yᵢ + bᵢm(τ) and variance σᵢ²(1 − bᵢ) + bᵢ²/W, bᵢ = σᵢ²/(σᵢ² + τ²).
    public func shrinkagePosterior(study i: Int) -> NormalMixture {
        var means: [Double] = [], sds: [Double] = []
        let v = variances[i], y = effectSizes[i]
        for t in componentTau {
            let c = conditional(t)
            let b = v / (v + t * t)
            means.append((1 - b) * y + b * c.mean)
            sds.append((v * (1 - b) + b * b * c.variance).squareRoot())
        }
        return NormalMixture(weights: componentWeight, means: means, standardDeviations: sds)
    }

    /// Posterior means of each study's weight wᵢ/W in the conditional mean of μ, and of the prior mean's weight
    /// w₀/W (nil for the flat prior).
    public var posteriorWeights: (studies: [Double], priorMean: Double?) {
        var studies = [Double](repeating: 0, count: effectSizes.count)
        var priorWeight = 0.0
        for (j, t) in componentTau.enumerated() {
            let c = conditional(t)
            for i in studies.indices { studies[i] += componentWeight[j] * c.variance / (variances[i] + t * t) }
            if case let .normal(_, sd) = muPrior { priorWeight += componentWeight[j] * c.variance / (sd * sd) }
        }
        return (studies, muPrior == .improperUniform ? nil : priorWeight)
    }

    // MARK: Point estimates

    /// A (τ, μ) pair.
    public struct Estimate: Sendable, Equatable {
        public let tau: Double?
        public let mu: Double?
    }

    /// Maximum-likelihood estimates: joint = argmax over (τ, μ) of the likelihood; marginal τ = argmax of p(y | τ)
    /// with μ integrated out under its prior; marginal μ = argmax of p(y | μ) = ∫ p(y | τ, μ) p(τ) dτ.
    public func maximumLikelihood() throws -> (joint: Estimate, marginal: Estimate) {
        let jointTau = try maximise(includeZero: true,
                                    value: { jointProfile($0, withPriors: false).value },
                                    valueAtZero: jointProfile(0, withPriors: false).value,
                                    derivative: { jointProfile($0, withPriors: false).derivative })
        let marginalTau = try maximise(includeZero: true, value: { conditional($0).logLikelihood },
                                       valueAtZero: conditional(0).logLikelihood,
                                       derivative: { 2 * $0 * conditional($0).score })
        let jointMu = jointTau.map { jointProfile($0, withPriors: false).mu }
        let marginalMu = try maximiseMarginalLikelihoodOfMu()
        return (Estimate(tau: jointTau, mu: jointMu), Estimate(tau: marginalTau, mu: marginalMu))
    }

    /// Posterior modes: joint = argmax of p(τ, μ | y); marginal = the modes of the two marginal posteriors.
    public func maximumAPosteriori() throws -> (joint: Estimate, marginal: Estimate) {
        let jointTau = try maximise(includeZero: zeroCanBeMode,
                                    value: { jointProfile($0, withPriors: true).value },
                                    valueAtZero: jointProfile(0, withPriors: true).value,
                                    derivative: { jointProfile($0, withPriors: true).derivative })
        let jointMu = jointTau.map { jointProfile($0, withPriors: true).mu }
        let tau = try tauMode()
        let mu: Double
        do { mu = try muPosterior.mode() } catch {
            throw BayesianError.numericalFailure(quantity: "posterior mode of mu", detail: "\(error)")
        }
        return (Estimate(tau: jointTau, mu: jointMu), Estimate(tau: tau, mu: mu))
    }

    /// The profile of the joint log likelihood (or log posterior) over τ with μ at its conditional optimum, and
    /// its τ-derivative (envelope theorem: μ's own derivative is 0 there).
    func jointProfile(_ t: Double, withPriors: Bool) -> (value: Double, derivative: Double, mu: Double) {
        let t2 = t * t
        var sw = 0.0, swy = 0.0
        for i in effectSizes.indices { let w = 1 / (variances[i] + t2); sw += w; swy += w * effectSizes[i] }
        var m0 = 0.0, w0 = 0.0
        if withPriors, case let .normal(mean, sd) = muPrior { m0 = mean; w0 = 1 / (sd * sd) }
        let m = (swy + w0 * m0) / (sw + w0)
        var value = 0.0, score = 0.0
        for i in effectSizes.indices {
            let d = variances[i] + t2, r = effectSizes[i] - m
            value += -0.5 * log(2 * Double.pi * d) - 0.5 * r * r / d
            score += -0.5 / d + 0.5 * r * r / (d * d)
        }
        var derivative = 2 * t * score
        if withPriors {
            value += t == 0 ? log(prior.densityAtZero) : log(prior.density(t))
            if t > 0 { derivative += prior.logDensityDerivative(t) }
            if case let .normal(mean, sd) = muPrior { value += -0.5 * (m - mean) * (m - mean) / (sd * sd) - log(sd) }
        }
        return (value, derivative, m)
    }

    /// The highest local maximum over τ of `value`: sign changes of `derivative` on a log grid refined by Brent,
    /// τ = 0 when allowed and the function decreases from it, and a bounded prior's upper limit.
    func maximise(includeZero: Bool, value: (Double) -> Double, valueAtZero: Double,
                  derivative: (Double) -> Double) throws -> Double? {
        let top = min(upperLimit, 1e6 * max(standardErrors.max()!, effectSizes.max()! - effectSizes.min()!))
        let count = 600
        let a = log(lowerLimit), b = log(top)
        var best: Double? = nil, bestValue = -Double.infinity
        func consider(_ t: Double, _ v: Double) { if v.isFinite && v > bestValue { best = t; bestValue = v } }
        var previousT = lowerLimit, previousD = derivative(lowerLimit)
        if includeZero && previousD <= 0 { consider(0, valueAtZero) }
        for i in 1...count {
            let t = i == count ? top : exp(a + (b - a) * Double(i) / Double(count))
            let d = derivative(t)
            if previousD > 0 && d <= 0 {
                let root: Double
                if d == 0 { root = t } else {
                    do {
                        root = try Brent.root(lower: previousT, upper: t, maxIterations: 300) { derivative($0) }.x
                    } catch {
                        throw BayesianError.numericalFailure(quantity: "maximum over tau", detail: "\(error)")
                    }
                }
                consider(root, value(root))
            }
            previousT = t; previousD = d
        }
        if prior.upperSupport.isFinite && top == prior.upperSupport && previousD > 0 { consider(top, value(top)) }
        return best
    }

    /// argmax over μ of p(μ | y)/p(μ) (= p(y | μ) up to a constant, as μ and τ are independent a priori).
    func maximiseMarginalLikelihoodOfMu() throws -> Double {
        let posterior = muPosterior
        guard case let .normal(mean, sd) = muPrior else {
            do { return try posterior.mode() } catch {
                throw BayesianError.numericalFailure(quantity: "marginal maximum likelihood of mu", detail: "\(error)")
            }
        }
        // d/dμ [log p(μ | y) − log p(μ)] = f′/f + (μ − m₀)/s₀².
        let g: (Double) -> Double = { x in posterior.densityDerivative(x) / posterior.density(x) + (x - mean) / (sd * sd) }
        do {
            let lower = try posterior.quantile(0.0005), upper = try posterior.quantile(0.9995)
            let n = 400
            var best = lower, bestValue = -Double.infinity
            var x0 = lower, g0 = g(lower)
            for i in 1...n {
                let x1 = lower + (upper - lower) * Double(i) / Double(n)
                let g1 = g(x1)
                if g0 > 0 && g1 <= 0 {
                    let root = g1 == 0 ? x1 : try Brent.root(lower: x0, upper: x1, maxIterations: 300, g).x
                    let v = log(posterior.density(root)) + 0.5 * (root - mean) * (root - mean) / (sd * sd)
                    if v > bestValue { bestValue = v; best = root }
                }
                x0 = x1; g0 = g1
            }
            return best
        } catch {
            throw BayesianError.numericalFailure(quantity: "marginal maximum likelihood of mu", detail: "\(error)")
        }
    }

    // MARK: Evidence

    /// log p(y) = log ∫∫ p(y | τ, μ) p(τ) p(μ) dμ dτ, when both priors are proper (nil otherwise).
    public var logMarginalLikelihood: Double? {
        guard tauPrior.isProper, muPrior != .improperUniform else { return nil }
        return log(normaliser) + logOffset
    }

    /// Bayes factors for τ = 0 and μ = 0 against the model: `actual` = p(y | H₀)/p(y) (both priors proper; μ's
    /// by the Savage–Dickey ratio p(μ = 0 | y)/p(μ = 0)); `minimum` = p(y | H₀)/maxₓ p(y | x) (τ: needs a proper μ
    /// prior; μ: a proper τ prior). nil where not defined.
    public func bayesFactors() throws -> (actualTau0: Double?, actualMu0: Double?, minimumTau0: Double?, minimumMu0: Double?) {
        let c0 = conditional(0)
        let properMu = muPrior != .improperUniform, properTau = tauPrior.isProper
        var actualTau0: Double? = nil, actualMu0: Double? = nil, minimumTau0: Double? = nil, minimumMu0: Double? = nil
        let posterior = muPosterior
        func logPriorMu(_ x: Double) -> Double {
            if case let .normal(m, s) = muPrior { return log(Normal.density((x - m) / s) / s) }
            return 0
        }
        if properMu && properTau {
            actualTau0 = exp(c0.logLikelihood - logOffset) / normaliser
            actualMu0 = posterior.density(0) / exp(logPriorMu(0))
        }
        if properMu {
            let (_, marginal) = try maximumLikelihood()
            if let t = marginal.tau { minimumTau0 = exp(c0.logLikelihood - conditional(t).logLikelihood) }
        }
        if properTau {
            let m = try maximiseMarginalLikelihoodOfMu()
            minimumMu0 = exp(log(posterior.density(0)) - logPriorMu(0) - log(posterior.density(m)) + logPriorMu(m))
        }
        return (actualTau0, actualMu0, minimumTau0, minimumMu0)
    }
}
