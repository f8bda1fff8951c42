import Foundation
@testable import MetaSwiftCLI
import Testing

/// A progress sink that records every write, with a terminal or not as the test says.
private final class RecordingSink: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    let terminal: Bool

    init(terminal: Bool) { self.terminal = terminal }

    var writes: [String] { lock.withLock { recorded } }

    var sink: ProgressSink {
        ProgressSink(isTerminal: { [terminal] in terminal }, write: { [self] text in lock.withLock { recorded.append(text) } })
    }

    /// The percentages of the frames drawn, in order.
    var percentages: [Int] {
        writes.compactMap { frame -> Int? in
            guard frame.hasPrefix("\r"), frame.hasSuffix("%") else { return nil }
            return Int(frame.dropLast().split(separator: " ").last ?? "")
        }
    }
}

@Suite("Progress bar")
struct ProgressBarTests {
    static let bcg = """
    study,ai,bi,ci,di
    Aronson,4,119,11,128
    Ferguson,6,300,29,274
    Rosenthal60,3,228,11,209
    Hart,62,13536,248,12619
    Frimodt,33,5036,47,5761
    Stein,180,1361,372,1079
    Vandiviere,8,2537,10,619
    Madras,505,87886,499,87892
    """

    /// The data file (one path for every run: provenance records it).
    static let dataPath: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(getpid()).csv").path
        try? bcg.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    static func bootstrap(sink: ProgressSink) throws -> CommandLineResult {
        let path = dataPath
        return ProgressSink.$current.withValue(sink) {
            MetaSwiftCommand.runCapturing(["bootstrap", "--data", path, "--measure", "RR", "--replicates", "3000", "--seed", "7",
                                           "--threads", "2", "--format", "json"])
        }
    }

    /// Not a terminal: nothing is drawn, standard error stays empty and standard output is the plain JSON.
    @Test func silentWhenNotATerminal() throws {
        let quiet = RecordingSink(terminal: false)
        let result = try Self.bootstrap(sink: quiet.sink)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(quiet.writes.isEmpty)
        #expect(result.standardError.isEmpty)
        #expect(result.standardOutput.hasPrefix("{"))
        #expect(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) is [String: Any])
    }

    /// A terminal: the bar reaches 100 %, never goes back, ends with a newline, is throttled to one frame per
    /// whole percent, and standard output is byte for byte what the silent run printed.
    @Test func drawsOnATerminalWithoutTouchingStandardOutput() throws {
        let terminal = RecordingSink(terminal: true)
        let shown = try Self.bootstrap(sink: terminal.sink)
        let quiet = try Self.bootstrap(sink: RecordingSink(terminal: false).sink)
        #expect(shown.exitCode == 0, "\(shown.standardError)")
        #expect(shown.standardOutput == quiet.standardOutput)
        #expect(shown.standardError.isEmpty)
        #expect(!shown.standardOutput.contains("bootstrap ["))

        let writes = terminal.writes
        #expect(writes.last == "\n")
        #expect(writes.dropLast().last?.hasSuffix("100%") == true)
        let percentages = terminal.percentages
        #expect(percentages.last == 100)
        #expect(percentages == percentages.sorted() && Set(percentages).count == percentages.count)
        // 3,008 steps (8 studies + 3,000 replicates) but at most 101 frames plus the newline.
        #expect(writes.count <= 102)
        #expect(writes.allSatisfy { $0 == "\n" || $0.hasPrefix("\rbootstrap [") })
    }

    /// batch: on a terminal the bar follows the bytes read (a long-format file) or the files (a directory) to 100 %,
    /// and standard output is byte for byte the silent run's; not on a terminal, nothing is drawn.
    @Test func batchDrawsOnATerminalOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("progress-batch-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var long = "g,yi,vi\n"
        for a in 0..<300 {
            let rows = (0..<4).map { "\(a),\(Double(a % 7) / 10 + Double($0) / 20),\(0.01 + Double($0) / 100)\n" }.joined()
            long += rows
            if a < 5 { try ("yi,vi\n" + rows.split(separator: "\n").map { $0.split(separator: ",", maxSplits: 1)[1] + "\n" }.joined())
                .write(toFile: dir + "/a\(a).csv", atomically: true, encoding: .utf8) }
        }
        let file = dir + "/long.txt"
        try long.write(toFile: file, atomically: true, encoding: .utf8)
        for arguments in [["--data", file, "--by", "g"], ["--data", dir]] {
            let command = ["batch"] + arguments + ["--method", "DL", "--format", "csv", "--threads", "2"]
            let terminal = RecordingSink(terminal: true), quiet = RecordingSink(terminal: false)
            let shown = ProgressSink.$current.withValue(terminal.sink) { MetaSwiftCommand.runCapturing(command) }
            let silent = ProgressSink.$current.withValue(quiet.sink) { MetaSwiftCommand.runCapturing(command) }
            #expect(shown.exitCode == 0 && silent.exitCode == 0, "\(shown.standardError)")
            #expect(shown.standardOutput == silent.standardOutput && shown.standardError.isEmpty)
            #expect(quiet.writes.isEmpty)
            #expect(terminal.percentages.last == 100 && terminal.percentages == terminal.percentages.sorted())
            #expect(terminal.writes.last == "\n" && terminal.writes.dropLast().allSatisfy { $0.hasPrefix("\rbatch [") })
        }
    }

    /// Throttling by count: a million single steps from two threads draw each whole percent at most once.
    @Test func redrawsOnlyWhenThePercentageGrows() async throws {
        let terminal = RecordingSink(terminal: true)
        let bar = try #require(ProgressBar(total: 1_000_000, label: "steps", sink: terminal.sink))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { for _ in 0..<500_000 { bar.advance(1) } } }
        }
        bar.finish()
        #expect(terminal.percentages == Array(0...100))
        #expect(terminal.writes.count == 102)
        #expect(terminal.writes.last == "\n")
        #expect(terminal.writes[50] == "\rsteps [" + String(repeating: "#", count: 15) + String(repeating: " ", count: 15) + "]  50%")
    }

    /// The default sink is standard error, and only when it is a terminal: never while output is captured.
    @Test func standardErrorSinkIsOffWhileCapturing() {
        let captured = Console.$current.withValue(Console(capturing: true)) { ProgressSink.standardError.isTerminal() }
        #expect(!captured)
        #expect(ProgressBar(total: 10, label: "x", sink: RecordingSink(terminal: false).sink) == nil)
    }
}
