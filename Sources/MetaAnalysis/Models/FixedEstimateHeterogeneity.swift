/// Cochran's Q of per-study estimates around a given pooled estimate, with I² and H² from Q:
///
///     Q = Σ (yᵢ − θ̂)²/vᵢ,  df = k − 1,  I² = max(0, 100 (Q − df)/Q),  H² = Q/df
///
/// (Cochran 1954; Higgins & Thompson 2002.) The Mantel–Haenszel and Peto fits use it with their own θ̂
/// (not the inverse-variance one), as metafor's `rma.mh` and `rma.peto` do.
public struct FixedEstimateHeterogeneity: Sendable, Equatable {
    /// Number of studies in Q (`k_yi`).
    public let studyCount: Int
    /// Q with df = k − 1 (absent when fewer than two studies have an effect size).
    public let q: ChiSquareTest?
    /// I² in percent and H² (absent with Q).
    public let iSquared: Double?
    public let hSquared: Double?

    /// - Parameters: `y`, `v`: the studies' effect sizes and variances (only finite pairs are used); `estimate`: θ̂.
    public init(y: [Double], v: [Double], around estimate: Double) {
        var q = 0.0, k = 0
        for i in y.indices where y[i].isFinite && v[i].isFinite && v[i] > 0 {
            let r = y[i] - estimate
            q += r * r / v[i]
            k += 1
        }
        self.init(q: q, studyCount: k)
    }

    /// From a Q computed elsewhere over `studyCount` studies.
    init(q: Double, studyCount k: Int) {
        studyCount = k
        guard k > 1, q.isFinite else {
            self.q = nil
            iSquared = nil
            hSquared = nil
            return
        }
        let df = Double(k - 1)
        self.q = ChiSquareTest(statistic: q, degreesOfFreedom: k - 1)
        iSquared = q > 0 ? max(0, 100 * (q - df) / q) : 0
        hSquared = q / df
    }
}
