import Foundation
import MetaSwiftCLI
import Testing

/// `--vtype` on escalc and pool: parsed, applied, recorded in provenance, and refused for measures that lack it.
@Suite("metaswift escalc/pool --vtype")
struct EscalcVtypeCommandTests {
    static let normand = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data/normand1999.csv").path

    /// Edinburgh (first study), SMD with vtype = "UB": metafor 3.8-1 gives vi = 0.013067150392568333.
    @Test func escalcAppliesTheVarianceType() throws {
        let r = MetaSwiftCommand.runCapturing(["escalc", "--measure", "SMD", "--vtype", "UB", "--data", Self.normand, "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        let vi = try #require(j["vi"] as? [Double])
        #expect(abs(vi[0] - 0.013067150392568333) <= 1e-10 * 0.013067150392568333)
        #expect(r.standardOutput.contains("\"vtype\": \"UB\""))
    }

    @Test func poolRecordsItAndUnsupportedTypesAreOneSentence() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--measure", "MD", "--vtype", "HO", "--data", Self.normand, "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.contains("\"vtype\": \"HO\""))
        let bad = MetaSwiftCommand.runCapturing(["pool", "--measure", "SMD", "--vtype", "HO", "--data", Self.normand])
        #expect(bad.exitCode != 0)
        #expect(bad.standardError.hasPrefix("Error: ") && bad.standardError.contains("LS or UB or LS2 or AV"), "\(bad.standardError)")
    }
}
