import Foundation
@testable import MetaSwiftCLI
import Testing

private let bankData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("ConformanceTests/Bank/data").path

private func temporaryCSV(_ text: String, name: String) throws -> String {
    let path = NSTemporaryDirectory() + "metaswift-first-contact-\(name)-\(getpid()).csv"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Collapses every run of whitespace to one space, so wrapped text can be searched as one line.
private func flattened(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
}

/// A progress sink that draws as on a terminal and records, for every write, the text and whether standard output
/// was still empty then (the report must start on a line of its own, after the bar's closing newline).
private final class OrderRecordingSink: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(text: String, outputWasEmpty: Bool)] = []
    var writes: [(text: String, outputWasEmpty: Bool)] { lock.withLock { recorded } }
    var sink: ProgressSink {
        ProgressSink(isTerminal: { true }, write: { [self] text in
            let empty = Console.current.standardOutput.isEmpty
            lock.withLock { recorded.append((text, empty)) }
        })
    }
}

/// The small defects a new user met first (issue 15, item 6): each pinned where a test can see it.
@Suite("First contact: datasets list, progress and notes, plot axis titles and the prediction interval")
struct FirstContactTests {
    /// `datasets list` fits 100 columns and shows every dataset's source (it printed an empty source column and
    /// 262-character rows).
    @Test func datasetsListIsReadableAndShowsTheSource() throws {
        let table = MetaSwiftCommand.runCapturing(["datasets", "list"])
        #expect(table.exitCode == 0, "\(table.standardError)")
        let lines = table.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines { #expect(line.count <= DatasetsListCommand.width, "\(line.count) characters: \(line)") }
        let json = MetaSwiftCommand.runCapturing(["datasets", "list", "--format", "json"])
        let doc = try #require(JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let items = try #require(doc["datasets"] as? [[String: Any]])
        #expect(!items.isEmpty)
        let text = flattened(table.standardOutput)
        for item in items {
            let name = try #require(item["name"] as? String), source = try #require(item["source"] as? String)
            #expect(text.contains(name))
            #expect(text.contains("Source: " + flattened(source)), "\(name): source missing from the table")
        }
    }

    /// GOSH on a terminal: the bar's line ends (once) before the summary is written, so the table starts on its
    /// own line.
    @Test func goshProgressBarEndsItsLineBeforeTheReport() throws {
        let recording = OrderRecordingSink()
        let r = ProgressSink.$current.withValue(recording.sink) {
            MetaSwiftCommand.runCapturing(["sensitivity", "gosh", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--method", "DL"])
        }
        #expect(r.exitCode == 0, "\(r.standardError)")
        let newlines = recording.writes.filter { $0.text == "\n" }
        #expect(newlines.count == 1)
        #expect(newlines.first?.outputWasEmpty == true, "the report was written before the bar's newline")
        #expect(recording.writes.last?.text == "\n")
        #expect(r.standardOutput.hasSuffix("\n"))
    }

    /// finish() twice (explicitly before the output, then by a defer) ends the line once.
    @Test func finishingTwiceEndsTheLineOnce() throws {
        let recording = OrderRecordingSink()
        let bar = try #require(ProgressBar(total: 10, label: "x", sink: recording.sink))
        bar.advance(10)
        bar.finish()
        bar.finish()
        #expect(recording.writes.filter { $0.text == "\n" }.count == 1)
    }

    /// The bootstrap's note about a truncated basic interval is a line of its own, ending with a newline like the
    /// rest of the report (it ended the output without one).
    @Test func bootstrapTruncationNoteEndsWithANewline() throws {
        // τ̂² = 0 here (DL), so the basic interval 2τ̂² − quantiles is negative and truncated.
        let data = try temporaryCSV("study,ai,n1i,ci,n2i\nA,0,20,3,20\nB,2,15,5,16\nC,1,30,0,28\nD,4,25,9,24\nE,1,10,1,12\n", name: "sparse")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let r = MetaSwiftCommand.runCapturing(["bootstrap", "--data", data, "--measure", "RR", "--type", "arms", "--replicates", "50",
                                               "--seed", "1", "--method", "DL"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let lines = r.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        let note = try #require(lines.firstIndex { $0.hasPrefix("Basic interval for tau2: ") })
        #expect(lines[note].hasSuffix(")."))
        #expect(r.standardOutput.hasSuffix("\n"))
    }

    /// `plot gosh` leaves out the single-study subsets (I² is undefined for one study) and says so.
    @Test func goshPlotSaysItLeavesOutSingleStudies() throws {
        let r = MetaSwiftCommand.runCapturing(["plot", "gosh", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--method", "DL"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardError.contains("Note: the 13 single-study subsets are not drawn"))
        #expect(r.standardOutput.contains(">Pooled risk ratio (log scale)<"))
    }

    /// The funnel plot's axis names the measure (it said "Effect size" for every measure).
    @Test(arguments: [("RR", "Risk ratio (log scale)"), ("OR", "Odds ratio (log scale)"), ("RD", "Risk difference")])
    func funnelAxisNamesTheMeasure(measure: String, title: String) throws {
        let r = MetaSwiftCommand.runCapturing(["plot", "funnel", "--data", "\(bankData)/bcg.csv", "--measure", measure])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.contains(">\(title)<"))
        #expect(!r.standardOutput.contains(">Effect size<"))
    }

    /// k = 2: no prediction-interval bar (it spanned 0.001–1000 and set the axis), and a footnote says why;
    /// k = 3 draws it.
    @Test func forestLeavesOutTheUninformativePredictionInterval() throws {
        let two = try temporaryCSV("study,ai,bi,ci,di\nA,4,119,11,128\nB,6,300,29,274\n", name: "k2")
        let three = try temporaryCSV("study,ai,bi,ci,di\nA,4,119,11,128\nB,6,300,29,274\nC,62,13536,248,12619\n", name: "k3")
        defer { for p in [two, three] { try? FileManager.default.removeItem(atPath: p) } }
        let k2 = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", two, "--measure", "RR"])
        #expect(k2.exitCode == 0, "\(k2.standardError)")
        #expect(!k2.standardOutput.contains("prediction-interval"))
        #expect(!k2.standardOutput.contains(">Prediction interval<"))
        #expect(k2.standardOutput.contains("No prediction interval drawn for fewer than 3 studies"))
        #expect(!k2.standardOutput.contains(">1000<") && !k2.standardOutput.contains(">0.001<"))
        let k3 = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", three, "--measure", "RR"])
        #expect(k3.exitCode == 0, "\(k3.standardError)")
        #expect(k3.standardOutput.contains("prediction-interval"))
        #expect(!k3.standardOutput.contains("No prediction interval drawn"))
    }
}
