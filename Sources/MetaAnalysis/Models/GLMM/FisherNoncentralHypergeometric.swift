#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// Fisher's noncentral hypergeometric distribution of the a-cell of a 2×2 table given its margins:
///
///     P(a) = C(n₁, a) C(n₂, m₁ − a) ψᵃ / Σᵤ C(n₁, u) C(n₂, m₁ − u) ψᵘ,   u = max(0, m₁ − n₂) … min(n₁, m₁)
///
/// (Fisher 1935; McCullagh & Nelder 1989, §7.3; the conditional likelihood of the odds ratio, Stijnen,
/// Hamza & Özdemir 2010, eq. 9.) Sums run in log space from the mode outwards and stop once terms fall
/// below e^−45 of the largest, so large trials cost O(√variance) rather than O(m₁).
struct FisherNoncentralHypergeometric: Sendable {
    let lower: Int
    let upper: Int
    /// log C(n₁, u) + log C(n₂, m₁ − u) for u = lower…upper.
    let logWeights: [Double]

    init(n1: Double, n2: Double, events m1: Double) {
        lower = Int(max(0, m1 - n2))
        upper = Int(min(n1, m1))
        logWeights = (lower...upper).map { u in
            let x = Double(u)
            return ConditionalLikelihood.logChoose(n1, x) + ConditionalLikelihood.logChoose(n2, m1 - x)
        }
    }

    /// Whether the margins leave a single possible table (no information about ψ).
    var isDegenerate: Bool { lower == upper }

    /// log of the normalising sum, E[a] and Var[a] at log ψ = θ.
    func moments(logOddsRatio theta: Double) -> (logNormalizer: Double, mean: Double, variance: Double) {
        let count = logWeights.count
        // The terms are log-concave in u: find the largest by bisection on the slope, then walk both ways.
        var lo = 0, hi = count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if term(mid, theta) < term(mid + 1, theta) { lo = mid + 1 } else { hi = mid }
        }
        let mode = lo
        let best = term(mode, theta)
        var s0 = 0.0, s1 = 0.0, s2 = 0.0
        func add(_ i: Int) -> Bool {
            let w = exp(term(i, theta) - best)
            let d = Double(i - mode)
            s0 += w
            s1 += w * d
            s2 += w * d * d
            return w > 2.9e-20
        }
        _ = add(mode)
        var i = mode - 1
        while i >= 0, add(i) { i -= 1 }
        i = mode + 1
        while i < count, add(i) { i += 1 }
        let meanOffset = s1 / s0
        return (best + log(s0), Double(lower + mode) + meanOffset, max(0, s2 / s0 - meanOffset * meanOffset))
    }

    /// log P(a) given the normaliser from `moments`.
    func logProbability(_ a: Double, logNormalizer: Double, logOddsRatio theta: Double) -> Double {
        logWeights[Int(a) - lower] + a * theta - logNormalizer
    }

    private func term(_ i: Int, _ theta: Double) -> Double { logWeights[i] + Double(lower + i) * theta }

    /// The conditional maximum-likelihood log odds ratio of the table alone: the root of a = E_θ[a].
    /// ±∞ when a is at an end of its support.
    func maximumLikelihood(_ a: Double) -> (theta: Double, variance: Double, logLikelihood: Double) {
        if Int(a) == lower || Int(a) == upper {
            return (Int(a) == lower ? -.infinity : .infinity, .infinity, 0)
        }
        var theta = 0.0
        for _ in 0..<200 {
            let m = moments(logOddsRatio: theta)
            var step = (a - m.mean) / m.variance
            if !step.isFinite { break }
            step = max(-2, min(2, step))
            theta += step
            if abs(step) < 1e-14 * max(1, abs(theta)) { break }
        }
        let m = moments(logOddsRatio: theta)
        return (theta, 1 / m.variance, logProbability(a, logNormalizer: m.logNormalizer, logOddsRatio: theta))
    }
}
