import Foundation
import Testing
@testable import MetaAnalysis
@testable import MetaReport
@testable import TRDReview

/// The report's rules as a reader meets them: k = 1 is a study result in every table, plot and console line;
/// results at a timepoint no source calls primary are flagged per row; every study cell links its primary source;
/// a pooled comparison's forest plot carries what issue 20 item 5 lists.
@Suite("The review report")
struct ReviewReportTests {
    static func report(_ evidence: TRDEvidence) throws -> ReviewReport {
        var byClass: [RateAnalysis] = [], byRoute: [RateAnalysis] = []
        for outcome in RateOutcome.allCases {
            byClass.append(try RateAnalysis.run(evidence: evidence, outcome: outcome, grouping: .class))
            byRoute.append(try RateAnalysis.run(evidence: evidence, outcome: outcome, grouping: .route))
        }
        return ReviewReport(evidence: evidence, byClass: byClass, byRoute: byRoute, claims: try ReviewClaims.check(evidence), gaps: [],
                            provenance: Provenance(toolVersion: "test", commandLine: ["review"], options: [], inputPath: nil, inputSHA256: nil))
    }

    /// ESCAPE-TRD's esketamine remission 91/336 is the only study in its stratum: a study result in the key
    /// findings, the study-results table, the single-study plot and the console summary; never pooled.
    @Test func aOneStudyStratumIsAStudyResultInTablePlotAndConsole() throws {
        let report = try Self.report(TRDTestData.evidence())
        let finding = try #require(report.keyFindings.first { $0.refs == [68] && $0.stratum.treatmentKey == "glutamatergic" && $0.stratum.comparator == nil })
        #expect(finding.kind == .studyResult && finding.k == 1)
        #expect(finding.estimate == "27.1% [22.4, 32.2]")
        let keyRow = try #require(report.keyFindingsTable().rendered().split(separator: "\n").first { $0.contains("27.1% [22.4, 32.2]") })
        #expect(keyRow.contains("study result") && !keyRow.contains("pooled"))

        let text = report.textReport()
        let studySection = try #require(text.range(of: "Study results (k = 1"))
        let row = try #require(text.range(of: "91/336"))
        #expect(studySection.lowerBound < row.lowerBound)
        #expect(!text.contains("Glutamatergic 27.1%"))

        let plots = report.plots()
        let single = try #require(plots.first { $0.name == "study-results-remission.svg" })
        #expect(single.svg.contains("Reif 2023 [68]") && single.svg.contains("Study result (k = 1): not pooled"))
        #expect(!single.svg.contains("pooled-diamond") && !single.svg.contains(">Weight<"))
        #expect(!plots.contains { $0.name.hasPrefix("forest-rate-remission-remission-glutamatergic") })

        let console = report.summary(outputDirectory: "out", fileCount: 0)
        #expect(console.contains("remission: 3 single-study results (not pooled); 1 pooled strata: Antipsychotic augmentation"))
        #expect(!console.contains("27.1%"))
    }

    /// Murrough 2013, Palhano-Fontes 2019, Lenze 2015 and Glue 2024 do not say which timepoint is primary in any
    /// available source: their results carry ‡ in the key findings, the tables and the plots; ESCAPE-TRD's week 8
    /// is its stated primary endpoint.
    @Test func resultsAtATimepointNoSourceCallsPrimaryAreFlaggedPerRow() throws {
        let report = try Self.report(TRDTestData.evidence())
        let unknown = Set(report.keyFindings.filter { $0.primaryTimepoint == nil }.flatMap(\.refs))
        #expect(unknown.isSuperset(of: [8, 39, 58, 85]))
        #expect(!unknown.contains(68) && !unknown.contains(70))
        let table = report.keyFindingsTable().rendered()
        #expect(table.contains("RR 2.28 [1.17, 4.43]; RD 35.8 points + ‡"))
        let response = try #require(report.byClass.first { $0.outcome == .response })
        #expect(response.comparisonTable().rendered().contains("24 h ‡"))
        #expect(response.textReport().contains(PrimaryTimepoint.legend))
        let remission = try #require(report.byClass.first { $0.outcome == .remission })
        #expect(remission.studyResultTable().rendered().contains("week 8 (primary)"))
        let plot = try #require(report.plots().first { $0.name.hasPrefix("forest-comparison-response-glutamatergic") })
        #expect(plot.svg.contains("Murrough 2013 [8] ‡") && plot.svg.contains("no available source says"))
        #expect(report.limitations.contains { $0.contains("marked ‡") })
    }

    /// Every study named in a table of the HTML report is a link to its primary source (DOI first).
    @Test func everyStudyCellLinksItsPrimarySource() throws {
        let evidence = try TRDTestData.evidence()
        let full = try Self.report(evidence).html()
        // The sources table at the end names each study beside its links; every other table links the name itself.
        let html = String(full[..<(try #require(full.range(of: "<h2 id=\"sources\">"))).lowerBound])
        for s in evidence.studies {
            #expect(!html.contains("<td>\(MarkupEscaping.escaped(s.label))</td>"), "unlinked \(s.label)")
        }
        let doi = try #require(evidence.study(ref: 85)?.links.first?.url)
        let linked = html.components(separatedBy: "<a href=\"\(doi)\">Lenze 2015 [85]</a>").count - 1
        #expect(linked >= 3)
    }

    /// A stratum that pools (IRL-GRey and a second trial of the same design): the forest plot has the weight
    /// column, boxes sized by weight, events/totals per arm, the heterogeneity line, the test for the overall effect,
    /// favours labels on both sides and the line of no effect inside the axis.
    @Test func aPooledComparisonPlotHasWhatAReaderNeeds() throws {
        let report = try Self.report(ComparisonPoolTests.evidenceWithSecondTrial())
        let plot = try #require(report.plots().first { $0.name.hasPrefix("forest-comparison-remission-antipsychotic_augmentation-v_control") })
        let svg = plot.svg
        for text in [">Weight<", "Events", "Total", "40", "91", "26", "90", "Heterogeneity: τ² = ", "I² = ", "χ² = ", "df = 1",
                     "Test for overall effect", "Favours control", "Favours active"] {
            #expect(svg.contains(text), "missing \(text)")
        }
        #expect(svg.contains("null-line"))
        #expect(!svg.contains("One trial in this stratum"))
        // Box area ∝ weight: the two study squares' areas have the ratio of the weights.
        let pool = try #require(report.byClass.first { $0.outcome == .remission }?.comparisonPools.first)
        let weights = try #require(pool.riskRatioModel?.weightsPercent)
        let sides = Self.squareSides(svg)
        try #require(sides.count == 2)
        #expect(abs(sides[0] * sides[0] / (sides[1] * sides[1]) - weights[0] / weights[1]) < 0.02)
    }

    /// The sides of the study squares (`class="weight-square"`), in drawing order.
    static func squareSides(_ svg: String) -> [Double] {
        svg.components(separatedBy: "<rect").dropFirst().compactMap { part -> Double? in
            let tag = String(part.prefix { $0 != ">" })
            guard tag.contains("weight-square"), let r = tag.range(of: " width=\"") else { return nil }
            return Double(tag[r.upperBound...].prefix { $0 != "\"" })
        }
    }
}
