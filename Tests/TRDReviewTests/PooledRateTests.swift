import Foundation
import Testing
@testable import MetaAnalysis
@testable import TRDReview

@Suite("Pooled single-arm rates")
struct PooledRateTests {
    @Test func singleStudyPoolIsItsOwnLogitInterval() throws {
        // ESCAPE-TRD esketamine remission 91/336: logit p ∓ 1.96·√(1/(n p (1 − p))), back-transformed.
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .remission)
        let glut = try #require(analysis.pooled.first { $0.key == "glutamatergic" })
        #expect(glut.k == 1 && glut.studies[0].ref == 68)
        let p = 91.0 / 336, y = log(p / (1 - p)), se = (1 / (336 * p * (1 - p))).squareRoot()
        func ilogit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        #expect(abs(glut.estimate - p) < 1e-12)
        #expect(abs(glut.ciLower - ilogit(y - HandTwoByTwo.z975 * se)) < 1e-9)
        #expect(abs(glut.ciUpper - ilogit(y + HandTwoByTwo.z975 * se)) < 1e-9)
        #expect(glut.predictionLower == nil)
    }

    @Test func glutamatergicResponseAgreesWithMetafor() throws {
        // metafor 3.8-1: rma(measure="PLO", xi=c(30,17,168), ni=c(47,31,231), method="REML", test="knha"),
        // predict(transf=transf.ilogit): 0.6613520860 [0.4238509924, 0.8383002539], PI [0.2717413500, 0.9108823515],
        // I2 = 58.2972 (metafor's default REML tolerance, so compared at 1e-6).
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response, model: .logit)
        let glut = try #require(analysis.pooled.first { $0.key == "glutamatergic" })
        #expect(glut.model == .logit)
        #expect(glut.studies.map(\.ref) == [8, 34, 58])
        #expect(abs(glut.estimate - 0.6613520860) < 1e-6)
        #expect(abs(glut.ciLower - 0.4238509924) < 1e-6)
        #expect(abs(glut.ciUpper - 0.8383002539) < 1e-6)
        #expect(abs(glut.predictionLower! - 0.2717413500) < 1e-6)
        #expect(abs(glut.predictionUpper! - 0.9108823515) < 1e-6)
        #expect(glut.totalN == 47 + 31 + 231)
    }

    @Test func glutamatergicResponseGLMMAgreesWithMetafor() throws {
        // metafor 3.8-1: rma.glmm(measure="PLO", xi=c(30,17,168), ni=c(47,31,231)), predict(transf=transf.ilogit):
        // 0.6758656253 [0.5720809074, 0.7648265835], PI [0.5397150237, 0.7875929252]; tau2 0.03482816, I2 33.5366
        // (GLMM tolerance, DESIGN.md §3: 1e-5).
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response)
        let glut = try #require(analysis.pooled.first { $0.key == "glutamatergic" })
        #expect(glut.model == .glmm)
        #expect(abs(glut.estimate - 0.6758656253) < 1e-5)
        #expect(abs(glut.ciLower - 0.5720809074) < 1e-5)
        #expect(abs(glut.ciUpper - 0.7648265835) < 1e-5)
        #expect(abs(glut.predictionLower! - 0.5397150237) < 1e-5)
        #expect(abs(glut.predictionUpper! - 0.7875929252) < 1e-5)
        #expect(abs(glut.tauSquared! - 0.03482816) < 1e-5)
        #expect(glut.studies.allSatisfy { $0.weightPercent == nil })
    }

    @Test(arguments: RateOutcome.allCases, RateGrouping.allCases)
    func noSampleIsCountedTwice(_ outcome: RateOutcome, _ grouping: RateGrouping) throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: outcome, grouping: grouping)
        for pool in analysis.pooled {
            #expect(Set(pool.studies.map(\.sampleGroup)).count == pool.k, "pool \(pool.label)")
        }
        #expect(!analysis.pooled.isEmpty)
    }

    @Test func percentagesWithoutDenominatorsAreListedNotPooled() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response)
        let realEsk = try #require(analysis.listed.first { $0.ref == 15 })
        #expect(realEsk.value == "64.2%")
        #expect(realEsk.reason == .noDenominator)
        #expect(!analysis.pooled.flatMap(\.studies).contains { $0.ref == 15 })
    }

    @Test func overlapRuleKeepsTheFullestReport() throws {
        var evidence = try TRDTestData.evidence()
        // OPTIMUM's design paper (ref 81, first 396 randomised) also reporting aripiprazole remission: a subset of ref 82.
        var subset = try #require(evidence.outcomes.first { $0.studyRef == 82 && $0.outcome == .remission && $0.armRole == .active })
        subset.studyRef = 81
        subset.row = 9001
        subset.events = 30
        subset.total = 100
        evidence.outcomes.append(subset)
        let analysis = try RateAnalysis.run(evidence: evidence, outcome: .remission)
        let augmentation = try #require(analysis.pooled.first { $0.key == "antipsychotic_augmentation" })
        #expect(augmentation.studies.map(\.ref).sorted() == [82, 85])
        let listed = try #require(analysis.listed.first { $0.row == 9001 })
        #expect(listed.reason == .overlappingSample)
        #expect(analysis.diagnostics.contains { if case .overlapExcluded(_, 9001, "optimum", _) = $0 { return true } else { return false } })
    }

    @Test func singleStudyPoolsSayNoModelWasFittedAndFreemanTukeyWarns() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .remission, model: .glmm)
        let psychedelic = try #require(analysis.pooled.first { $0.key == "psychedelic" })
        #expect(psychedelic.k == 1 && psychedelic.model == .logit)
        #expect(psychedelic.diagnostics.contains { $0.description.contains("one study") })
        let augmentation = try #require(analysis.pooled.first { $0.key == "antipsychotic_augmentation" })
        #expect(augmentation.model == .glmm)
        let ft = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response, model: .ft)
        #expect(ft.diagnostics.contains(.freemanTukeyWarning))
    }
}
