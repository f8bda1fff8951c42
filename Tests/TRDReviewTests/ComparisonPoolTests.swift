import Foundation
import Testing
@testable import MetaAnalysis
@testable import TRDReview

@Suite("Pooling controlled comparisons")
struct ComparisonPoolTests {
    /// IRL-GRey plus a made-up second aripiprazole v placebo trial, to exercise the pooled path.
    static func evidenceWithSecondTrial() throws -> TRDEvidence {
        var evidence = try TRDTestData.evidence()
        for role in [ArmRole.active, .control] {
            var row = try #require(evidence.outcomes.first { $0.studyRef == 85 && $0.outcome == .remission && $0.armRole == role })
            row.studyRef = 64
            row.sampleGroup = "synthetic_trial"
            row.row += 5000
            row.events = role == .active ? 20 : 10
            row.total = 50
            evidence.outcomes.append(row)
        }
        return evidence
    }

    @Test func mantelHaenszelRiskRatioMatchesItsFormula() throws {
        let analysis = try RateAnalysis.run(evidence: Self.evidenceWithSecondTrial(), outcome: .remission)
        let pool = try #require(analysis.comparisonPools.first { $0.kind == .control && $0.treatmentClass == .antipsychoticAugmentation })
        #expect(pool.k == 2)
        // RR_MH = Σ a n2/N ÷ Σ c n1/N (Greenland & Robins 1985).
        let tables: [(Double, Double, Double, Double)] = [(40, 91, 26, 90), (20, 50, 10, 50)]
        let num = tables.reduce(0.0) { $0 + $1.0 * $1.3 / ($1.1 + $1.3) }
        let den = tables.reduce(0.0) { $0 + $1.2 * $1.1 / ($1.1 + $1.3) }
        let mh = try #require(pool.mantelHaenszel.first { $0.measure == .logRiskRatio })
        #expect(abs(mh.estimate - num / den) < 1e-12)
        #expect(pool.randomEffects.count == 3)
        #expect(pool.numberNeededToTreat != nil)
    }

    @Test func multiArmTrialCountsItsActiveArmOnce() throws {
        // OPTIMUM step 1: aripiprazole v bupropion augmentation and v switch to bupropion share the aripiprazole arm.
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .remission)
        let optimum = analysis.comparisons.filter { $0.ref == 82 }
        #expect(optimum.count == 2)
        let (units, notes) = try ComparisonPool.units(of: optimum)
        #expect(units.count == 1)
        #expect(units[0].activeEvents == 61 && units[0].activeTotal == 211)
        #expect(units[0].controlEvents == 58 + 39 && units[0].controlTotal == 206 + 202)
        #expect(notes.count == 1)
    }

    @Test func singhTwoScheduleComparisonsAreIndependentAndPooled() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response)
        let pool = try #require(analysis.continuousPools.first { $0.outcome == .madrs && $0.treatmentClass == .glutamatergic })
        #expect(pool.k == 2)
        #expect(Set(pool.comparisons.map(\.ref)) == [70])
        // metafor: rma(escalc("SMD", m1i=c(-17.7,-18.4), sd1i=c(7.3,12), n1i=c(17,18), m2i=c(-3.1,-5.7),
        // sd2i=c(5.7,10.2), n2i=c(16,16)), test="knha"): -1.6105387909 [-8.3272012369, 5.1061236550], tau2 0.3960084609.
        #expect(abs(pool.pooled.estimate - -1.6105387909) < 1e-6)
        #expect(abs(pool.pooled.ciLower - -8.3272012369) < 1e-5)
        #expect(abs(pool.pooled.tauSquared! - 0.3960084609) < 1e-6)
    }
}
