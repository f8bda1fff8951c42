/// What a bootstrap run says about each statistic: the original estimate, the replicates' mean, bias and
/// standard error, and percentile, basic and BCa intervals; plus which replicates failed.
///
/// Failed replicates are left out of every summary (as `boot.ci` drops non-finite values) and reported by
/// number and reason, never dropped silently.
///
/// The basic interval (2θ̂ − θ*_{1−α/2}, 2θ̂ − θ*_{α/2}) reflects the replicates about θ̂ and so can leave the
/// parameter's range — a negative τ² or I², an H² below 1 — where `boot.ci` reports it as is. Here, given the
/// statistics' ranges (``parameterRanges(statisticNames:estimator:)``), it is truncated to the range and the
/// untruncated bounds are kept in `basicUntruncated`, so a report can say so. Percentile and BCa intervals are
/// replicate quantiles and never leave the range.
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
        /// The basic interval before truncation to ``range``; nil when it was inside the range.
        public var basicUntruncated: BootstrapInterval?
        /// The parameter's range, when it has one.
        public var range: ClosedRange<Double>?
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
    ///
    /// - Parameter ranges: per statistic, the parameter's range to which the basic interval is truncated
    ///   (nil entries, or nil: no truncation).
    public init(estimates: [Double], jackknife: [[Double]?], replicates: BootstrapReplicates, level: Double,
                ranges: [ClosedRange<Double>?]? = nil) {
        let m = replicates.statisticNames.count
        precondition(estimates.count == m, "one estimate per statistic")
        precondition(ranges == nil || ranges!.count == m, "one range per statistic")
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
                                 percentile: nil, basic: nil, basicUntruncated: nil, range: ranges?[j], bca: nil,
                                 bcaUnavailableReason: "no replicate succeeded")
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
            var basic = BootstrapInterval.basic(sorted: t, estimate: t0, level: level)
            var untruncated: BootstrapInterval?
            if let range = ranges?[j], !(range.contains(basic.lower) && range.contains(basic.upper)) {
                untruncated = basic
                basic = BootstrapInterval(lower: min(max(basic.lower, range.lowerBound), range.upperBound),
                                          upper: min(max(basic.upper, range.lowerBound), range.upperBound))
            }
            return Statistic(name: name, estimate: t0, successful: t.count, mean: mean, bias: mean - t0, standardError: se,
                             percentile: BootstrapInterval.percentile(sorted: t, level: level),
                             basic: basic, basicUntruncated: untruncated, range: ranges?[j], bca: bca, bcaUnavailableReason: reason)
        }
    }

    /// The ranges of a bootstrap's statistics (``Bootstrap/statisticNames``: the coefficients, then `tau2`,
    /// `I2`, `H2`): τ² ∈ [0, ∞), I² ∈ [0, 100], and H² ∈ [1, ∞) for a random-effects model (H² = 1 + τ²/ṽ) but
    /// [0, ∞) for the common-effect model (H² = Q/(k − 1), Higgins & Thompson 2002); coefficients are unbounded.
    public static func parameterRanges(statisticNames names: [String], estimator: TauSquaredEstimator) -> [ClosedRange<Double>?] {
        let m = names.count
        guard m >= 4, Array(names.suffix(3)) == ["tau2", "I2", "H2"] else { return Array(repeating: nil, count: m) }
        let hLower = estimator == .commonEffect ? 0.0 : 1.0
        return Array(repeating: nil, count: m - 3) + [0...Double.infinity, 0...100, hLower...Double.infinity]
    }
}
