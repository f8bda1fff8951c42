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
/// with β = λ_min, the choice of Farebrother (1984, AS 204, `mode` = 1) that CompQuadForm's `farebrother` uses
/// by default. Then every 1 − β/λ_j lies in [0, 1), so every c_i ≥ 0 and Σ c_i = 1: the c_i are the
/// probabilities of a mixing distribution and every term of the series is non-negative, so no cancellation can
/// occur whatever n is. (β = 2/(1/λ_min + 1/λ_max) converges faster but makes the coefficients alternate in sign;
/// with ~150 weights its terms reach 1e43 and the sum is rounding noise.) Each χ² probability is the regularized
/// incomplete gamma function, computed directly (no recursion that subtracts).
///
/// `survival` sums Σ c_i P(χ²_{n+2i} > y), also non-negative, so both tails keep their relative accuracy.
///
/// Truncation: the probabilities F_i = P(χ²_{n+2i} ≤ y) decrease in i and the c_i sum to 1, so the tail of the cdf
/// series after term i is at most F_{i+1} · (1 − Σ_{r≤i} c_r). The cdf stops when that bound is below 1e-17 of the
/// sum. Past the mode of the c_i, c_{i+1}/c_i < γ_max = 1 − λ_min/λ_max (each factor's coefficients are those of
/// (1 − γ_j z)^{-1/2}, whose ratios increase to γ_j), so the remaining mass is below c_i λ_max/λ_min; both tails stop
/// when that is below 1e-17 of Σ c_r, and are then divided by the computed Σ c_r (relative accuracy ~1e-13, limited
/// by rounding in the c_i recursion). The number of terms needed grows like
/// x/(2 λ_min); beyond `maximumTerms` the series is not attempted further and `cdf` throws
/// `.seriesDidNotConverge` (a typed error, never a clamped value).
///
/// The c_i are carried with a separate binary scale, so c_0 = Π (λ_min/λ_j)^{1/2} may lie far below the smallest
/// double (n = 1000 weights spread over a factor 5 give c_0 ≈ e^{-800}).
public struct WeightedChiSquaredSum: Sendable {
    public let weights: [Double]
    /// Series terms allowed before giving up; the cost is quadratic in the number of terms (20,000 terms take
    /// ~0.3 s). The terms needed grow like x/(2 λ_min), i.e. like Σ λ_j / (2 λ_min) near the centre.
    public static let maximumTerms = 20_000
    /// Relative size of the truncated tail at which summation stops.
    static let truncation = 1e-17

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case nonPositiveWeight(Double)
        case seriesDidNotConverge(terms: Int)
        public var description: String {
            switch self {
            case let .nonPositiveWeight(w): return "weights must be positive (found \(w))"
            case let .seriesDidNotConverge(n):
                return "the weighted chi-square series did not reach its accuracy in \(n) terms (the weights' spread, lambda_max/lambda_min, is too large)"
            }
        }
    }

    public init(weights: [Double]) throws(Failure) {
        for w in weights where !(w > 0 && w.isFinite) { throw .nonPositiveWeight(w) }
        self.weights = weights
    }

    /// P(Q ≤ x), to ~1e-13 relative.
    public func cdf(_ x: Double) throws(Failure) -> Double {
        try series(x, needsUpperTail: false).lower
    }

    /// P(Q > x), to ~1e-13 relative (summed as its own series, not as 1 − cdf, so a small upper tail keeps its
    /// digits).
    public func survival(_ x: Double) throws(Failure) -> Double {
        try series(x, needsUpperTail: true).upper
    }

    /// Σ c_i F_i and Σ c_i (1 − F_i). When every c_i that matters has been summed (the remaining mass is at the
    /// rounding level of 1), both sums are divided by the computed Σ c_i: the c_i share the rounding error of c_0
    /// (|log c_0| ulps, ~1e-13 for 1000 weights), which the ratio cancels. The lower tail alone may stop earlier,
    /// once F_i makes the rest negligible.
    private func series(_ x: Double, needsUpperTail: Bool) throws(Failure) -> (lower: Double, upper: Double) {
        let n = weights.count
        guard n > 0 else { return x >= 0 ? (1, 0) : (0, 1) }
        guard x > 0 else { return (0, 1) }
        if n == 1 {
            let half = 0.5 * x / weights[0]
            return (regularizedGammaP(0.5, half), regularizedGammaQ(0.5, half))
        }
        var beta = Double.infinity, largest = 0.0
        for l in weights { beta = min(beta, l); largest = max(largest, l) }
        // Past the mode, c_{i+1}/c_i stays below γ_max = 1 − λ_min/λ_max, so the c tail after term i is at most
        // c_i γ_max/(1 − γ_max) < c_i λ_max/λ_min.
        let tailFactor = largest / beta
        var logC0 = 0.0
        for l in weights { logC0 += 0.5 * log(beta / l) }
        let gammas = weights.map { 1 - beta / $0 }
        var powers = gammas
        let halfY = 0.5 * x / beta
        // c_i = scaled[i] · exp(logScale); scaled values are rescaled whenever they grow large.
        var scaled: [Double] = [1]
        var logScale = logC0
        var g: [Double] = [0]
        var mass = 0.0, massCompensation = 0.0  // Kahan-compensated Σ c_r
        var lower = 0.0, upper = 0.0
        let rescaleAbove = 0x1p900, rescaleFactor = 0x1p-900, rescaleLog = 900 * M_LN2
        for i in 0...Self.maximumTerms {
            if i > 0 {
                var gi = 0.0
                for j in 0..<n { gi += powers[j]; powers[j] *= gammas[j] }
                g.append(gi)
                var s = 0.0
                for r in 0..<i { s += g[i - r] * scaled[r] }
                let ci = s / Double(2 * i)
                scaled.append(ci)
                if ci > rescaleAbove {
                    for r in 0...i { scaled[r] *= rescaleFactor }
                    logScale += rescaleLog
                }
            }
            let c = scaled[i] > 0 ? exp(log(scaled[i]) + logScale) : 0
            // F_i = P(χ²_{n+2i} ≤ y) and 1 − F_i, each computed on the side where it is the smaller one.
            let a = 0.5 * Double(n + 2 * i)
            let f: Double, q: Double
            if halfY < a {
                f = regularizedGammaP(a, halfY); q = 1 - f
            } else {
                q = regularizedGammaQ(a, halfY); f = 1 - q
            }
            lower += c * f
            upper += c * q
            let term = c - massCompensation
            let sum = mass + term
            massCompensation = (sum - mass) - term
            mass = sum
            let restMass = max(0, 1 - mass)
            // Every later term of either sum is at most c_r, whose sum is below c_i λ_max/λ_min past the mode.
            let needed = needsUpperTail ? min(upper, lower) : lower
            if i > 0 && scaled[i] < scaled[i - 1] && c * tailFactor <= Self.truncation * needed {
                return (lower / mass, upper / mass)
            }
            // A lower tail below 1/2 may stop earlier: the rest is at most F_{i+1} · restMass ≤ F_i · restMass.
            // (Above 1/2 it runs on to the normalization, which keeps 1 − cdf accurate.)
            if !needsUpperTail && lower < 0.5 && f * restMass <= Self.truncation * lower {
                return (lower, upper)
            }
            if !needsUpperTail && lower == 0 && f == 0 { return (0, 1) }
        }
        throw .seriesDidNotConverge(terms: Self.maximumTerms)
    }

    /// P(χ²_ν ≤ y) = P(ν/2, y/2).
    static func chiSquaredCDF(degreesOfFreedom nu: Double, _ y: Double) -> Double {
        y > 0 ? regularizedGammaP(0.5 * nu, 0.5 * y) : 0
    }
}
