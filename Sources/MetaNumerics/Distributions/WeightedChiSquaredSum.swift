#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distribution of Q = Σ λ_j X_j with X_j independent χ²₁ and λ_j > 0: the null distribution of a
/// generalized Cochran's Q (Jackson 2013) and of other positive definite quadratic forms in normal variables.
///
/// `cdf` uses Ruben's (1962) expansion as a mixture of central χ² distributions,
///
///     P(Q ≤ x) = Σ_{i≥0} c_i · P(χ²_{n+2i} ≤ x/β),
///     c_0 = Π (β/λ_j)^{1/2},  c_i = (1/2i) Σ_{r<i} g_{i−r} c_r,  g_m = Σ_j (1 − β/λ_j)^m,
///
/// with β = 2/(1/λ_min + 1/λ_max) (the choice of Farebrother 1984, AS 204), which makes the series converge
/// geometrically with ratio (λ_max − λ_min)/(λ_max + λ_min). The χ² probabilities are obtained by the
/// recursion P(χ²_{m+2} ≤ y) = P(χ²_m ≤ y) − e^{−y/2}(y/2)^{m/2}/Γ(m/2 + 1). Absolute accuracy ~1e-14.
public struct WeightedChiSquaredSum: Sendable {
    public let weights: [Double]
    /// Series terms allowed before giving up (λ_max/λ_min beyond ~10⁵ needs more).
    public static let maximumTerms = 40_000

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case nonPositiveWeight(Double)
        case seriesDidNotConverge(terms: Int)
        public var description: String {
            switch self {
            case let .nonPositiveWeight(w): return "weights must be positive (found \(w))"
            case let .seriesDidNotConverge(n): return "Ruben's series did not converge in \(n) terms"
            }
        }
    }

    public init(weights: [Double]) throws(Failure) {
        for w in weights where !(w > 0 && w.isFinite) { throw .nonPositiveWeight(w) }
        self.weights = weights
    }

    /// P(Q ≤ x).
    public func cdf(_ x: Double) throws(Failure) -> Double {
        let n = weights.count
        guard n > 0 else { return x >= 0 ? 1 : 0 }
        guard x > 0 else { return 0 }
        if n == 1 { return Self.chiSquaredCDF(degreesOfFreedom: 1, x / weights[0]) }
        var lmin = Double.infinity, lmax = 0.0
        for l in weights { lmin = min(lmin, l); lmax = max(lmax, l) }
        let beta = 2 / (1 / lmin + 1 / lmax)
        var logC0 = 0.0
        for l in weights { logC0 += 0.5 * log(beta / l) }
        let y = x / beta
        // The series stops when its coefficients have decayed (geometrically with the ratio above, to 1e-18) or the
        // χ² tail F_m(y) has (m ≳ y + 10√y). When both need more than `maximumTerms` terms, fail now rather than
        // after maximumTerms² / 2 operations (λ spanning 10 orders of magnitude made every call take seconds).
        let ratio = (lmax - lmin) / (lmax + lmin)
        let decayTerms = ratio > 0 && ratio < 1 ? log(1e-18) / log(ratio) : 0
        let tailTerms = 0.5 * (y + 10 * y.squareRoot() + 80)
        guard min(decayTerms, tailTerms) <= Double(Self.maximumTerms) else {
            throw .seriesDidNotConverge(terms: Self.maximumTerms)
        }
        let halfY = 0.5 * y
        let logHalfY = log(halfY)
        var c: [Double] = [exp(logC0)]
        var g: [Double] = [0]
        let gammas = weights.map { 1 - beta / $0 }
        var powers = gammas
        var m = Double(n)
        var f = Self.chiSquaredCDF(degreesOfFreedom: m, y)
        var total = c[0] * f
        for i in 1...Self.maximumTerms {
            // F_{m+2} = F_m − h_m, h_m = e^{−y/2} (y/2)^{m/2} / Γ(m/2 + 1).
            f -= exp(-halfY + 0.5 * m * logHalfY - logGamma(0.5 * m + 1))
            if f < 0 { f = 0 }
            m += 2
            var gi = 0.0
            for j in 0..<n { gi += powers[j]; powers[j] *= gammas[j] }
            g.append(gi)
            var s = 0.0
            for r in 0..<i { s += g[i - r] * c[r] }
            let ci = s / Double(2 * i)
            c.append(ci)
            total += ci * f
            if f < 1e-18 || (i > 4 && abs(ci) < 1e-18 && abs(c[i - 1]) < 1e-18) {
                return min(1, max(0, total))
            }
        }
        throw .seriesDidNotConverge(terms: Self.maximumTerms)
    }

    /// P(χ²_ν ≤ y) = P(ν/2, y/2).
    static func chiSquaredCDF(degreesOfFreedom nu: Double, _ y: Double) -> Double {
        y > 0 ? regularizedGammaP(0.5 * nu, 0.5 * y) : 0
    }
}
