import Foundation
import MetaData
@testable import MetaAnalysis
import Testing

/// Reads a conformance-bank dataset (metadat data exactly as metafor used it).
private func bankData(_ name: String) throws -> DataTable {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data/\(name).csv")
    return try DataTable(contentsOfFile: url.path)
}

@Suite("Fail-safe N")
struct FailSafeNTests {
    /// Becker (2005) via metafor's `misc_fsn` test: Rosenthal's fail-safe N is 26 for dat.raudenbush1985 and 393
    /// for dat.hackshaw1998 (Becker's own 23 and 398 come from a t-based variant).
    @Test(arguments: [("raudenbush1985", 26), ("hackshaw1998", 393)])
    func rosenthalMatchesBecker2005(dataset: String, expected: Int) throws {
        let table = try bankData(dataset)
        let result = try FailSafeN(effectSizes: table.numbers("yi", neededBy: "test"), samplingVariances: table.numbers("vi", neededBy: "test"),
                                   method: .rosenthal)
        #expect(result.number == expected)
        #expect(result.rawNumber > Double(expected - 1) && result.rawNumber <= Double(expected))
    }

    /// Orwin with the default target (half the mean) always needs exactly k more null studies.
    @Test func orwinDefaultTargetNeedsKStudies() throws {
        let result = try FailSafeN(effectSizes: [0.2, 0.5, 0.8], samplingVariances: [0.1, 0.1, 0.1], method: .orwin)
        #expect(result.number == 3)
        #expect(result.target == 0.25)
    }

    @Test func rejectsBadAlpha() {
        #expect(throws: InputError.invalidOption(name: "alpha", value: "1.0", expected: "a significance level between 0 and 1")) {
            try FailSafeN(effectSizes: [0.2], samplingVariances: [0.1], method: .rosenthal, alpha: 1)
        }
    }
}

@Suite("Kendall rank correlation")
struct KendallRankCorrelationTests {
    /// The Mahonian numbers for n = 4 (inversions of the 24 permutations): 1, 3, 5, 6, 5, 3, 1 (OEIS A008302).
    @Test func inversionDistributionIsMahonian() {
        let p = KendallRankCorrelation.inversionDistribution(4)
        let counts = p.map { ($0 * 24).rounded() }
        #expect(counts == [1, 3, 5, 6, 5, 3, 1])
        #expect(abs(p.reduce(0, +) - 1) < 1e-15)
    }

    /// Perfect agreement of 5 pairs: τ = 1 and the exact two-sided p = 2/5! (Kendall 1970, Table 1).
    @Test func perfectConcordanceHasExactP() {
        let r = KendallRankCorrelation([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])
        #expect(r.tau == 1)
        #expect(r.isExact)
        #expect(abs(r.pValue - 2.0 / 120) < 1e-15)
    }

    /// With ties: τ_b = S/√((n₀ − n₁)(n₀ − n₂)) and the normal approximation (hand computation: x has one tied
    /// pair, S = 5 of n₀ = 6 pairs, τ_b = 4/√(5·6)).
    @Test func tiesUseTauBAndNormalApproximation() {
        let r = KendallRankCorrelation([1, 1, 2, 3], [1, 2, 3, 4])
        #expect(!r.isExact)
        #expect(r.s == 5)
        #expect(abs(r.tau - 5 / (5.0 * 6).squareRoot()) < 1e-15)
    }
}
