import MetaData
@testable import MetaAnalysis
import Testing

#if canImport(Glibc)
import Glibc
#endif

private func close(_ a: Double, _ b: Double, relative: Double) -> Bool { abs(a - b) <= relative * abs(b) }

@Suite("Confidence-interval conversions")
struct ConfidenceIntervalConversionTests {
    /// Heart (BMJ) worked example, Table 4 (the Adventist study; https://heart.bmj.com, markup 156479): female
    /// RR 2.15 (95% CI 1.33 to 3.47) → ln RR 0.765468 (0.285179 to 1.244155); the two half-widths over 1.96
    /// give SEs 0.244228 and 0.245045, averaging 0.244637 — the full width over 2 × 1.96.
    @Test func logRatioFromReportedInterval() throws {
        let hand = try ConfidenceIntervalConversion.logRatio(2.15, lower: 1.33, upper: 3.47, criticalValue: 1.96)
        #expect(abs(hand.yi - 0.765468) < 5e-7)
        #expect(abs(hand.sei - 0.244637) < 5e-7)
        // With the exact 97.5% normal quantile (1.959964) instead of 1.96 the SE moves by 1.8e-5 relative.
        let exact = try ConfidenceIntervalConversion.logRatio(2.15, lower: 1.33, upper: 3.47)
        #expect(close(exact.sei, 0.244637 * 1.96 / 1.959963984540054, relative: 1e-5))
    }

    /// Cochrane Handbook v6.4 §6.5.2.3: a 95% interval is 3.92 SEs wide for large samples (3.29 at 90%, 5.15 at 99%).
    @Test(arguments: [(95.0, 3.92), (90.0, 3.29), (99.0, 5.15)])
    func widthInStandardErrors(level: Double, width: Double) throws {
        let se = try ConfidenceIntervalConversion.standardError(lower: 0, upper: 1, level: level)
        #expect(abs(1 / se - width) < 0.006)
    }

    /// Cochrane Handbook v5.1 §7.7.3.2: a 95% CI for one group's mean with n = 25 is 2 × 2.0639 = 4.128 SEs
    /// wide (t with 24 df).
    @Test func tBasedInterval() throws {
        let se = try ConfidenceIntervalConversion.standardError(lower: 0, upper: 4.128, degreesOfFreedom: 24)
        #expect(abs(se - 1) < 1e-4)
    }

    /// Cochrane Handbook v5.1 §7.7.3.3: MD 3.8 with P = 0.008 from a t test on 25 + 22 participants:
    /// t = tinv(0.008, 45) = 2.78, SE = 3.8/2.78 = 1.37.
    @Test func standardErrorFromPValue() throws {
        let se = try ConfidenceIntervalConversion.standardError(estimate: 3.8, pValue: 0.008, degreesOfFreedom: 45)
        #expect(abs(3.8 / se - 2.78) < 0.005)
        #expect(abs(se - 1.37) < 0.005)
        #expect(throws: InputError.self) { try ConfidenceIntervalConversion.standardError(estimate: 3.8, pValue: 0) }
    }

    @Test func badIntervalsAreErrors() {
        #expect(throws: InputError.self) { try ConfidenceIntervalConversion.standardError(lower: 2, upper: 1) }
        #expect(throws: InputError.self) { try ConfidenceIntervalConversion.logRatio(0.5, lower: 0.7, upper: 0.9) }
        #expect(throws: InputError.self) { try ConfidenceIntervalConversion.standardError(lower: 0, upper: 1, level: 100) }
    }
}

@Suite("SMD conversions")
struct StandardizedMeanDifferenceConversionTests {
    /// Jané et al., *Guide to Effect Sizes and Confidence Intervals* (2024), §15.1: metafor's
    /// `escalc(measure="SMD", ti=3.25, n1i=50, n2i=40)` prints yi = 0.6835, vi = 0.0476.
    @Test func fromTStatistic() throws {
        let es = try StandardizedMeanDifferenceConversion.fromTStatistic(3.25, n1: 50, n2: 40)
        #expect(abs(es.yi - 0.6835) < 5e-5)
        #expect(abs(es.vi - 0.0476) < 5e-5)
        #expect(try StandardizedMeanDifferenceConversion.fromTStatistic(-3.25, n1: 50, n2: 40).yi == -es.yi)
    }

    /// Jané et al. (2024), §15.1: metafor's `escalc(measure="SMD", pi=.0016, n1i=50, n2i=40)` prints
    /// yi = 0.6850, vi = 0.0476.
    @Test func fromPValue() throws {
        let es = try StandardizedMeanDifferenceConversion.fromPValue(0.0016, n1: 50, n2: 40, positive: true)
        #expect(abs(es.yi - 0.6850) < 5e-5)
        #expect(abs(es.vi - 0.0476) < 5e-5)
        #expect(try StandardizedMeanDifferenceConversion.fromPValue(0.0016, n1: 50, n2: 40, positive: false).yi == -es.yi)
    }

    /// Borenstein et al. (2009), ch. 4: means 103 vs 100, S_within = 5.0249 with n = 50 per group: d = 0.5970,
    /// g = 0.5924. Reported as MD = 3 with its 95% interval 3 ± 1.96 · 5.0249 · √(2/50).
    @Test func fromMeanDifferenceWithInterval() throws {
        let halfWidth = 1.96 * 5.0249 * (2.0 / 50).squareRoot()
        let es = try StandardizedMeanDifferenceConversion.fromMeanDifference(3, lower: 3 - halfWidth, upper: 3 + halfWidth,
                                                                             n1: 50, n2: 50, criticalValue: 1.96)
        #expect(abs(es.yi - 0.5924) < 5e-5)
    }

    @Test func badInputsAreErrors() {
        #expect(throws: InputError.self) { try StandardizedMeanDifferenceConversion.fromTStatistic(2, n1: 1, n2: 10) }
        #expect(throws: InputError.self) {
            try StandardizedMeanDifferenceConversion.fromMeanDifference(5, lower: 0, upper: 1, n1: 10, n2: 10)
        }
    }
}

@Suite("Mean and SD from medians")
struct QuantileSummaryTests {
    /// metafor's reference page for `conv.fivenum` (https://wviechtb.github.io/metafor/reference/conv.fivenum.html,
    /// the pkgdown build kept in the metafor repository as docs/reference/conv.fivenum.html; metafor ≥ 4.2,
    /// `method = "default"` = "luo/wan/shi") prints, for n = 20:
    ///   case 1 (min 2, median 6, max 14):              mean 6.594468, sd 3.211576  (Luo eq. 7; Wan eq. 9)
    ///   case 2 (q1 4, median 6, q3 10):                mean 6.719500, sd 4.787076  (Luo eq. 11; Wan eq. 16)
    ///   case 3 (min 2, q1 4, median 6, q3 10, max 14): mean 6.938841, sd 3.679435  (Luo eq. 15; Shi eq. 10)
    /// Printed to 7 significant digits, hence the 5e-7 allowance.
    @Test(arguments: [
        (QuantileSummary(n: 20, minimum: 2, median: 6, maximum: 14), 6.594468, 3.211576),
        (QuantileSummary(n: 20, firstQuartile: 4, median: 6, thirdQuartile: 10), 6.719500, 4.787076),
        (QuantileSummary(n: 20, minimum: 2, firstQuartile: 4, median: 6, thirdQuartile: 10, maximum: 14), 6.938841, 3.679435),
    ])
    func metaforConvFivenumExample(summary: QuantileSummary, mean: Double, sd: Double) throws {
        let r = try summary.meanAndStandardDeviation()
        #expect(abs(r.mean - mean) < 5e-7)
        #expect(abs(r.sd - sd) < 5e-7)
    }

    /// The SD alone needs no median: metafor's printed SDs (same page, n = 20) from the range, the quartiles, both.
    @Test func standardDeviationWithoutMedian() throws {
        #expect(abs(try QuantileSummary.standardDeviation(n: 20, minimum: 2, maximum: 14) - 3.211576) < 5e-7)
        #expect(abs(try QuantileSummary.standardDeviation(n: 20, firstQuartile: 4, thirdQuartile: 10) - 4.787076) < 5e-7)
        #expect(abs(try QuantileSummary.standardDeviation(n: 20, minimum: 2, firstQuartile: 4, thirdQuartile: 10, maximum: 14) - 3.679435) < 5e-7)
        #expect(throws: InputError.self) { try QuantileSummary.standardDeviation(n: 20, minimum: 5, firstQuartile: 4, thirdQuartile: 10, maximum: 14) }
        #expect(throws: InputError.self) { try QuantileSummary.standardDeviation(n: 20, minimum: 2) }
        #expect(throws: InputError.self) { try QuantileSummary.standardDeviation(n: 1, minimum: 2, maximum: 14) }
    }

    /// metaBLUE 1.0.0 help pages with their example output (https://rdrr.io/cran/metaBLUE/man/Luo.mean.html and
    /// .../Wan.std.html: X = (1, 4, 10), n = 30, type "S1" = minimum, median, maximum): `$muhat` 4.356748
    /// (Luo et al. 2018), `$sigmahat` 2.205578 (Wan et al. 2014).
    @Test func medianAndRange() throws {
        let r = try QuantileSummary(n: 30, minimum: 1, median: 4, maximum: 10).meanAndStandardDeviation()
        #expect(abs(r.mean - 4.356748) < 5e-7)
        #expect(abs(r.sd - 2.205578) < 5e-7)
    }

    /// Quartiles: Luo et al.'s weights (0.7 + 0.39/n, 0.3 − 0.39/n) make a symmetric summary return its median;
    /// for large n Wan et al.'s divisor tends to 2Φ⁻¹(0.75) = 1.349, the Cochrane Handbook's "IQR/1.35" rule (§6.5.2.5).
    @Test func medianAndQuartiles() throws {
        let r = try QuantileSummary(n: 100, firstQuartile: 8, median: 10, thirdQuartile: 12).meanAndStandardDeviation()
        #expect(abs(r.mean - 10) < 1e-12)
        let large = try QuantileSummary(n: 1e6, firstQuartile: 0, median: 0.5, thirdQuartile: 1.35).meanAndStandardDeviation()
        #expect(abs(large.sd - 1.35 / 1.3489795) < 1e-4)
        // Skewed quartiles: the mean moves towards the quartile midpoint by Luo's weight 0.7 + 0.39/n.
        let skew = try QuantileSummary(n: 39, firstQuartile: 2, median: 3, thirdQuartile: 10).meanAndStandardDeviation()
        #expect(abs(skew.mean - (0.71 * 6 + 0.29 * 3)) < 1e-12)
    }

    /// Five-number summary: Shi et al. (2020) weight w = 1/(1 + 0.07 n^0.6) between the range- and IQR-based SDs,
    /// so the estimate lies between Wan et al.'s two single-source estimates.
    @Test func fiveNumberSummary() throws {
        let n = 50.0
        let five = try QuantileSummary(n: n, minimum: 1, firstQuartile: 4, median: 5, thirdQuartile: 7, maximum: 12).meanAndStandardDeviation()
        let byRange = try QuantileSummary(n: n, minimum: 1, median: 5, maximum: 12).meanAndStandardDeviation().sd
        let byIQR = try QuantileSummary(n: n, firstQuartile: 4, median: 5, thirdQuartile: 7).meanAndStandardDeviation().sd
        let w = 1 / (1 + 0.07 * pow(n, 0.6))
        #expect(abs(five.sd - (w * byRange + (1 - w) * byIQR)) < 1e-12)
        #expect(five.mean > 5 && five.mean < 6.5)
    }

    /// Wan et al.'s ξ(n) is Blom's approximation to the expected range of n standard normals, d₂(n). Against the
    /// exact d₂ published in quality-control tables (ASTM MNL7; Montgomery, *Introduction to Statistical Quality
    /// Control*, Appendix VI: d₂(2) = 1.128 = 2/√π, d₂(5) = 2.326, d₂(10) = 3.078, d₂(20) = 3.735,
    /// d₂(25) = 3.931) it is 4.5% high at n = 2, 1.4% at n = 5 and within 0.1% for 20 ≤ n ≤ 25: the SD from a
    /// range is that much smaller than with the exact expectation. The Blom values are R 4.2.2's
    /// `2 * qnorm((n - 0.375) / (n + 0.25))`. Pinned so that a change of formula is noticed.
    @Test(arguments: [(2.0, 1.128, 1.178912), (5.0, 2.326, 2.359522), (10.0, 3.078, 3.093271),
                      (20.0, 3.735, 3.736483), (25.0, 3.931, 3.928434)])
    func xiIsBlomsApproximationToExpectedRange(n: Double, d2: Double, blom: Double) {
        #expect(abs(QuantileSummary.xi(n) - blom) < 5e-7)
        #expect(abs(QuantileSummary.xi(n) / d2 - 1) < (n < 10 ? 0.05 : 0.006))
    }

    @Test func incompleteOrUnorderedSummariesAreErrors() {
        #expect(throws: InputError.self) { try QuantileSummary(n: 20, median: 3).meanAndStandardDeviation() }
        #expect(throws: InputError.self) { try QuantileSummary(n: 20, minimum: 5, median: 3, maximum: 9).meanAndStandardDeviation() }
        #expect(throws: InputError.self) { try QuantileSummary(n: 1, minimum: 1, median: 3, maximum: 9).meanAndStandardDeviation() }
    }
}

@Suite("Combining groups")
struct GroupCombinationTests {
    /// Cochrane Handbook Table 6.5.a gives the mean and SD of the union of the two groups: check against the
    /// sample mean and SD computed directly from two small raw samples.
    @Test func continuousMatchesPooledRawData() throws {
        let a: [Double] = [3, 5, 6, 9, 12], b: [Double] = [7, 8, 8, 10, 11, 14, 15]
        func meanSD(_ x: [Double]) -> (Double, Double) {
            let m = x.reduce(0, +) / Double(x.count)
            return (m, (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)).squareRoot())
        }
        let (ma, sa) = meanSD(a), (mb, sb) = meanSD(b), (mall, sall) = meanSD(a + b)
        let c = try GroupCombination.continuous(n1: 5, mean1: ma, sd1: sa, n2: 7, mean2: mb, sd2: sb)
        #expect(c.n == 12)
        #expect(abs(c.mean - mall) < 1e-12)
        #expect(abs(c.sd - sall) < 1e-12)
    }

    @Test func binaryAddsEventsAndSizes() throws {
        let c = try GroupCombination.binary(events1: 3, n1: 20, events2: 5, n2: 22)
        #expect(c.events == 8 && c.n == 42)
        #expect(throws: InputError.self) { try GroupCombination.binary(events1: 30, n1: 20, events2: 5, n2: 22) }
    }
}
