import Foundation
import MetaSwiftCLI
import Testing

/// Every command × format over the bundled datasets, and a few bad inputs, pinned byte for byte (full-precision numbers
/// within `numberTolerance`, for the OpenBLAS kernel the CPU gets): standard output,
/// standard error, exit code and every file a case writes. The cases are `GoldenCorpus/cases.txt`; the expected
/// outputs `GoldenCorpus/out/`, written by `scripts/update-golden-corpus.sh` (this test in recording mode). A change
/// that alters output on purpose regenerates the corpus in the same commit and says why.
@Suite("Golden corpus: every command's output byte for byte")
struct GoldenCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("GoldenCorpus")
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets")
    static let recording = ProcessInfo.processInfo.environment["METASWIFT_UPDATE_GOLDEN_CORPUS"] == "1"

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// The steps' arguments as written in `cases.txt` (placeholders not yet replaced).
        let steps: [[String]]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: corpus.appendingPathComponent("cases.txt"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> Case? in
            guard !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else { return nil }
            let steps = line[line.index(after: colon)...].split(separator: ";", omittingEmptySubsequences: false)
                .map { $0.split(separator: " ").map(String.init) }
            return Case(name: String(line[..<colon]), steps: steps)
        }
    }()

    @Test("The case list is read and its names are unique")
    func caseList() {
        #expect(Self.cases.count > 100)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
    }

    @Test("Kernel-level differences in full-precision numbers pass; any visible change fails")
    func comparatorTolerance() {
        // A last-digit move of a 17-significant-digit number (what another OpenBLAS kernel produces) agrees.
        #expect(Self.linesAgree(#"{"estimate":0.71452543455524383}"#, #"{"estimate":0.71452543455524394}"#))
        #expect(Self.firstDifference("a,0.12345678901234567\nb\n", "a,0.12345678901234569\nb\n") == nil)
        // A rounded table entry, a change beyond 1e-12, different text or a missing line all fail.
        #expect(!Self.linesAgree("estimate  0.7145", "estimate  0.7146"))
        #expect(!Self.linesAgree("0.71452543455524383", "0.71452543465524383"))
        #expect(!Self.linesAgree("tau2 0.12345678901234567", "tau 0.12345678901234567"))
        #expect(Self.firstDifference("a\nb\n", "a\n") != nil)
    }

    @Test("Output unchanged", arguments: cases)
    func output(of testCase: Case) throws {
        let fileManager = FileManager.default
        let out = fileManager.temporaryDirectory.appendingPathComponent("metaswift-golden-\(testCase.name)-\(UUID().uuidString)")
        try fileManager.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: out) }

        let places = [("$DATASETS", Self.datasets.path), ("$CORPUS", Self.corpus.path), ("$OUT", out.path)]
        var record = ""
        for step in testCase.steps {
            let arguments = step.map { word in places.reduce(word) { $0.replacingOccurrences(of: $1.0, with: $1.1) } }
            let result = MetaSwiftCommand.runCapturing(arguments)
            record += "$ metaswift \(step.joined(separator: " "))\nexit \(result.exitCode)\n--- stdout\n"
                + Self.normalised(result.standardOutput, places) + "\n--- stderr\n" + Self.normalised(result.standardError, places) + "\n"
        }
        let files = try Self.files(in: out).map { ($0.0, Self.normalised($0.1, places)) }

        let expected = Self.corpus.appendingPathComponent("out").appendingPathComponent(testCase.name)
        if Self.recording {
            try? fileManager.removeItem(at: expected)
            try fileManager.createDirectory(at: expected, withIntermediateDirectories: true)
            try record.write(to: expected.appendingPathComponent("output.txt"), atomically: true, encoding: .utf8)
            for (name, text) in files {
                let file = expected.appendingPathComponent("files").appendingPathComponent(name)
                try fileManager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: file, atomically: true, encoding: .utf8)
            }
            return
        }
        let pinned = try String(contentsOf: expected.appendingPathComponent("output.txt"), encoding: .utf8)
        #expect(Self.firstDifference(record, pinned) == nil, "GoldenCorpus/out/\(testCase.name)/output.txt")
        let pinnedFiles = try Self.files(in: expected.appendingPathComponent("files"))
        #expect(files.map(\.0) == pinnedFiles.map(\.0), "\(testCase.name): the files written differ from those pinned")
        for ((name, text), (_, pinnedText)) in zip(files, pinnedFiles) {
            #expect(Self.firstDifference(text, pinnedText) == nil, "GoldenCorpus/out/\(testCase.name)/files/\(name)")
        }
    }

    /// The first line where `actual` and `pinned` differ, as "line N: actual | pinned", or nil when they are equal
    /// (so a failure shows the line, not two whole outputs). Lines are equal byte for byte, or differ only in
    /// full-precision numbers that agree within ``numberTolerance``.
    static func firstDifference(_ actual: String, _ pinned: String) -> String? {
        guard actual != pinned else { return nil }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let b = pinned.split(separator: "\n", omittingEmptySubsequences: false)
        let differing = zip(a, b).enumerated().first { !linesAgree(String($0.element.0), String($0.element.1)) }?.offset
        guard let line = differing ?? (a.count == b.count ? nil : min(a.count, b.count)) else { return nil }
        return "line \(line + 1): \(line < a.count ? String(a[line]) : "<end>") | pinned: \(line < b.count ? String(b[line]) : "<end>")"
    }

    /// Relative tolerance for numbers printed to full precision (JSON, CSV). Meta-regression and PET-PEESE fits go
    /// through OpenBLAS, whose summation order depends on the kernel it picks for the CPU: under Prescott, Nehalem
    /// and Sandybridge the corpus's fitted values and PET estimate moved by a few ulps (≤ 1e-15 relative) from the
    /// Haswell/Zen values recorded. These designs have κ₂(X) ≤ 10³, so kernel effects stay below κ·ε ≈ 2e-13;
    /// 1e-12 leaves room for that and still catches any change of output a reader could see.
    static let numberTolerance = 1e-12

    private static let number = try! NSRegularExpression(pattern: #"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?"#)

    /// Whether two lines are equal, or have the same text between their numbers and numbers within `numberTolerance`.
    static func linesAgree(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        func parts(_ line: String) -> (text: [String], numbers: [String]) {
            let ns = line as NSString
            var text: [String] = [], numbers: [String] = [], last = 0
            for m in number.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
                text.append(ns.substring(with: NSRange(location: last, length: m.range.location - last)))
                numbers.append(ns.substring(with: m.range))
                last = m.range.location + m.range.length
            }
            text.append(ns.substring(from: last))
            return (text, numbers)
        }
        let (pa, pb) = (parts(a), parts(b))
        guard pa.text == pb.text, pa.numbers.count == pb.numbers.count else { return false }
        return zip(pa.numbers, pb.numbers).allSatisfy { x, y in
            guard x != y else { return true }
            // Only full-precision numbers may differ (a rounded table entry that changes is a real change).
            guard x.count >= 15 || y.count >= 15, let u = Double(x), let v = Double(y) else { return false }
            return abs(u - v) <= numberTolerance * max(abs(u), abs(v))
        }
    }

    /// The files under `folder` (relative path, text), sorted by path; none when the folder does not exist.
    static func files(in folder: URL) throws -> [(String, String)] {
        let root = folder.standardizedFileURL.path
        var files: [(String, String)] = []
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) ?? .init() {
            guard !url.hasDirectoryPath else { continue }
            files.append((String(url.standardizedFileURL.path.dropFirst(root.count + 1)), try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The one place where output is normalised: absolute paths (the repository's location, the per-case output
    /// folder) become their placeholders, so the corpus does not depend on where the repository or the temporary
    /// folder lives. Nothing else varies between runs (no clock, no thread count is printed); anything that did
    /// would be normalised here and named in GoldenCorpus/README.md.
    static func normalised(_ text: String, _ places: [(String, String)]) -> String {
        places.reduce(text) { $0.replacingOccurrences(of: $1.1, with: $1.0) }
    }
}
