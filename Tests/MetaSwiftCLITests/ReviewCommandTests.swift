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
                     "rates-response-by-route.csv", "rates-remission-by-route.csv", "forest-rate-response-glutamatergic.svg",
                     "forest-rate-remission-antipsychotic_augmentation.svg", "forest-comparison-glutamatergic-remission-comparator.svg",
                     "forest-smd-glutamatergic-madrs-control.svg"] {
            #expect(files.contains(name), "missing \(name)")
        }
        #expect(!files.contains { $0.contains(".tmp-") })
        #expect(output.contains("review claims checked"))
        #expect(output.contains("report.html"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/review.json"))) as? [String: Any]
        let provenance = try #require(json?["provenance"] as? [String: Any])
        #expect((provenance["input_sha256"] as? String)?.count == 64 * 2 + 1)
        let claims = try #require(json?["claims"] as? [[String: Any]])
        #expect(claims.contains { $0["id"] as? String == "optimum_remission_similar" })
    }

    /// A rate from one study is not pooled: its forest plot shows no weight column ("100.0%" would suggest a pooled
    /// result) and says that heterogeneity is undefined. Comparison labels are wrapped, not cut to a fixed length.
    @Test func singleStudyPlotsAreNotPresentedAsPooled() throws {
        let (dir, _) = try Self.run()
        let single = try String(contentsOfFile: dir + "/forest-rate-remission-psychedelic.svg", encoding: .utf8)
        #expect(!single.contains(">Weight<") && !single.contains("100.0%") && !single.contains("pooled-diamond"))
        #expect(single.contains("One study: not pooled (heterogeneity undefined)"))
        let comparison = try String(contentsOfFile: dir + "/forest-comparison-antipsychotic_augmentation-remission-comparator.svg",
                                    encoding: .utf8)
        #expect(!comparison.contains("…"))
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
        // No external resources: no src at all; href only to in-page anchors or the studies' source URLs.
        #expect(!html.contains(" src="))
        let outcomes = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Datasets/trd-review/outcomes.csv"), encoding: .utf8)
        var rest = Substring(html)
        while let r = rest.range(of: "href=\"") {
            rest = rest[r.upperBound...]
            let target = String(rest.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            #expect(target.hasPrefix("#") || outcomes.contains(target), "unexpected link \(target)")
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
