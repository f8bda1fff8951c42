import MetaAnalysis
import Testing

@Suite("Bootstrap basic intervals truncated to the parameter's range")
struct BootstrapBasicTruncationTests {
    /// 19 replicates at level 90%: ranks (R+1)·0.05 = 1 and (R+1)·0.95 = 19 are whole, so the quantiles are the
    /// extreme order statistics and the basic interval is (2θ̂ − max, 2θ̂ − min) exactly (Davison & Hinkley 1997,
    /// eq. 5.6) — hand-computable values.
    static func replicates() -> BootstrapReplicates {
        var values: [Double] = []
        for i in 0..<19 {
            let d = Double(i)
            values += [-0.5 + 0.01 * d, 0.01 * d, 60 + 2 * d, 1 + 0.1 * d]
        }
        return BootstrapReplicates(statisticNames: Bootstrap.interceptOnlyStatisticNames, replicates: 0..<19, values: values, failures: [])
    }

    @Test("τ² at 0, I² near 100, H² at 1: basic bounds outside the range are truncated, the raw bounds kept")
    func truncation() throws {
        let ranges = BootstrapSummary.parameterRanges(statisticNames: Bootstrap.interceptOnlyStatisticNames, estimator: .restrictedMaximumLikelihood)
        let summary = BootstrapSummary(estimates: [-0.4, 0, 95, 1], jackknife: [], replicates: Self.replicates(), level: 90, ranges: ranges)
        let s = summary.statistics
        // beta: unbounded, (−0.8 + 0.5 − 0.18 ... ) = (2(−0.4) − (−0.32), 2(−0.4) − (−0.5)) = (−0.48, −0.3), untouched.
        #expect(abs(s[0].basic!.lower - -0.48) < 1e-12 && abs(s[0].basic!.upper - -0.3) < 1e-12)
        #expect(s[0].basicUntruncated == nil)
        // tau2: (0 − 0.18, 0 − 0) = (−0.18, 0) → (0, 0).
        #expect(s[1].basic == BootstrapInterval(lower: 0, upper: 0))
        #expect(abs(s[1].basicUntruncated!.lower - -0.18) < 1e-12 && s[1].basicUntruncated!.upper == 0)
        // I2: (190 − 96, 190 − 60) = (94, 130) → (94, 100).
        #expect(s[2].basic == BootstrapInterval(lower: 94, upper: 100))
        #expect(s[2].basicUntruncated == BootstrapInterval(lower: 94, upper: 130))
        // H2: (2 − 2.8, 2 − 1) = (−0.8, 1) → (1, 1) for a random-effects model.
        #expect(s[3].basic == BootstrapInterval(lower: 1, upper: 1))
        #expect(abs(s[3].basicUntruncated!.lower - -0.8) < 1e-12)
        // The percentile intervals are order statistics: inside the range, never changed.
        #expect(s[2].percentile == BootstrapInterval(lower: 60, upper: 96))
        // Without ranges the basic interval is boot.ci's, as is.
        let raw = BootstrapSummary(estimates: [-0.4, 0, 95, 1], jackknife: [], replicates: Self.replicates(), level: 90)
        #expect(raw.statistics[2].basic == BootstrapInterval(lower: 94, upper: 130) && raw.statistics[2].basicUntruncated == nil)
    }

    @Test("Common-effect model: H² = Q/(k − 1) may be below 1, so its range starts at 0; coefficients are unbounded")
    func ranges() {
        let ee = BootstrapSummary.parameterRanges(statisticNames: ["intrcpt", "x", "tau2", "I2", "H2"], estimator: .commonEffect)
        #expect(ee[0] == nil && ee[1] == nil)
        #expect(ee[2] == 0...Double.infinity && ee[3] == 0...100 && ee[4] == 0...Double.infinity)
        #expect(BootstrapSummary.parameterRanges(statisticNames: ["beta", "tau2", "I2", "H2"], estimator: .derSimonianLaird)[3] == 1...Double.infinity)
    }
}
