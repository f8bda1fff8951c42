import Foundation
import MetaSwiftCLI
import Testing

/// The README's command examples run as written (issue 15: "the README's commands all run as written from a clean
/// clone"). Every `.build/release/metaswift …` line of a fenced `sh` block is run in-process with the repository as
/// the working directory for its relative paths; `--out` files go to a temporary folder.
@Suite("README: every example command runs")
struct ReadmeCommandsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let prefix = ".build/release/metaswift"

    struct Example: Sendable, CustomTestStringConvertible {
        let line: Int
        let words: [String]
        var testDescription: String { "README line \(line): metaswift \(words.joined(separator: " "))" }
    }

    static let examples: [Example] = {
        guard let text = try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8) else { return [] }
        var inShell = false
        var found: [Example] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") { inShell = !inShell && line == "```sh"; continue }
            guard inShell, line.hasPrefix(prefix + " ") || line == prefix else { continue }
            found.append(Example(line: index + 1, words: Array(shellWords(String(line.dropFirst(prefix.count))))))
        }
        return found
    }()

    /// Splits a command line as `sh` does for the README's examples: blanks separate words, double quotes group,
    /// and an unquoted `#` after a blank starts a comment.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = [], word = "", quoted = false, inWord = false
        for character in line {
            if character == "\"" { quoted.toggle(); inWord = true; continue }
            if !quoted && character == "#" && !inWord { break }
            if !quoted && character.isWhitespace {
                if inWord { words.append(word); word = ""; inWord = false }
                continue
            }
            word.append(character); inWord = true
        }
        if inWord { words.append(word) }
        return words
    }

    @Test("The README has its examples and the splitter reads quotes and comments")
    func exampleList() {
        #expect(Self.examples.count >= 15)
        #expect(Self.shellWords(#"pool --predict "ablat=40,alloc=random"   # a comment"#) == ["pool", "--predict", "ablat=40,alloc=random"])
    }

    @Test("Runs with exit status 0 and prints its result", arguments: examples)
    func runs(_ example: Example) throws {
        let fileManager = FileManager.default
        let out = fileManager.temporaryDirectory.appendingPathComponent("metaswift-readme-\(example.line)-\(UUID().uuidString)")
        try fileManager.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: out) }

        var arguments: [String] = []
        for word in example.words {
            if arguments.last == "--out" {
                arguments.append(out.appendingPathComponent(word).path)
            } else if !word.hasPrefix("-"), word.contains("/"),
                      fileManager.fileExists(atPath: Self.root.appendingPathComponent(word).path) {
                arguments.append(Self.root.appendingPathComponent(word).path)
            } else {
                arguments.append(word)
            }
        }
        let result = MetaSwiftCommand.runCapturing(arguments)
        #expect(result.exitCode == 0, "stderr: \(result.standardError)")
        let wroteFile = try !fileManager.contentsOfDirectory(atPath: out.path).isEmpty
        #expect(!result.standardOutput.isEmpty || wroteFile)
    }
}
