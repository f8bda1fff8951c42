import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift import revman`: the fixture review (copied into Tests/MetaAnalysisTests/Fixtures/RevMan) in, escalc
/// columns out, and the printed `pool` command reproduces RevMan's pooled row.
@Suite("metaswift import revman")
struct ImportRevManCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MetaAnalysisTests/Fixtures/RevMan")
    static let rm5 = fixtures.appendingPathComponent("Fleiss1993.rm5").path
    static let csv = fixtures.appendingPathComponent("Fleiss1993_CR.csv").path

    @Test func writesTheDichotomousOutcomeAndTheMatchingPoolCommandReproducesRevMan() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("revman-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = MetaSwiftCommand.runCapturing(["import", "revman", Self.rm5, "--comparison", "1", "--outcome", "1", "--out", out])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("study,year,ai,n1i,ci,n2i\nMRC-1,1974,49,615,67,624\n"))
        #expect(text.hasSuffix("ISIS-2,1988,1570,8587,1720,8600\n"))
        // The note names the pool options that redo RevMan's analysis; run them.
        let note = "metaswift pool --data \(out) "
        #expect(r.standardError.contains(note + "--measure OR --method MH"))
        let pool = MetaSwiftCommand.runCapturing(["pool", "--data", out, "--measure", "OR", "--method", "MH", "--format", "json"])
        #expect(pool.exitCode == 0, "\(pool.standardError)")
        // RevMan: OR 0.89686556 [0.8405144, 0.95699471], Q 9.94605598, I² 39.67458046 %, Z 3.28763306 (log OR
        // -0.1088; the json carries the log-scale estimate and its interval).
        #expect(pool.standardOutput.contains("\"QE\": 9.94605598"))
        #expect(pool.standardOutput.contains("\"I2\": 39.6745804"))
    }

    @Test func continuousOutcomeAsJSONFromTheDataPackage() {
        let r = MetaSwiftCommand.runCapturing(["import", "revman", Self.csv, "--comparison", "1", "--outcome", "2", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        for bit in ["\"data_type\": \"continuous\"", "\"effect_measure\": \"MD\"", "\"measure\": \"MD\"", "\"study\": \"Florell\"",
                    "\"sd1i\": 1.71", "\"estimate\": -0.70938839", "\"QE\": 5.66012379"] {
            #expect(r.standardOutput.contains(bit), "json lacks \(bit)")
        }
        #expect(r.standardError.contains("--measure MD --method EE --test z"))
    }

    @Test func typedErrorsForBadFilesAndChoices() throws {
        let several = MetaSwiftCommand.runCapturing(["import", "revman", Self.rm5])
        #expect(several.exitCode != 0)
        #expect(several.standardError.contains("choose one with --comparison N --outcome M: 1.1 Aspirin"))
        let noOutcome = MetaSwiftCommand.runCapturing(["import", "revman", Self.rm5, "--comparison", "1", "--outcome", "9"])
        #expect(noOutcome.standardError.hasPrefix("Error: Comparison 1 has no outcome 9; its outcomes are 1.1 Aspirin"))
        let noComparison = MetaSwiftCommand.runCapturing(["import", "revman", Self.rm5, "--comparison", "3", "--outcome", "1"])
        #expect(noComparison.standardError.hasPrefix("Error: The RevMan file has no comparison 3; its comparisons are 1 Examples from Fleiss (1993)"))

        let notRevMan = FileManager.default.temporaryDirectory.appendingPathComponent("revman-\(UUID().uuidString).rm5").path
        defer { try? FileManager.default.removeItem(atPath: notRevMan) }
        try "study,yi,vi\nA,1,2\n".write(toFile: notRevMan, atomically: true, encoding: .utf8)
        let r = MetaSwiftCommand.runCapturing(["import", "revman", notRevMan])
        #expect(r.exitCode != 0)
        #expect(r.standardError.hasPrefix("Error: Not a RevMan file: expected a RevMan 5 review"))
        let missing = MetaSwiftCommand.runCapturing(["import", "revman", "/nonexistent/review.rm5"])
        #expect(missing.standardError.hasPrefix("Error: Cannot read '/nonexistent/review.rm5'"))
    }
}
