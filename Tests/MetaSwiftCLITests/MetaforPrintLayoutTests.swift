import Foundation
import MetaSwiftCLI
import Testing

private let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
private let bankData = testsDirectory.deletingLastPathComponent().appendingPathComponent("ConformanceTests/Bank/data").path

/// Lines without trailing blanks (metafor pads its tables for significance stars), without leading or trailing
/// empty lines.
private func normalized(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        var s = Substring(line)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
    while lines.first?.isEmpty == true { lines.removeFirst() }
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines
}

/// `metaswift pool --preset metafor --format table` begins with exactly what metafor's `print.rma.uni` prints
/// for the same model (BCG trials, Colditz et al. 1994): model line, τ² (SE), τ, I², H², R², the Q tests, the
/// test of moderators and the estimate table with p-values (no significance stars). The reference files are
/// metafor 3.8-1's output, written by `Golden/metafor-print.R`; MetaSwift's own blocks (prediction, CIs,
/// choices) follow them.
@Suite("pool --format table: metafor's print layout")
struct MetaforPrintLayoutTests {
    static let cases: [(String, [String])] = [
        ("bcg-REML-z", []),
        ("bcg-REML-knha", ["--test", "knha"]),
        ("bcg-EE-z", ["--method", "EE"]),
        ("bcg-DL-ablat-z", ["--method", "DL", "--mods", "ablat"]),
        ("bcg-DL-ablat-alloc-knha", ["--method", "DL", "--test", "knha", "--mods", "ablat,alloc"]),
        ("bcg-EE-ablat-z", ["--method", "EE", "--mods", "ablat"]),
    ]

    @Test(arguments: cases.map(\.0))
    func startsWithMetaforsPrint(_ name: String) throws {
        let extra = try #require(Self.cases.first { $0.0 == name }?.1)
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--preset", "metafor",
                                               "--format", "table"] + extra)
        #expect(r.exitCode == 0, "\(r.standardError)")
        let reference = normalized(try String(contentsOf: testsDirectory.appendingPathComponent("Golden/metafor-print-\(name).txt"),
                                              encoding: .utf8))
        let ours = normalized(r.standardOutput)
        #expect(Array(ours.prefix(reference.count)) == reference,
                "\(zip(ours, reference).filter { $0 != $1 }.prefix(3).map { "ours '\($0)' metafor '\($1)'" })")
        #expect(!r.standardOutput.contains("***"))
    }
}
