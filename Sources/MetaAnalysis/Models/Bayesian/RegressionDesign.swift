#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The prior on a Bayesian meta-regression's coefficients β.
public enum CoefficientPrior: Sendable, Equatable {
    /// The improper uniform prior (bayesmeta's `bmr` default).
    case improperUniform
    /// β ~ N(mean, covariance), covariance given by its rows (symmetric positive definite).
    case normal(mean: [Double], covariance: [[Double]])

    public var label: String {
        switch self {
        case .improperUniform: return "improper uniform"
        case let .normal(m, c):
            let sds = c.indices.map { i in c[i].indices.contains(i) ? c[i][i].squareRoot() : .nan }
            return "normal (mean \(m.map { "\($0)" }.joined(separator: ", ")); sd \(sds.map { "\($0)" }.joined(separator: ", ")))"
        }
    }
}

/// The design of a meta-regression θᵢ ~ N(xᵢ'β, τ²) and its β prior, with what the τ integration needs given τ.
///
/// Given τ, with wᵢ = 1/(σᵢ² + τ²), A = X'WX + Ψ⁻¹ and c = X'Wy + Ψ⁻¹β₀ (Ψ⁻¹ = 0 for the flat prior), β | τ, y is
/// N(A⁻¹c, A⁻¹) and log p(y | τ) = const − ½Σ log(σᵢ² + τ²) − ½ log|A| − ½[Σwᵢ(yᵢ − xᵢ'b)² + (b − β₀)'Ψ⁻¹(b − β₀)]
/// (the restricted likelihood for the flat prior; Röver & Friede 2022, "Using the bayesmeta R package for Bayesian
/// random-effects meta-regression", Comput Methods Programs Biomed 229, §2).
struct RegressionDesign: Sendable {
    let columns: Int
    /// The design, row-major (k × d).
    let x: [Double]
    /// Ψ⁻¹, row-major (d × d); nil for the flat prior.
    let priorPrecision: [Double]?
    let priorMean: [Double]
    /// log |Ψ| (0 for the flat prior).
    let priorLogDeterminant: Double
    let priorLabel: String

    var hasProperPrior: Bool { priorPrecision != nil }

    /// The same design with the flat prior (for maximum-likelihood estimates).
    var withoutPrior: RegressionDesign {
        RegressionDesign(columns: columns, x: x, priorPrecision: nil, priorMean: [Double](repeating: 0, count: columns),
                         priorLogDeterminant: 0, priorLabel: CoefficientPrior.improperUniform.label)
    }

    struct Conditional {
        var logLikelihood: Double
        /// d log p(y | τ)/dτ².
        var score: Double
        /// E[β | τ, y] and Cov[β | τ, y] (row-major).
        var mean: [Double]
        var covariance: [Double]
    }

    /// L with LLᵀ = a (row-major, lower triangle; d is small, so no LAPACK call in the τ integrand); nil if a is not
    /// positive definite.
    static func cholesky(_ a: [Double], order d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for j in 0..<d {
            var s = a[j * d + j]
            for m in 0..<j { s -= l[j * d + m] * l[j * d + m] }
            guard s > 0 && s.isFinite else { return nil }
            let ljj = s.squareRoot()
            l[j * d + j] = ljj
            for i in (j + 1)..<d {
                var t = a[i * d + j]
                for m in 0..<j { t -= l[i * d + m] * l[j * d + m] }
                l[i * d + j] = t / ljj
            }
        }
        return l
    }

    /// (LLᵀ)⁻¹, row-major, column by column.
    static func inverse(cholesky l: [Double], order d: Int) -> [Double] {
        var inverse = [Double](repeating: 0, count: d * d)
        for m in 0..<d {
            var e = [Double](repeating: 0, count: d)
            e[m] = 1
            let column = backward(l, forward(l, e, order: d), order: d)
            for j in 0..<d { inverse[j * d + m] = column[j] }
        }
        return inverse
    }

    /// Solves L z = b (forward substitution).
    static func forward(_ l: [Double], _ b: [Double], order d: Int) -> [Double] {
        var z = b
        for i in 0..<d {
            var s = z[i]
            for m in 0..<i { s -= l[i * d + m] * z[m] }
            z[i] = s / l[i * d + i]
        }
        return z
    }

    /// Solves Lᵀ x = z (back substitution).
    static func backward(_ l: [Double], _ z: [Double], order d: Int) -> [Double] {
        var x = z
        for i in stride(from: d - 1, through: 0, by: -1) {
            var s = x[i]
            for m in (i + 1)..<d { s -= l[m * d + i] * x[m] }
            x[i] = s / l[i * d + i]
        }
        return x
    }

    func conditional(_ t: Double, y: [Double], v: [Double]) -> Conditional {
        let d = columns, k = y.count, t2 = t * t
        var a = priorPrecision ?? [Double](repeating: 0, count: d * d)
        var c = [Double](repeating: 0, count: d)
        if let p = priorPrecision {
            for j in 0..<d { for m in 0..<d { c[j] += p[j * d + m] * priorMean[m] } }
        }
        var logDeterminant = 0.0, sw = 0.0
        for i in 0..<k {
            let w = 1 / (v[i] + t2)
            logDeterminant += log(v[i] + t2)
            sw += w
            for j in 0..<d {
                let xij = x[i * d + j]
                c[j] += w * xij * y[i]
                for m in 0...j { a[j * d + m] += w * xij * x[i * d + m] }
            }
        }
        guard let l = Self.cholesky(a, order: d) else {
            return Conditional(logLikelihood: -.infinity, score: .nan, mean: [Double](repeating: .nan, count: d),
                               covariance: [Double](repeating: .nan, count: d * d))
        }
        var logDeterminantA = 0.0
        for j in 0..<d { logDeterminantA += 2 * log(l[j * d + j]) }
        let b = Self.backward(l, Self.forward(l, c, order: d), order: d)
        let covariance = Self.inverse(cholesky: l, order: d)
        var q = 0.0, score = -0.5 * sw
        var row = [Double](repeating: 0, count: d)
        for i in 0..<k {
            let w = 1 / (v[i] + t2)
            var fitted = 0.0
            for j in 0..<d { row[j] = x[i * d + j]; fitted += row[j] * b[j] }
            let r = y[i] - fitted
            q += w * r * r
            let z = Self.forward(l, row, order: d)
            var leverage = 0.0
            for j in 0..<d { leverage += z[j] * z[j] }
            score += 0.5 * w * w * (leverage + r * r)
        }
        var constant = -0.5 * Double(k - d) * log(2 * Double.pi)
        if let p = priorPrecision {
            for j in 0..<d {
                for m in 0..<d { q += (b[j] - priorMean[j]) * p[j * d + m] * (b[m] - priorMean[m]) }
            }
            constant = -0.5 * Double(k) * log(2 * Double.pi) - 0.5 * priorLogDeterminant
        }
        return Conditional(logLikelihood: constant - 0.5 * logDeterminant - 0.5 * logDeterminantA - 0.5 * q,
                           score: score, mean: b, covariance: covariance)
    }
}
