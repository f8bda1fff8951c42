import MetaNumerics

/// Kendall's rank correlation τ_b between two samples with its test of independence, as R's
/// `cor.test(x, y, method = "kendall")` computes it (Kendall 1970; Hollander & Wolfe 1999, section 8.1).
///
/// S = Σ_{i<j} sign(x_i − x_j) sign(y_i − y_j), τ_b = S / √((n₀ − n₁)(n₀ − n₂)) with n₀ = n(n−1)/2 and
/// n₁, n₂ the tied pairs in x and y. Without ties the p-value is exact: the number of concordant pairs
/// T = (S + n₀)/2 is distributed under independence as the number of inversions of a random permutation,
/// whose distribution is built here by convolution (P_n = P_{n−1} ∗ Uniform{0..n−1}); two-sided
/// p = min(1, 2 P(T ≤ t)) or min(1, 2 P(T ≥ t)) on the side of t. With ties the normal approximation
/// z = S/√Var(S) uses the tie-corrected variance
///
///     Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5) − Σ u(u−1)(2u+5)]/18
///            + [Σ t(t−1)(t−2)][Σ u(u−1)(u−2)] / [9 n(n−1)(n−2)] + [Σ t(t−1)][Σ u(u−1)] / [2 n(n−1)]
///
/// (t, u: sizes of tie groups in x and y), without continuity correction. With `exact = false` the normal
/// approximation is used even without ties (R's `exact = FALSE`).
public struct KendallRankCorrelation: Sendable, Equatable {
    public let sampleSize: Int
    /// Kendall's S.
    public let s: Int
    /// τ_b.
    public let tau: Double
    public let pValue: Double
    /// Whether the p-value is exact (no ties) or from the normal approximation.
    public let isExact: Bool
    /// The z statistic of the normal approximation (nil when exact).
    public let z: Double?

    /// - Precondition: `x.count == y.count`, n ≥ 2, no NaN.
    public init(_ x: [Double], _ y: [Double], exact: Bool = true) {
        precondition(x.count == y.count && x.count >= 2, "Kendall's tau needs two samples of equal size n >= 2")
        let n = x.count
        var s = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                let a = x[i] < x[j] ? -1 : (x[i] > x[j] ? 1 : 0)
                let b = y[i] < y[j] ? -1 : (y[i] > y[j] ? 1 : 0)
                s += a * b
            }
        }
        let tiesX = Self.tieGroupSizes(x), tiesY = Self.tieGroupSizes(y)
        let pairs = Double(n * (n - 1) / 2)
        let tiedX = tiesX.reduce(0.0) { $0 + Double($1 * ($1 - 1) / 2) }
        let tiedY = tiesY.reduce(0.0) { $0 + Double($1 * ($1 - 1) / 2) }
        sampleSize = n
        self.s = s
        tau = Double(s) / ((pairs - tiedX) * (pairs - tiedY)).squareRoot()
        if exact && tiesX.isEmpty && tiesY.isEmpty {
            isExact = true
            z = nil
            let concordant = (s + n * (n - 1) / 2) / 2
            let distribution = Self.inversionDistribution(n)
            let mean = Double(n * (n - 1)) / 4
            if Double(concordant) > mean {
                pValue = min(1, 2 * distribution[concordant...].reduce(0, +))
            } else {
                pValue = min(1, 2 * distribution[...concordant].reduce(0, +))
            }
        } else {
            isExact = false
            let nn = Double(n)
            func sum(_ groups: [Int], _ f: (Double) -> Double) -> Double { groups.reduce(0) { $0 + f(Double($1)) } }
            let v0 = nn * (nn - 1) * (2 * nn + 5)
            let vt = sum(tiesX) { $0 * ($0 - 1) * (2 * $0 + 5) }, vu = sum(tiesY) { $0 * ($0 - 1) * (2 * $0 + 5) }
            let t2 = sum(tiesX) { $0 * ($0 - 1) * ($0 - 2) }, u2 = sum(tiesY) { $0 * ($0 - 1) * ($0 - 2) }
            let t1 = sum(tiesX) { $0 * ($0 - 1) }, u1 = sum(tiesY) { $0 * ($0 - 1) }
            var variance = (v0 - vt - vu) / 18 + t1 * u1 / (2 * nn * (nn - 1))
            if n > 2 { variance += t2 * u2 / (9 * nn * (nn - 1) * (nn - 2)) }
            let statistic = Double(s) / variance.squareRoot()
            z = statistic
            pValue = Normal.twoSidedPValue(statistic)
        }
    }

    /// Sizes (> 1) of the groups of equal values.
    private static func tieGroupSizes(_ values: [Double]) -> [Int] {
        let sorted = values.sorted()
        var groups: [Int] = []
        var run = 1
        for i in 1..<sorted.count {
            if sorted[i] == sorted[i - 1] { run += 1 } else { if run > 1 { groups.append(run) }; run = 1 }
        }
        if run > 1 { groups.append(run) }
        return groups
    }

    /// P(T = t), t = 0…n(n−1)/2, for the number of inversions T of a uniformly random permutation of n items
    /// (the Mahonian numbers over n!), by n − 1 convolutions with a sliding-window sum: O(n³) time.
    static func inversionDistribution(_ n: Int) -> [Double] {
        let maxT = n * (n - 1) / 2
        var p = [Double](repeating: 0, count: maxT + 1)
        p[0] = 1
        var next = p
        var top = 0
        for m in 2...max(2, n) where m <= n {
            // Adding item m adds 0…m−1 inversions with equal probability.
            top += m - 1
            var window = 0.0
            let scale = 1 / Double(m)
            for t in 0...top {
                window += p[t]
                if t - m >= 0 { window -= p[t - m] }
                next[t] = max(0, window) * scale
            }
            swap(&p, &next)
        }
        return p
    }
}

