import Foundation
import MetaSwiftCLI
import Testing

@Suite("metaswift review")
struct ReviewCommandTests {
    static func run() throws -> (dir: String, output: String) {
        let dir = NSTemporaryDirectory() + "review-\(getpid())-\(UInt32.random(in: 0...UInt32.max))/out"
        let r = MetaSwiftCommand.runCapturing(["review", "--out", dir])
        #expect(r.exitCode == 0, "\(r.standardError)")
        return (dir, r.standardOutput)
    }

    @Test func writesEveryExpectedFile() throws {
        let (dir, output) = try Self.run()
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        for name in ["summary.txt", "counts.csv", "claims.csv", "claims.txt", "gaps.csv", "review.json", "report.html",
                     "counts-by-class-and-design.svg", "rates-response-by-class.csv", "rates-remission-by-class.txt",
                     "rates-response-by-route.csv", "rates-remission-by-route.csv", "key-findings.csv", "studies.csv",
                     "study-results-response.svg", "study-results-remission.svg"] {
            #expect(files.contains(name), "missing \(name)")
        }
        // One forest plot per stratum: the k = 2 remission stratum, each trial's comparison, each SMD stratum.
        #expect(files.contains { $0.hasPrefix("forest-rate-remission-") })
        #expect(files.filter { $0.hasPrefix("forest-comparison-") }.count == 7)
        #expect(files.contains { $0.hasPrefix("forest-smd-madrs-glutamatergic-v_control") })
        // The summary never calls a one-study result pooled.
        #expect(output.contains("response: 4 single-study results (not pooled); 0 pooled strata"))
        #expect(!files.contains { $0.contains(".tmp-") })
        #expect(output.contains("review claims checked"))
        #expect(output.contains("report.html"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/review.json"))) as? [String: Any]
        let provenance = try #require(json?["provenance"] as? [String: Any])
        #expect((provenance["input_sha256"] as? String)?.count == 64 * 2 + 1)
        let claims = try #require(json?["claims"] as? [[String: Any]])
        #expect(claims.contains { $0["id"] as? String == "optimum_remission_similar" })
    }

    /// A rate from one study is not pooled: the single-study plot shows no weight column ("100.0%" would suggest a
    /// pooled result) and no diamond, and says each row is a study result. Comparison labels are not cut.
    @Test func singleStudyPlotsAreNotPresentedAsPooled() throws {
        let (dir, _) = try Self.run()
        let single = try String(contentsOfFile: dir + "/study-results-remission.svg", encoding: .utf8)
        #expect(!single.contains(">Weight<") && !single.contains("100.0%") && !single.contains("pooled-diamond"))
        #expect(single.contains("Study result (k = 1): not pooled"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        let name = try #require(files.first { $0.hasPrefix("forest-comparison-remission-antipsychotic_augmentation-v_comparator-switch") })
        let comparison = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        #expect(!comparison.contains("…"))
        #expect(comparison.contains("One trial in this stratum: a study result, not pooled."))
        #expect(comparison.contains("the trial&apos;s own threshold is P &lt; 0.017") || comparison.contains("the trial's own threshold is P < 0.017"))
    }

    /// The report opens with the key findings, states the rules and limitations, and links every study's primary
    /// source (DOI, and PubMed and ClinicalTrials.gov ids where the data have them).
    @Test func reportOpensWithKeyFindingsAndLinksEveryStudy() throws {
        let (dir, _) = try Self.run()
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        let findings = try #require(html.range(of: "<h2 id=\"findings\">Key findings</h2>"))
        for later in ["<h2 id=\"rules\">", "<h2 id=\"counts\">", "<h2 id=\"rates\">", "<h2 id=\"limitations\">", "<h2 id=\"sources\">"] {
            let r = try #require(html.range(of: later), "missing \(later)")
            #expect(findings.lowerBound < r.lowerBound)
        }
        #expect(html.contains("study result (k = 1)"))
        let studies = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Datasets/trd-review/studies.csv"), encoding: .utf8)
        var dois = 0
        for line in studies.split(separator: "\n").dropFirst() {
            guard let r = line.range(of: ",doi:10.") else { continue }
            let doi = "10." + line[r.upperBound...].prefix { $0 != "," }
            #expect(html.contains("href=\"https://doi.org/\(doi)\""), "no link to doi \(doi)")
            dois += 1
        }
        #expect(dois == 61)
        #expect(html.contains("href=\"https://clinicaltrials.gov/study/NCT04338321\""))
        #expect(html.contains("href=\"https://pubmed.ncbi.nlm.nih.gov/36867173/\""))
    }

    @Test func htmlIsWellFormedAndSelfContained() throws {
        let (dir, _) = try Self.run()
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Balanced tags (void elements excluded).
        let void: Set<String> = ["meta", "br", "hr", "img", "link", "input", "!DOCTYPE", "?xml"]
        var stack: [String] = []
        var index = html.startIndex
        while let open = html[index...].firstIndex(of: "<") {
            guard let close = html[open...].firstIndex(of: ">") else { Issue.record("unclosed tag"); return }
            let tag = html[html.index(after: open)..<close]
            index = html.index(after: close)
            if tag.hasPrefix("!") || tag.hasSuffix("/") { continue }
            let name = String(tag.split(whereSeparator: { $0 == " " || $0 == "\n" }).first ?? "")
            if name.hasPrefix("/") {
                #expect(stack.last == String(name.dropFirst()), "closing \(name) with \(stack.last ?? "nothing") open")
                if stack.last == String(name.dropFirst()) { stack.removeLast() }
            } else if !void.contains(name) {
                stack.append(name)
            }
        }
        #expect(stack.isEmpty, "unclosed: \(stack)")
        // No external resources: no src at all; href only to in-page anchors, the studies' source URLs or their
        // primary identifiers (DOI, PubMed, ClinicalTrials.gov).
        #expect(!html.contains(" src="))
        let outcomes = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Datasets/trd-review/outcomes.csv"), encoding: .utf8)
        let studies = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Datasets/trd-review/studies.csv"), encoding: .utf8)
        func isIdentifierLink(_ t: String) -> Bool {
            for (prefix, suffix) in [("https://doi.org/", ""), ("https://pubmed.ncbi.nlm.nih.gov/", "/"), ("https://clinicaltrials.gov/study/", "")]
                where t.hasPrefix(prefix) && t.hasSuffix(suffix) {
                let id = String(t.dropFirst(prefix.count).dropLast(suffix.count))
                if studies.contains(prefix == "https://doi.org/" ? "doi:" + id : "," + id + ",") { return true }
            }
            return false
        }
        var rest = Substring(html)
        while let r = rest.range(of: "href=\"") {
            rest = rest[r.upperBound...]
            let target = String(rest.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            #expect(target.hasPrefix("#") || outcomes.contains(target) || isIdentifierLink(target), "unexpected link \(target)")
        }
        #expect(html.contains("<svg"))
        #expect(html.contains("Claims v data") || html.contains("claims v the data"))
    }

    @Test func noArgumentsExplainsAndPointsToReview() {
        let r = MetaSwiftCommand.runCapturing([])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput.contains("metaswift review"))
        #expect(r.standardOutput.contains("the main job"))
    }
}
