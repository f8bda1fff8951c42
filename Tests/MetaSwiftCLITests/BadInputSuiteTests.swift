import ArgumentParser
import Foundation
@testable import MetaSwiftCLI
import Testing

/// Issue 16's bad-input suite: `BadInputSuite/inputs/` holds malformed files (made by
/// `scripts/make-bad-input-suite.py`: bad cells in every column of five kinds of data, broken CSV structure, wrong
/// encodings, measure rules, options naming what the file lacks), and `BadInputSuite/cases.txt` the command each is
/// run through and the one sentence expected on standard error. Every case runs in-process and must end with exit ≠ 0,
/// nothing on standard output and exactly that sentence — or, where the file is one metafor analyses too (a negative
/// mean difference, a decimal comma in a column no analysis reads), `OK`: exit 0 and a report on standard output.
/// `METASWIFT_UPDATE_BAD_INPUT_SUITE=1` records the sentences (read the diff before committing: each must name the
/// row, column or option and what was expected). Each file is staged at one path and each command line parsed once:
/// the argument parser's own checks cost seconds of CPU per parse in a debug build.
@Suite("Bad-input suite: one typed sentence per malformed file")
struct BadInputSuiteTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInputSuite")
    static let recording = ProcessInfo.processInfo.environment["METASWIFT_UPDATE_BAD_INPUT_SUITE"] == "1"

    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let command: [String]
        let expected: String
        var testDescription: String { "\(file): \(command.joined(separator: " "))" }
    }

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("cases.txt"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { return nil }
            return Case(file: fields[0], command: fields[1].split(separator: " ").map(String.init), expected: fields[2])
        }
    }()

    /// Runs the cases one after another: each file copied to one staging path, each command line parsed once (a
    /// line the parser refuses is parsed again for every case, so its sentence is still checked). Standard error with
    /// the staged path written as `$INPUT`.
    final class Runner {
        let staged: URL
        var parsed: [String: ParsableCommand] = [:]

        init() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bad-input-suite-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            staged = directory.appendingPathComponent("input.csv")
        }

        deinit { try? FileManager.default.removeItem(at: staged.deletingLastPathComponent()) }

        func run(_ c: Case) throws -> CommandLineResult {
            let source = folder.appendingPathComponent("inputs").appendingPathComponent(c.file)
            try? FileManager.default.removeItem(at: staged)
            try FileManager.default.copyItem(at: source, to: staged)
            let arguments = c.command + ["--data", staged.path]
            let key = arguments.joined(separator: "\u{1}")
            let r = MetaSwiftCommand.runCapturing(arguments) {
                if let command = parsed[key] { return command }
                let command = try MetaSwiftCommand.parseCommandLine(arguments)
                parsed[key] = command
                return command
            }
            return CommandLineResult(exitCode: r.exitCode, standardOutput: r.standardOutput,
                                     standardError: r.standardError.replacingOccurrences(of: staged.path, with: "$INPUT"))
        }
    }

    @Test("At least 150 input files, each used by a case")
    func suiteSize() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.appendingPathComponent("inputs").path)
        #expect(files.count >= 150)
        #expect(Set(Self.cases.map(\.file)) == Set(files))
    }

    @Test("Every malformed file ends in one typed sentence")
    func everyCase() throws {
        var recorded: [String] = []
        let runner = try Runner()
        for c in Self.cases {
            let r = try runner.run(c)
            let sentence = r.standardError.hasSuffix("\n") ? String(r.standardError.dropLast()) : r.standardError
            if Self.recording {
                recorded.append("\(c.file)\t\(c.command.joined(separator: " "))\t\(r.exitCode == 0 ? "OK" : sentence)")
                continue
            }
            let what = c.testDescription
            if c.expected == "OK" {
                #expect(r.exitCode == 0, "\(what): \(r.standardError)")
                #expect(!r.standardOutput.isEmpty, "\(what): no report")
                continue
            }
            #expect(r.exitCode != 0, "\(what): exit 0")
            #expect(r.standardOutput.isEmpty, "\(what): stdout \(r.standardOutput.prefix(120))")
            #expect(!sentence.contains("\n") && sentence.hasPrefix("Error: "), "\(what): \(r.standardError)")
            #expect(sentence == c.expected, "\(what)")
        }
        if Self.recording {
            let header = "# file<TAB>command (the suite adds --data FILE)<TAB>expected stderr (recorded, then read by a person)\n"
            try (header + recorded.joined(separator: "\n") + "\n").write(to: Self.folder.appendingPathComponent("cases.txt"), atomically: true, encoding: .utf8)
        }
    }
}
