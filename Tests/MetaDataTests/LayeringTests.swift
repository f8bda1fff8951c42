import Foundation
import Testing

/// The layering rules that the compiler cannot check, checked on the sources: the library's string literals hold no
/// command-line flags (the CLI maps library argument names to flags in one place), file I/O happens only in MetaData
/// and the CLI, and the statistics know nothing of the TRD review.
@Suite("Layering: library sources")
struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Code lines (comments dropped) of every Swift file of `target`, with their file and line number.
    static func codeLines(_ target: String) throws -> [(file: String, line: Int, text: String)] {
        let root = sources.appendingPathComponent(target)
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var out: [(String, Int, String)] = []
        for case let path as String in walker where path.hasSuffix(".swift") {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            for (i, line) in text.components(separatedBy: "\n").enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                out.append(("\(target)/\(path)", i + 1, line))
            }
        }
        return out
    }

    /// The parts of `line` inside double quotes.
    static func literals(_ line: String) -> [String] {
        line.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    @Test("No --flag in a string literal of MetaData, MetaAnalysis, MetaReport or TRDReview", arguments: ["MetaData", "MetaAnalysis", "MetaReport", "TRDReview"])
    func noFlags(_ target: String) throws {
        let lines = try Self.codeLines(target)
        #expect(lines.count > 100)
        let flag = /--[a-z][a-z0-9-]*/
        for (file, n, text) in lines where Self.literals(text).contains(where: { $0.contains(flag) }) {
            Issue.record("\(file):\(n) names a command-line flag: \(text.trimmingCharacters(in: .whitespaces))")
        }
    }

    @Test("File I/O only in MetaData and the CLI", arguments: ["MetaNumerics", "MetaAnalysis", "MetaReport", "TRDReview"])
    func noFileIO(_ target: String) throws {
        let io = /\b(fopen|fread|fwrite|FileManager|contentsOfFile|readFile)\b/
        for (file, n, text) in try Self.codeLines(target) where text.contains(io) {
            Issue.record("\(file):\(n) does file I/O: \(text.trimmingCharacters(in: .whitespaces))")
        }
    }

    /// The CLI's folders run one way: Support ← Options ← Commands ← the root files (the command tree and its runner).
    /// A type a folder declares is named by no folder below it (a RevMan reader in Commands made Options ↔ Commands a
    /// cycle; `Console` and the version in the root file made every folder ↔ root one).
    @Test("CLI: each folder names no type declared in a folder above it")
    func cliFoldersRunOneWay() throws {
        let order = ["MetaSwiftCLI/Support", "MetaSwiftCLI/Options", "MetaSwiftCLI/Commands", "MetaSwiftCLI"]
        let declaration = /\b(?:struct|enum|class|protocol|typealias|actor)\s+([A-Z]\w*)/
        var lines: [String: [(file: String, line: Int, text: String)]] = [:]
        for folder in order {
            // The root folder's own files only; its subfolders are the other layers.
            lines[folder] = try Self.codeLines(folder).filter { folder != "MetaSwiftCLI" || !$0.file.dropFirst(folder.count + 1).contains("/") }
        }
        for (level, folder) in order.enumerated().dropLast() {
            let above = order[(level + 1)...].flatMap { lines[$0]! }
            let declared = Set(above.flatMap { line in line.text.matches(of: declaration).map { String($0.output.1) } })
            #expect(declared.count > (level == 2 ? 1 : 20))
            for (file, n, text) in lines[folder]! {
                let words = Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
                for name in words.intersection(declared).sorted() {
                    Issue.record("\(file):\(n) names \(name), declared in a folder above it: \(text.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
    }

    /// The folders of `target` ("(root)" for its own files) and, for each, the folders whose top-level types its code
    /// names (string literals left out).
    static func folderGraph(_ target: String) throws -> [String: Set<String>] {
        let lines = try codeLines(target)
        func folder(_ file: String) -> String {
            let path = file.dropFirst(target.count + 1)
            return path.contains("/") ? String(path.split(separator: "/")[0]) : "(root)"
        }
        let declaration = /^(?:(?:public|package|internal|fileprivate|private|final|indirect)\s+)*(?:struct|enum|class|protocol|typealias|actor)\s+([A-Z]\w*)/
        var owner: [String: String] = [:]
        for line in lines where line.text.first?.isLetter == true {
            if let match = line.text.firstMatch(of: declaration) { owner[String(match.output.1)] = folder(line.file) }
        }
        var graph: [String: Set<String>] = [:]
        for line in lines {
            let from = folder(line.file)
            let code = line.text.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: " ")
            for word in code.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
                if let to = owner[String(word)], to != from { graph[from, default: []].insert(to) }
            }
        }
        return graph
    }

    /// No folder of a library target depends, through the types it names, on a folder that depends back on it (a
    /// parallel loop in MetaAnalysis/Parallel that threw Resampling's error made Parallel ↔ Resampling a cycle).
    @Test("Library folders form no cycle", arguments: ["MetaNumerics", "MetaData", "MetaAnalysis", "MetaReport", "MetaSwiftCLI"])
    func noFolderCycles(_ target: String) throws {
        let graph = try Self.folderGraph(target)
        #expect(!graph.isEmpty || target == "MetaData")
        func reaches(_ start: String, _ goal: String) -> Bool {
            var seen: Set<String> = [start], stack = [start]
            while let node = stack.popLast() {
                if node == goal { return true }
                for next in graph[node, default: []] where seen.insert(next).inserted { stack.append(next) }
            }
            return false
        }
        for (from, targets) in graph.sorted(by: { $0.key < $1.key }) {
            for to in targets.sorted() where reaches(to, from) {
                Issue.record("\(target): \(from) → \(to) closes a cycle (\(to) leads back to \(from))")
            }
        }
    }

    @Test("The statistics know nothing of the TRD review", arguments: ["MetaNumerics", "MetaData", "MetaAnalysis", "MetaReport"])
    func noTRD(_ target: String) throws {
        let trd = /(?i)ketamine|\bTRD\b|trd-review/
        for (file, n, text) in try Self.codeLines(target) where text.contains(trd) {
            Issue.record("\(file):\(n) mentions the TRD review: \(text.trimmingCharacters(in: .whitespaces))")
        }
    }
}
