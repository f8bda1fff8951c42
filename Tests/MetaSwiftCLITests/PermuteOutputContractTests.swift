import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift permute` output is a contract: the JSON field names and order, and the text layout, pinned against
/// files written by the command before its two report types (with and without moderators) were merged into one.
@Suite("metaswift permute: output pinned byte for byte")
struct PermuteOutputContractTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test("JSON and text of the sign-flip and row-permutation tests", arguments: [
        ("permute-exact.json", ["--preset", "metafor", "--method", "DL", "--iterations", "10000", "--seed", "3", "--format", "json"]),
        ("permute-approx.json", ["--iterations", "100", "--seed", "3", "--format", "json"]),
        ("permute-approx.txt", ["--iterations", "100", "--seed", "3"]),
        ("permute-mods.json", ["--mods", "ablat", "--preset", "metafor", "--iterations", "200", "--seed", "9", "--format", "json"]),
        ("permute-mods.txt", ["--mods", "ablat", "--iterations", "200", "--seed", "9"]),
    ])
    func pinned(file: String, arguments: [String]) throws {
        // The recorded input path is the only part that depends on where the repository lives.
        let data = Self.golden.appendingPathComponent("permute-bcg.csv").path
        let r = MetaSwiftCommand.runCapturing(["permute", "--data", data, "--measure", "RR"] + arguments)
        #expect(r.exitCode == 0, "\(r.standardError)")
        let expected = try String(contentsOf: Self.golden.appendingPathComponent(file), encoding: .utf8)
        #expect(r.standardOutput.replacingOccurrences(of: data, with: "permute-bcg.csv") == expected)
    }
}
