/// What a bootstrap run says about each statistic: the original estimate, the replicates' mean, bias and
/// standard error, and percentile, basic and BCa intervals; plus which replicates failed.
///
/// Failed replicates are left out of every summary (as `boot.ci` drops non-finite values) and reported by
/// number and reason, never dropped silently.
public struct BootstrapSummary: Sendable, Equatable {
    public struct Statistic: Sendable, Equatable {
        public var name: String
        /// θ̂ on the original data.
        public var estimate: Double
        /// Number of replicates with a finite value.
        public var successful: Int
        public var mean: Double
        /// mean − θ̂.
        public var bias: Double
        /// Standard deviation of the replicates (divisor R − 1).
        public var standardError: Double
        public var percentile: BootstrapInterval?
        public var basic: BootstrapInterval?
        /// Nil when not computable (see `bcaUnavailableReason`).
        public var bca: BootstrapInterval?
        public var bcaUnavailableReason: String?
    }

    public var statistics: [Statistic]
    /// B, the replicates run (including failed ones).
    public var replicateCount: Int
    public var failures: [BootstrapFailure]
    /// Confidence level in percent.
    public var level: Double

    /// Summarises `replicates` (all of 0..<B) against the original estimates `estimates` and the jackknife
    /// values (one row per left-out study, nil where that refit failed; BCa needs every row).
    public init(estimates: [Double], jackknife: [[Double]?], replicates: BootstrapReplicates, level: Double) {
        let m = replicates.statisticNames.count
        precondition(estimates.count == m, "one estimate per statistic")
        self.replicateCount = replicates.replicates.count
        self.failures = replicates.failures
        self.level = level
        let jackknifeComplete = jackknife.count >= 3 && jackknife.allSatisfy { $0 != nil }
        statistics = (0..<m).map { j in
            let name = replicates.statisticNames[j]
            let t0 = estimates[j]
            let t = replicates.column(j).filter(\.isFinite).sorted()
            guard !t.isEmpty else {
                return Statistic(name: name, estimate: t0, successful: 0, mean: .nan, bias: .nan, standardError: .nan,
                                 percentile: nil, basic: nil, bca: nil, bcaUnavailableReason: "no replicate succeeded")
            }
            let r = Double(t.count)
            let mean = t.reduce(0, +) / r
            var ss = 0.0
            for x in t { ss += (x - mean) * (x - mean) }
            let se = t.count > 1 ? (ss / (r - 1)).squareRoot() : .nan
            var bca: BootstrapInterval?
            var reason: String?
            if !jackknifeComplete {
                reason = jackknife.count < 3 ? "the jackknife needs k >= 3 studies" : "a leave-one-out refit failed"
            } else {
                bca = BootstrapInterval.bca(sorted: t, estimate: t0, jackknife: jackknife.map { $0![j] }, level: level)
                if bca == nil { reason = "the bias correction or the acceleration is not finite (replicates all on one side of the estimate, or no jackknife spread)" }
            }
            return Statistic(name: name, estimate: t0, successful: t.count, mean: mean, bias: mean - t0, standardError: se,
                             percentile: BootstrapInterval.percentile(sorted: t, level: level),
                             basic: BootstrapInterval.basic(sorted: t, estimate: t0, level: level),
                             bca: bca, bcaUnavailableReason: reason)
        }
    }
}
