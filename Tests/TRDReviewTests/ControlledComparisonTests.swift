import Foundation
import Testing
@testable import MetaAnalysis
@testable import TRDReview

@Suite("Controlled comparisons from the TRD data")
struct ControlledComparisonTests {
    static let cases: [(ref: Int, outcome: String, active: String, control: String)] = [
        (68, "remission", "Esketamine nasal spray", "Extended-release quetiapine"),   // ESCAPE-TRD, 91/336 v 60/340
        (85, "remission", "Aripiprazole augmentation", "Placebo augmentation"),       // IRL-GRey, 40/91 v 26/90
        (8, "response", "Ketamine", "Midazolam"),                                      // Murrough 2013, 30/47 v 7/25
        (82, "remission", "Step 1: aripiprazole", "Step 1: switch"),                  // OPTIMUM, 61/211 v 39/202
    ]

    @Test(arguments: cases)
    func ratiosMatchHandCalculation(_ c: (ref: Int, outcome: String, active: String, control: String)) throws {
        let a = try TRDTestData.counts(ref: c.ref, armPrefix: c.active, outcome: c.outcome)
        let b = try TRDTestData.counts(ref: c.ref, armPrefix: c.control, outcome: c.outcome)
        let hand = HandTwoByTwo(a: a.events, n1: a.total, c: b.events, n2: b.total)
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: RateOutcome(rawValue: c.outcome)!)
        let found = analysis.comparisons.filter { $0.ref == c.ref && $0.activeArm.hasPrefix(c.active) && $0.controlArm.hasPrefix(c.control) }
        #expect(found.count == 1)
        let cmp = try #require(found.first)
        #expect(Double(cmp.activeEvents) == a.events && Double(cmp.controlTotal) == b.total)
        #expect(abs(cmp.riskRatio.yi - hand.logRR) < 1e-12)
        #expect(abs(cmp.riskRatio.vi - hand.varLogRR) < 1e-12)
        #expect(abs(cmp.riskRatio.estimate - a.events / a.total / (b.events / b.total)) < 1e-12)
        #expect(abs(cmp.riskRatio.ciLower - exp(hand.logRR - HandTwoByTwo.z975 * hand.varLogRR.squareRoot())) < 1e-9)
        #expect(abs(cmp.oddsRatio.yi - hand.logOR) < 1e-12)
        #expect(abs(cmp.oddsRatio.vi - hand.varLogOR) < 1e-12)
        #expect(abs(cmp.riskDifference.estimate - hand.rd) < 1e-12)
        #expect(abs(cmp.riskDifference.vi - hand.varRD) < 1e-12)
        #expect(abs(cmp.riskDifference.ciUpper - (hand.rd + HandTwoByTwo.z975 * hand.varRD.squareRoot())) < 1e-9)
        #expect(abs(cmp.numberNeededToTreat.value - 1 / abs(hand.rd)) < 1e-9)
    }

    @Test func escapeTRDPublishedPercentages() throws {
        // NEJM 2023 (Reif et al.): remission 27.1% v 17.6% at week 8.
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .remission)
        let escape = try #require(analysis.comparisons.first { $0.ref == 68 })
        #expect((100 * Double(escape.activeEvents) / Double(escape.activeTotal) * 10).rounded() == 271)
        #expect((100 * Double(escape.controlEvents) / Double(escape.controlTotal) * 10).rounded() == 176)
        #expect(escape.kind == .comparator)
    }

    @Test func nntIntervalThroughInfinityFollowsAltman() {
        // Altman 1998: RD 0.008 (-0.079 to 0.094) -> NNTB 125 (NNTB 10.6 to ∞ to NNTH 12.7).
        let n = NumberNeededToTreat(riskDifference: 0.008, lower: -0.079, upper: 0.094)
        #expect(n.direction == .benefit)
        guard case let .throughInfinity(benefit, harm) = n.interval else { Issue.record("expected an interval through infinity"); return }
        #expect(abs(benefit - 1 / 0.094) < 1e-12)
        #expect(abs(harm - 1 / 0.079) < 1e-12)
        #expect(n.description == "NNTB 125.0 (NNTB 10.6 to ∞ to NNTH 12.7)")
        let harmful = NumberNeededToTreat(riskDifference: -0.2, lower: -0.3, upper: -0.1)
        #expect(harmful.description == "NNTH 5.0 (3.3 to 10.0)")
    }
}
