import Foundation
import Testing
@testable import MetaAnalysis
@testable import TRDReview

@Suite("Review claims come from the data")
struct ReviewClaimsTests {
    static func claim(_ id: String, _ evidence: TRDEvidence) throws -> ReviewClaim {
        try #require(try ReviewClaims.check(evidence).first { $0.id == id })
    }

    @Test func classCountsAreCountedFromStudies() throws {
        let evidence = try TRDTestData.evidence()
        let psychedelic = try Self.claim("class_count_psychedelic", evidence)
        #expect(psychedelic.data.hasPrefix("7 by agent; 7 in Table 3"))
        #expect(psychedelic.verdict == .supported)
        // Drop one psychedelic study in memory: the data column and the verdict follow.
        var changed = evidence
        changed.studies.removeAll { $0.ref == 84 }
        let after = try Self.claim("class_count_psychedelic", changed)
        #expect(after.data.hasPrefix("6 by agent; 6 in Table 3"))
        #expect(after.verdict == .notSupported)
    }

    @Test func optimumVerdictFollowsTheCounts() throws {
        let evidence = try TRDTestData.evidence()
        let before = try Self.claim("optimum_remission_similar", evidence)
        #expect(before.data.contains("61/211 v 39/202"))
        #expect(before.verdict == .notSupported)
        var changed = evidence
        let i = try #require(changed.outcomes.firstIndex { $0.sampleGroup == "optimum" && $0.arm.contains("switch") && $0.outcome == .remission })
        changed.outcomes[i].events = 55
        let after = try Self.claim("optimum_remission_similar", changed)
        #expect(after.data.contains("61/211 v 55/202"))
        #expect(after.verdict == .supported)
    }

    @Test func participantsAndInclusionWindow() throws {
        var evidence = try TRDTestData.evidence()
        let participants = try Self.claim("participants", evidence)
        #expect(participants.data.contains("printed N sum to 205,223"))
        let window = try Self.claim("inclusion_window", evidence)
        #expect(window.refs == [8, 47])
        evidence.studies = evidence.studies.map { var s = $0; s.year = max(s.year, 2016); return s }
        #expect(try Self.claim("inclusion_window", evidence).verdict == .supported)
    }

    @Test func realWorldEsketamineRatesComeFromOutcomeRows() throws {
        var evidence = try TRDTestData.evidence()
        let response = try Self.claim("real_world_esketamine_response", evidence)
        #expect(response.data.hasPrefix("[15] 64.2% (no denominator)"))
        #expect(response.verdict == .partlySupported)
        evidence.outcomes.removeAll { $0.studyRef == 15 }
        #expect(try Self.claim("real_world_esketamine_response", evidence).verdict == .notTestable)
    }

    @Test func gapsAreReadFromTheReadme() throws {
        let gaps = ReviewGap.parse(readme: try TRDTestData.text("README.md"))
        #expect(gaps.count >= 10)
        #expect(gaps.contains { $0.study.hasPrefix("ESCAPE-TRD (68)") })
    }
}
