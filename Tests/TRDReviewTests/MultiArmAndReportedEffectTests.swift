import Foundation
import Testing
@testable import MetaAnalysis
@testable import TRDReview

/// Issue 20: multi-arm trials through the shared-control covariance (a sensitivity analysis beside the
/// arms-combined main analysis), and between-group effects reported without arm data shown as study results.
@Suite("Multi-arm trials and reported effects")
struct MultiArmAndReportedEffectTests {
    /// IRL-GRey with a second aripiprazole dose arm sharing its placebo arm 26/90 (the fixture of
    /// `ComparisonPoolTests.aMultiArmTrialCountsItsSharedControlOnce`), with or without the made-up second trial.
    static func multiArm(secondTrial: Bool) throws -> TRDEvidence {
        var evidence = secondTrial ? try ComparisonPoolTests.evidenceWithSecondTrial() : try TRDTestData.evidence()
        var dose = try #require(evidence.outcomes.first { $0.studyRef == 85 && $0.outcome == .remission && $0.armRole == .active && $0.measure == .events })
        dose.row = 6001
        dose.arm = "Aripiprazole, second dose"
        dose.events = 30
        dose.total = 85
        evidence.outcomes.append(dose)
        return evidence
    }

    /// vcalc's correlation of two contrasts sharing their second group: (1/w_c) / √((1/w_a1 + 1/w_c)(1/w_a2 + 1/w_c)).
    static func sharedCorrelation(_ a1: Double, _ a2: Double, control c: Double) -> Double {
        (1 / c) / ((1 / a1 + 1 / c) * (1 / a2 + 1 / c)).squareRoot()
    }

    /// One trial, two doses, one placebo: two pairs whose covariance is the shared placebo's; the estimate is the
    /// generalised-least-squares combination, wider than if the placebo were counted twice (independent pairs).
    @Test func aSharedPlaceboEntersOnceThroughTheCovariance() throws {
        let analysis = try RateAnalysis.run(evidence: Self.multiArm(secondTrial: false), outcome: .remission)
        let s = try #require(analysis.sharedControl.first { $0.stratum.treatmentKey == "antipsychotic_augmentation" && $0.stratum.comparator == .control })
        #expect(s.effects.count == 2 && s.trialCount == 1 && s.betweenTrialVariance == nil)
        #expect(Set(s.effects.map(\.controlRow)).count == 1)
        #expect(s.participants == 91 + 85 + 90)
        let (v0, v1) = (s.effects[0].vi, s.effects[1].vi)
        let r = Self.sharedCorrelation(91, 85, control: 90)
        #expect(abs(s.covariance.element(0, 1) - r * (v0 * v1).squareRoot()) < 1e-15)
        // GLS with V = [[v0, c], [c, v1]]: weights V⁻¹1.
        let c = s.covariance.element(0, 1), det = v0 * v1 - c * c
        let w0 = (v1 - c) / det, w1 = (v0 - c) / det
        let y0 = s.effects[0].yi, y1 = s.effects[1].yi
        #expect(abs(s.estimate - (w0 * y0 + w1 * y1) / (w0 + w1)) < 1e-10)
        #expect(abs(s.standardError - (1 / (w0 + w1)).squareRoot()) < 1e-10)
        // Counting the placebo twice (independent pairs) would claim more precision than the trial has.
        let naive = (1 / (1 / v0 + 1 / v1)).squareRoot()
        #expect(s.standardError > naive * 1.05)
        // Each pair's log RR is its own 2×2: 40/91 v 26/90 and 30/85 v 26/90.
        #expect(abs(y0 - log((40.0 / 91) / (26.0 / 90))) < 1e-12 && abs(y1 - log((30.0 / 85) / (26.0 / 90))) < 1e-12)
        // The main analysis still combines the arms: one comparison, the placebo once.
        let main = try #require(analysis.comparisons.first { $0.ref == 85 })
        #expect(main.combinedArms && main.controlTotal == 90)
    }

    /// With a second trial the model has a random intercept per trial: three pairs, two trials, the placebo of
    /// the multi-arm trial once in the participants, and no covariance between trials.
    @Test func withTwoTrialsTheModelHasATrialIntercept() throws {
        let analysis = try RateAnalysis.run(evidence: Self.multiArm(secondTrial: true), outcome: .remission)
        let s = try #require(analysis.sharedControl.first { $0.stratum.treatmentKey == "antipsychotic_augmentation" && $0.stratum.comparator == .control })
        #expect(s.effects.count == 3 && s.trialCount == 2 && s.betweenTrialVariance != nil)
        #expect(s.participants == 91 + 85 + 90 + 50 + 50)
        let other = try #require(s.effects.firstIndex { $0.sampleGroup == "synthetic_trial" })
        for i in s.effects.indices where i != other { #expect(s.covariance.element(i, other) == 0) }
        #expect(s.ciLower < s.estimate && s.estimate < s.ciUpper)
    }

    /// Singh 2016: each schedule has its own placebo arm, so the two pairs do not covary and the trial's
    /// combination is their inverse-variance mean; the main analysis combines the arms (g -1.48).
    @Test func singhsSeparatePlaceboArmsDoNotCovary() throws {
        let analysis = try RateAnalysis.run(evidence: TRDTestData.evidence(), outcome: .response)
        let s = try #require(analysis.sharedControl.first { $0.effects.first?.study.hasPrefix("Singh 2016") == true })
        #expect(s.measure == .standardizedMeanDifference && s.effects.count == 2 && s.trialCount == 1)
        #expect(s.covariance.element(0, 1) == 0)
        #expect(s.participants == 17 + 18 + 16 + 16)
        let w = s.effects.map { 1 / $0.vi }
        let mean = zip(w, s.effects).reduce(0.0) { $0 + $1.0 * $1.1.yi } / w.reduce(0, +)
        #expect(abs(s.estimate - mean) < 1e-10)
        #expect(abs(s.estimate - -1.55) < 0.01)
    }

    static func contrasts() throws -> [ReportedContrast] {
        let evidence = try TRDTestData.evidence()
        let analyses = try RateOutcome.allCases.map { try RateAnalysis.run(evidence: evidence, outcome: $0) }
        return ReportedContrast.all(evidence, analyses: analyses)
    }

    /// Murrough 2013's MADRS difference (midazolam minus ketamine, > 0 favours ketamine) is harmonised to
    /// ketamine minus midazolam and shown as that trial's result in the key findings, flagged ‡.
    @Test func murroughsReportedDifferenceIsAStudyResultWithItsSignHarmonised() throws {
        let all = try Self.contrasts()
        let md = try #require(all.first { $0.ref == 8 && $0.outcome == .madrs })
        #expect(md.reported == 7.95 && md.estimate == -7.95 && md.ciLower == -12.71 && md.ciUpper == -3.20)
        #expect(md.exclusion == nil && md.direction == "negative favours Ketamine")
        let report = try ReviewReportTests.report(TRDTestData.evidence())
        let finding = try #require(report.keyFindings.first { $0.refs == [8] && $0.stratum.outcome == .madrs })
        #expect(finding.kind == .studyResult && finding.estimate == "MD -7.95 [-12.71, -3.20]" && finding.primaryTimepoint == nil)
        #expect(report.textReport().contains("Between-group effects reported without arm data"))
        #expect(report.plots().contains { $0.name == "reported-effects-mean_difference.svg" && $0.svg.contains("Murrough 2013 [8]") })
    }

    /// The ayahuasca RCT's d at day 7 (1.49, n 14 v 15) gets an interval from its arm sizes
    /// (Borenstein et al. 2009, eq. 4.20); of days 1 and 2 (one window) the later is shown.
    @Test func aCohensDWithoutAnIntervalGetsOneFromItsArmSizes() throws {
        let all = try Self.contrasts()
        let d7 = try #require(all.first { $0.ref == 39 && $0.timepoint == "day 7" })
        let n1 = 14.0, n2 = 15.0, d = 1.49
        let variance: Double = (n1 + n2) / (n1 * n2) + d * d / (2 * (n1 + n2))
        let se = variance.squareRoot()
        #expect(d7.intervalComputed && d7.estimate == -1.49)
        #expect(abs(d7.ciLower! - (-1.49 - 1.959963984540054 * se)) < 1e-9 && abs(d7.ciUpper! - (-1.49 + 1.959963984540054 * se)) < 1e-9)
        #expect(d7.exclusion == nil)
        #expect(all.first { $0.ref == 39 && $0.timepoint == "day 1" }?.exclusion == .otherTimepoint)
        #expect(all.first { $0.ref == 39 && $0.timepoint == "day 2" }?.exclusion == nil)
    }

    /// What is not a key finding, and why: Fava's post hoc day-1 d (not primary), Glue's 180 mg difference (one of
    /// four doses), Rosenblat's g and the ORs (recomputed from arm data), the US-label subgroup (never pooled),
    /// the registry cohort's HR (not randomised).
    @Test func theOtherReportedEffectsSayWhyTheyAreNotKeyFindings() throws {
        let all = try Self.contrasts()
        #expect(all.first { $0.ref == 52 }?.exclusion == .notPrimaryTimepoint)
        #expect(all.first { $0.ref == 58 && $0.hasInterval }?.exclusion == .severalArms)
        #expect(all.first { $0.ref == 67 }?.exclusion == .shownFromArmData)
        #expect(all.first { $0.ref == 85 }?.exclusion == .shownFromArmData)
        #expect(all.filter { $0.ref == 68 }.allSatisfy { $0.exclusion == .neverPool })
        #expect(all.first { $0.ref == 71 }?.exclusion == .notRandomised)
        #expect(Set(all.filter { $0.exclusion == nil }.map(\.ref)) == [8, 39])
    }
}
