import Foundation
import MetaSwiftCLI
import Testing
import _TestSupport

/// A subgroup label that is missing (NA or empty) is an error naming row and column, never a group called "NA".
@Suite("Missing subgroup labels")
struct SubgroupMissingLabelTests {
    @Test(arguments: [["pool"], ["plot", "forest"]])
    func missingLabelIsAnError(command: [String]) throws {
        // Row 2 (Ferguson & Simes 1949) with alloc = NA.
        var lines = BCG.csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "alloc"))
        var cells = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[column] = "NA"
        lines[2] = cells.joined(separator: ",")
        let path = NSTemporaryDirectory() + "subgroup-na-\(command.count)-\(getpid()).csv"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let r = MetaSwiftCommand.runCapturing(command + ["--data", path, "--measure", "RR", "--subgroup", "alloc"])
        #expect(r.exitCode != 0)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError.contains("Row 2, column 'alloc': the value is missing ('NA')"), "\(r.standardError)")
    }
}

@Suite("Pool table wording")
struct PoolTableWordingTests {
    @Test func testNameIsNotRepeated() {
        let z = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--preset", "metafor"])
        #expect(z.standardOutput.contains("test and CI for the pooled estimate: z (standard normal)"), "\(z.standardOutput)")
        let t = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--test", "t"])
        #expect(t.standardOutput.contains("test and CI for the pooled estimate: t (Student t, k − p df)"), "\(t.standardOutput)")
    }

    /// The GLMM title gives the gradient norm in three significant digits, not seventeen.
    @Test func glmmTitleRoundsTheGradientNorm() throws {
        let data = URL(fileURLWithPath: BCG.path).deletingLastPathComponent().appendingPathComponent("pritz1997.csv").path
        let r = MetaSwiftCommand.runCapturing(["pool", "--method", "GLMM", "--measure", "PLO", "--data", data])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let line = try #require(r.standardOutput.split(separator: "\n").first { $0.contains("gradient norm") })
        let figure = try #require(line.split(separator: "gradient norm ").last).prefix { $0 != ")" }
        #expect(figure.wholeMatch(of: /[0-9]\.[0-9]{2}e[-+][0-9]{2}/) != nil, "\(line)")
    }
}
