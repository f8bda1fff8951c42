import Foundation
import Testing
@testable import MetaAnalysis
@testable import TRDReview

@Suite("Single-arm rates under the eligibility rules")
struct PooledRateTests {
    /// A single arm of `study` made from ESCAPE-TRD's esketamine remission row, with the fields a test varies.
    static func arm(_ evidence: TRDEvidence, ref: Int, group: String, row: Int, events: Int, total: Int,
                    design: StudyDesign, phase: TrialPhase? = nil) throws -> TRDOutcome {
        var r = try #require(evidence.outcomes.first { $0.studyRef == 68 && $0.outcome == .remission && $0.armRole == .active && $0.measure == .events })
        r.studyRef = ref
        r.sampleGroup = group
        r.sourcePublication = ""
        r.row = row
        r.events = events
        r.total = total
        r.design = design
        r.phase = phase ?? (design.isRandomised ? .randomised : .notRandomised)
        r.primaryTimepoint = nil
        return r
    }

    @Test func aStratumWithOneStudyIsThatStudysExactResult() throws {
        // ESCAPE-TRD esketamine remission 91/336: the only arm in its stratum, Clopper-Pearson limits.
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .remission)
        let escape = try #require(analysis.studyResults.first { $0.ref == 68 && $0.stratum.treatmentKey == "glutamatergic" })
        let exact = try ExactBinomialInterval(events: 91, total: 336)
        #expect(escape.interval == exact)
        #expect(analysis.pooled.allSatisfy { $0.k >= 2 })
        #expect(!analysis.pooled.contains { $0.studies.contains { $0.ref == 68 && $0.agent == .esketamine } })
    }

    /// The audit's A1: the old rules pooled Murrough 2013's RCT arm at 24 h, Aust 2019's open-label course and
    /// Glue 2024's oral enrichment phase into "Glutamatergic 67.6%, k = 3". Now they are three strata.
    @Test func armsOfDifferentDesignsPhasesAndWindowsAreSeparateStrata() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response)
        #expect(!analysis.pooled.contains { $0.stratum.treatmentKey == "glutamatergic" })
        let glutamatergic = analysis.studyResults.filter { $0.stratum.treatmentKey == "glutamatergic" }
        #expect(Set(glutamatergic.map(\.ref)) == [8, 34, 58])
        #expect(Set(glutamatergic.map(\.stratum)).count == 3)
        #expect(glutamatergic.first { $0.ref == 58 }?.stratum.phase == .enrichment)
    }

    /// A fixture where the old rules (class only) pooled: two arms alike in everything but the design are two
    /// study results; give them the same design and they pool (k = 2).
    @Test func poolingNeedsTheSameDesign() throws {
        var evidence = try TRDTestData.evidence()
        let a = try Self.arm(evidence, ref: 7001, group: "trial_a", row: 7001, events: 30, total: 100, design: .doubleBlindRandomisedTrial)
        let b = try Self.arm(evidence, ref: 7002, group: "cohort_b", row: 7002, events: 50, total: 100, design: .singleArmTrial)
        evidence.outcomes.removeAll { $0.outcome == .remission }
        evidence.outcomes += [a, b]
        let split = try RateAnalysis.run(evidence: evidence, outcome: .remission)
        #expect(split.pooled.isEmpty)
        #expect(split.studyResults.count == 2)
        #expect(split.studyResults.map(\.stratum.design).sorted { $0.rawValue < $1.rawValue } == [.doubleBlindRandomisedTrial, .singleArmTrial])

        evidence.outcomes[evidence.outcomes.count - 1].design = .doubleBlindRandomisedTrial
        evidence.outcomes[evidence.outcomes.count - 1].phase = .randomised
        let pooled = try RateAnalysis.run(evidence: evidence, outcome: .remission)
        #expect(pooled.studyResults.isEmpty)
        let p = try #require(pooled.pooled.first)
        #expect(p.k == 2 && p.totalN == 200)
    }

    @Test func anUnstatedDefinitionPoolsOnlyWithinItsSample() throws {
        var evidence = try TRDTestData.evidence()
        var arms: [TRDOutcome] = []
        for (i, group) in ["trial_a", "trial_b"].enumerated() {
            var r = try Self.arm(evidence, ref: 7001 + i, group: group, row: 7001 + i, events: 30 + i, total: 100, design: .doubleBlindRandomisedTrial)
            r.definitionCode = .notStated
            arms.append(r)
        }
        evidence.outcomes.removeAll { $0.outcome == .remission }
        evidence.outcomes += arms
        let analysis = try RateAnalysis.run(evidence: evidence, outcome: .remission)
        #expect(analysis.pooled.isEmpty)
        #expect(analysis.studyResults.count == 2)
    }

    /// The one k = 2 stratum of the data: antipsychotic augmentation remission (MADRS <= 10) in arms of open-label
    /// RCTs at 3-13 weeks: ESCAPE-TRD's quetiapine XR arm 60/340 and OPTIMUM's aripiprazole arm 61/211.
    /// metafor 3.8-1 (threshold = tol = 1e-13): rma(measure = "PLO", xi = c(60, 61), ni = c(340, 211),
    /// method = "REML", test = "adhoc"), predict(transf = transf.ilogit): 0.227530965582 [0.005003816632,
    /// 0.945211416972], tau2 0.183588642454; rma.glmm(measure = "PLO", ...): 0.2261378037 [0.1577384148,
    /// 0.3131688617], tau2 0.0812980610.
    @Test func theFewStudyEstimatesAgreeWithMetaforAndTheBayesianIsRecommended() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .remission)
        let p = try #require(analysis.pooled.first { $0.stratum.treatmentKey == "antipsychotic_augmentation" })
        #expect(p.k == 2)
        #expect(Set(p.studies.map(\.ref)) == [68, 82])
        let kh = try #require(p.estimates.first { $0.method == .knappHartungAdHoc })
        #expect(abs(kh.estimate - 0.227530965582) < 1e-7)
        #expect(abs(kh.ciLower - 0.005003816632) < 1e-7)
        #expect(abs(kh.ciUpper - 0.945211416972) < 1e-7)
        #expect(abs(kh.tauSquared! - 0.183588642454) < 1e-7)
        let glmm = try #require(p.estimates.first { $0.method == .glmm })
        #expect(abs(glmm.estimate - 0.2261378037) < 1e-5)
        #expect(abs(glmm.ciLower - 0.1577384148) < 1e-5)
        #expect(abs(glmm.ciUpper - 0.3131688617) < 1e-5)
        #expect(!glmm.recommended && !kh.recommended)
        let bayes = try #require(p.recommended)
        #expect(bayes.method == .bayesianEmpiricalPrior)
        #expect(bayes.prior?.contains("Turner") == true)
        // The few-study intervals: the GLMM's z-interval is narrower than the Bayesian one, which is narrower
        // than Knapp-Hartung's with one degree of freedom.
        #expect(glmm.ciUpper - glmm.ciLower < bayes.ciUpper - bayes.ciLower)
        #expect(bayes.ciUpper - bayes.ciLower < kh.ciUpper - kh.ciLower)
        #expect(p.estimates.allSatisfy { $0.predictionLower == nil })
    }

    @Test(arguments: RateOutcome.allCases, RateGrouping.allCases)
    func noSampleIsCountedTwice(_ outcome: RateOutcome, _ grouping: RateGrouping) throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: outcome, grouping: grouping)
        for pool in analysis.pooled {
            #expect(Set(pool.studies.map(\.sampleGroup)).count == pool.k, "pool \(pool.label)")
        }
        var seen = Set<String>()
        for r in analysis.studyResults { #expect(seen.insert("\(r.stratum.key)|\(r.sampleGroup)").inserted) }
        #expect(!analysis.studyResults.isEmpty)
    }

    @Test func percentagesWithoutDenominatorsAndNeverPoolRowsAreListed() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response)
        let realEsk = try #require(analysis.listed.first { $0.ref == 15 })
        #expect(realEsk.value == "64.2%")
        #expect(realEsk.reason == .noDenominator)
        let remission = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .remission)
        // Carhart-Harris 2016's 5/12 (a subset, from a news site) is never pooled (audit A3).
        let subset = try #require(remission.listed.first { $0.ref == 36 && $0.value == "5/12" })
        #expect(subset.reason == .neverPool)
        #expect(!remission.studyResults.contains { $0.ref == 36 })
    }

    @Test func overlapRulePrefersThePrimaryTimepoint() throws {
        var evidence = try TRDTestData.evidence()
        // A second report of the ESCAPE-TRD sample at a non-primary timepoint in the same window, larger: the
        // primary-timepoint row is kept although it is smaller (audit A1, A9: not the largest denominator).
        var other = try #require(evidence.outcomes.first { $0.studyRef == 68 && $0.outcome == .remission && $0.armRole == .active && $0.measure == .events })
        other.row = 9001
        other.total = 400
        other.events = 120
        other.primaryTimepoint = false
        other.timepoint = "week 10"
        evidence.outcomes.append(other)
        let analysis = try RateAnalysis.run(evidence: evidence, outcome: .remission)
        let escape = try #require(analysis.studyResults.first { $0.ref == 68 && $0.stratum.treatmentKey == "glutamatergic" })
        #expect(escape.total == 336)
        #expect(analysis.listed.first { $0.row == 9001 }?.reason == .overlappingSample)
    }

    @Test func freemanTukeyWarns() throws {
        let ft = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response, model: .ft)
        #expect(ft.diagnostics.contains(.freemanTukeyWarning))
    }
}
