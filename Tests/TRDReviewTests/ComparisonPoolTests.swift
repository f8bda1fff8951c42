import Foundation
import Testing
@testable import MetaAnalysis
@testable import TRDReview

@Suite("Controlled comparisons under the eligibility rules")
struct ComparisonPoolTests {
    /// IRL-GRey plus a made-up second aripiprazole v placebo trial of the same design, to exercise the pooled path.
    static func evidenceWithSecondTrial() throws -> TRDEvidence {
        var evidence = try TRDTestData.evidence()
        for role in [ArmRole.active, .control] {
            var row = try #require(evidence.outcomes.first { $0.studyRef == 85 && $0.outcome == .remission && $0.armRole == role && $0.measure == .events })
            row.studyRef = 64
            row.sampleGroup = "synthetic_trial"
            row.sourcePublication = ""
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
        #expect(pool.estimates.map(\.method) == [.knappHartungAdHoc, .bayesianEmpiricalPrior])
        #expect(pool.estimates.first { $0.recommended }?.method == .bayesianEmpiricalPrior)
    }

    /// A multi-arm fixture: IRL-GRey with a second aripiprazole dose arm sharing its placebo arm. The trial enters
    /// once, its active arms combined (Cochrane Handbook 23.3.4); the placebo arm's 26/90 is counted once, in the
    /// comparison and in a pool with a second trial.
    @Test func aMultiArmTrialCountsItsSharedControlOnce() throws {
        var evidence = try Self.evidenceWithSecondTrial()
        var dose = try #require(evidence.outcomes.first { $0.studyRef == 85 && $0.outcome == .remission && $0.armRole == .active && $0.measure == .events })
        dose.row = 6001
        dose.arm = "Aripiprazole, second dose"
        dose.events = 30
        dose.total = 85
        evidence.outcomes.append(dose)
        let analysis = try RateAnalysis.run(evidence: evidence, outcome: .remission)
        let trial = analysis.comparisons.filter { $0.ref == 85 }
        #expect(trial.count == 1)
        let c = try #require(trial.first)
        #expect(c.combinedArms)
        #expect(c.activeEvents == 40 + 30 && c.activeTotal == 91 + 85)
        #expect(c.controlEvents == 26 && c.controlTotal == 90)
        let pool = try #require(analysis.comparisonPools.first { $0.treatmentClass == .antipsychoticAugmentation && $0.kind == .control })
        #expect(pool.k == 2)
        #expect(pool.units.reduce(0) { $0 + $1.controlTotal } == 90 + 50)
        #expect(pool.totalN == 91 + 85 + 90 + 50 + 50)
    }

    /// Audit A2: Singh 2016's twice- and thrice-weekly comparisons (each with its own placebo arm) are one trial:
    /// arms combined on each side (Cochrane Handbook 6.5.2.10), one g, no pool.
    @Test func singhTwoSchedulesAreOneTrialNotAPool() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response)
        let singh = analysis.continuous.filter { $0.ref == 70 }
        #expect(singh.count == 1)
        let c = try #require(singh.first)
        #expect(c.combinedArms && c.activeN == 17 + 18 && c.controlN == 16 + 16)
        #expect(analysis.continuousPools.isEmpty)
        // Combined groups by the Handbook's formula, then Hedges' g with metafor's exact correction.
        func combine(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> (Double, Double, Double) {
            let n = a.0 + b.0, m = (a.0 * a.1 + b.0 * b.1) / n
            let ss = (a.0 - 1) * a.2 * a.2 + (b.0 - 1) * b.2 * b.2 + a.0 * b.0 / n * (a.1 - b.1) * (a.1 - b.1)
            return (n, m, (ss / (n - 1)).squareRoot())
        }
        let ket = combine((17, -17.7, 7.3), (18, -18.4, 12.0)), pla = combine((16, -3.1, 5.7), (16, -5.7, 10.2))
        #expect(abs(c.activeMean - ket.1) < 1e-12 && abs(c.activeSD - ket.2) < 1e-12)
        #expect(abs(c.controlMean - pla.1) < 1e-12 && abs(c.controlSD - pla.2) < 1e-12)
        let df = ket.0 + pla.0 - 2
        let sp = (((ket.0 - 1) * ket.2 * ket.2 + (pla.0 - 1) * pla.2 * pla.2) / df).squareRoot()
        let j = exp(lgamma(df / 2) - 0.5 * log(df / 2) - lgamma((df - 1) / 2))
        #expect(abs(c.standardizedMeanDifference.estimate - j * (ket.1 - pla.1) / sp) < 1e-10)
    }

    @Test func waitlistPlaceboAndActiveComparatorsAreSeparateStrata() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .remission)
        let kinds = Set(analysis.comparisons.map { $0.stratum.comparator })
        #expect(kinds == [.control, .comparator])
        let rosenblat = try #require(analysis.continuous.first { $0.ref == 67 && $0.timepoint.hasPrefix("Day 14") })
        #expect(rosenblat.kind == .waitlist)
        // Audit A11: baseline imbalance makes the change-score g (-1.07) and the endpoint g (-0.14) disagree.
        #expect(rosenblat.analysisDependent)
        #expect(abs(rosenblat.standardizedMeanDifference.estimate - -1.07) < 0.01)
        #expect(abs(rosenblat.endpointAlternative!.estimate - -0.14) < 0.01)
    }

    /// Audit A6: Murrough 2013's published OR 2.18 is model-based; the counts give 4.54. Both are shown.
    @Test func reportedAndRecomputedEffectsAreShownSideBySide() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response)
        let murrough = try #require(analysis.comparisons.first { $0.ref == 8 })
        let reported = try #require(murrough.reported.first { $0.measure == .logOddsRatio })
        #expect(reported.estimate == 2.18)
        #expect(abs(reported.recomputed - 30.0 * 18 / (17 * 7)) < 1e-9)
        #expect(reported.differs)
        #expect(murrough.countDerived)
    }
}
