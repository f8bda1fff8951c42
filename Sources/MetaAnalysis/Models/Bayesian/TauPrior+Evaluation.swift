#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// A τ prior resolved against the studies' standard errors: density, the derivative of its logarithm, and its
/// CDF near 0 (for the prior mass below the quadrature's lower limit).
struct ResolvedTauPrior: Sendable {
    let prior: TauPrior
    /// s₀² = k/Σσᵢ⁻² (shrinkage, DuMouchel) or σ̂² (I²).
    let scaleSquared: Double
    let variances: [Double]
    /// Divides the conventional prior's density so that it integrates to 1.
    var normalisingConstant: Double = 1

    init(_ prior: TauPrior, variances: [Double], higginsThompsonVariance: Double) {
        self.prior = prior
        self.variances = variances
        switch prior {
        case .uniformISquared: scaleSquared = higginsThompsonVariance
        default:
            var precision = 0.0
            for v in variances { precision += 1 / v }
            scaleSquared = Double(variances.count) / precision
        }
    }

    /// The largest τ of the support (∞ unless bounded).
    var upperSupport: Double {
        if case .uniform(let upper) = prior { return upper }
        return .infinity
    }

    /// The density at τ = 0 as bayesmeta evaluates it (the log-normal and log-t densities are taken as 0 there).
    var densityAtZero: Double { density(0) }

    /// The prior density at τ ≥ 0 (unnormalised for the improper priors).
    func density(_ t: Double) -> Double {
        if t < 0 || t > upperSupport { return 0 }
        switch prior {
        case .halfNormal(let s): return 2 / s * Normal.density(t / s)
        case .halfCauchy(let s): return 2 / (Double.pi * s * (1 + (t / s) * (t / s)))
        case .halfStudentT(let df, let s): return 2 / s * StudentT(degreesOfFreedom: df).density(t / s)
        case .uniform(let upper): return 1 / upper
        case .improperUniform: return 1
        case .exponential(let rate): return rate * exp(-rate * t)
        case .jeffreys:
            var total = 0.0
            for v in variances { let a = t / (v + t * t); total += a * a }
            return total.squareRoot()
        case .conventional:
            var logTotal = 0.0
            for v in variances { logTotal += log(v + t * t) }
            return t * exp(-1.5 / Double(variances.count) * logTotal) / normalisingConstant
        case .uniformShrinkage, .uniformISquared:
            let d = scaleSquared + t * t
            return 2 * t * scaleSquared / (d * d)
        case .duMouchel:
            let s0 = scaleSquared.squareRoot()
            return s0 / ((s0 + t) * (s0 + t))
        case .turner(let p):
            guard t > 0 else { return 0 }
            let m = 0.5 * p.meanLog, s = 0.5 * p.sdLog
            return Normal.density((log(t) - m) / s) / (s * t)
        case .rhodes(let p):
            guard t > 0 else { return 0 }
            let m = 0.5 * p.location, s = 0.5 * p.scale
            return StudentT(degreesOfFreedom: 5).density((log(t) - m) / s) / (s * t)
        }
    }

    /// d/dτ log p(τ) for τ > 0 inside the support.
    func logDensityDerivative(_ t: Double) -> Double {
        switch prior {
        case .halfNormal(let s): return -t / (s * s)
        case .halfCauchy(let s): return -2 * t / (s * s + t * t)
        case .halfStudentT(let df, let s): return -(df + 1) * t / (df * s * s + t * t)
        case .uniform, .improperUniform: return 0
        case .exponential(let rate): return -rate
        case .jeffreys:
            var sumSquares = 0.0, sumProducts = 0.0
            for v in variances {
                let d = v + t * t
                let a = t / d, da = (v - t * t) / (d * d)
                sumSquares += a * a
                sumProducts += a * da
            }
            return sumProducts / sumSquares
        case .conventional:
            var total = 0.0
            for v in variances { total += t / (v + t * t) }
            return 1 / t - 3 / Double(variances.count) * total
        case .uniformShrinkage, .uniformISquared:
            return 1 / t - 4 * t / (scaleSquared + t * t)
        case .duMouchel:
            return -2 / (scaleSquared.squareRoot() + t)
        case .turner(let p):
            let m = 0.5 * p.meanLog, s = 0.5 * p.sdLog
            return -1 / t - (log(t) - m) / (s * s * t)
        case .rhodes(let p):
            let m = 0.5 * p.location, s = 0.5 * p.scale
            let z = (log(t) - m) / s
            return -1 / t - 6 * z / (5 + z * z) / (s * t)
        }
    }

    /// P(τ ≤ t) for small t (exact for the proper priors; the leading term for Jeffreys and conventional, whose
    /// densities vanish linearly at 0, so the neglected part is O(t⁴)).
    func cdf(_ t: Double) -> Double {
        guard t > 0 else { return 0 }
        switch prior {
        case .halfNormal(let s): return erf(t / (s * 2.0.squareRoot()))
        case .halfCauchy(let s): return 2 / Double.pi * atan(t / s)
        case .halfStudentT(let df, let s):
            let dist = StudentT(degreesOfFreedom: df)
            return 1 - 2 * dist.cdf(-t / s)
        case .uniform(let upper): return min(t / upper, 1)
        case .improperUniform: return t
        case .exponential(let rate): return -expm1(-rate * t)
        case .jeffreys:
            var total = 0.0
            for v in variances { total += 1 / (v * v) }
            return 0.5 * t * t * total.squareRoot()
        case .conventional:
            var logTotal = 0.0
            for v in variances { logTotal += log(v) }
            return 0.5 * t * t * exp(-1.5 / Double(variances.count) * logTotal) / normalisingConstant
        case .uniformShrinkage, .uniformISquared: return t * t / (scaleSquared + t * t)
        case .duMouchel: let s0 = scaleSquared.squareRoot(); return t / (s0 + t)
        case .turner(let p): return Normal.cdf((log(t) - 0.5 * p.meanLog) / (0.5 * p.sdLog))
        case .rhodes(let p): return StudentT(degreesOfFreedom: 5).cdf((log(t) - 0.5 * p.location) / (0.5 * p.scale))
        }
    }

    /// The exponent a of the density's tail τ^(−a) for large τ (for the propriety check of the posterior).
    var tailExponent: Double {
        switch prior {
        case .improperUniform: return 0
        case .jeffreys: return 1
        case .uniform: return .infinity
        case .halfCauchy, .conventional, .duMouchel: return 2
        case .halfStudentT(let df, _): return df + 1
        case .uniformShrinkage, .uniformISquared: return 3
        case .rhodes: return 1  // τ⁻¹ times a power of log τ: proper, but barely
        case .halfNormal, .exponential, .turner: return .infinity
        }
    }
}
