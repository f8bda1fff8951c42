import Foundation
import MetaSwiftCLI
import Testing

/// Issue 16's bad-input suite: `BadInputSuite/inputs/` holds malformed files (made by
/// `scripts/make-bad-input-suite.py`: bad cells in every column of five kinds of data, broken CSV structure, wrong
/// encodings, measure rules, options naming what the file lacks), and `BadInputSuite/cases.txt` the command each is
/// run through and the one sentence expected on standard error. Every case runs in-process and must end with exit ≠ 0,
/// nothing on standard output and exactly that sentence. `METASWIFT_UPDATE_BAD_INPUT_SUITE=1` records the sentences
/// (read the diff before committing: each must name the row, column or option and what was expected).
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

    /// Runs a case; stderr with the input's path written as `$INPUT`.
    static func run(_ c: Case) -> (exitCode: Int32, standardOutput: String, standardError: String) {
        let path = folder.appendingPathComponent("inputs").appendingPathComponent(c.file).path
        let r = MetaSwiftCommand.runCapturing(c.command + ["--data", path])
        return (r.exitCode, r.standardOutput, r.standardError.replacingOccurrences(of: path, with: "$INPUT"))
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
        for c in Self.cases {
            let r = Self.run(c)
            let sentence = r.standardError.hasSuffix("\n") ? String(r.standardError.dropLast()) : r.standardError
            if Self.recording {
                recorded.append("\(c.file)\t\(c.command.joined(separator: " "))\t\(r.exitCode == 0 ? "EXIT 0" : sentence)")
                continue
            }
            let what = c.testDescription
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
