import Foundation
import MetaSwiftCLI
import Testing

/// `bias tes`: metafor 5.1-12's tes() on the BCG trials (bank case tes/bcg_RR_tes_default): 8 of 13 studies are
/// significant where 6.092659090280687 are expected at the common-effect estimate; the exact (Poisson-binomial) test
/// gives p = 0.13440858540030753 and the limit estimate is -0.40778092290045226.
@Suite("metaswift bias tes")
struct ExcessSignificanceCommandTests {
    static let bankData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data").path
    static let bcg = ["--data", "\(bankData)/bcg.csv", "--measure", "RR"]

    @Test func matchesMetafor() throws {
        let r = MetaSwiftCommand.runCapturing(["bias", "tes"] + Self.bcg + ["--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        #expect(j["O"] as? Double == 8)
        #expect(j["test"] as? String == "exact")
        let e = try #require(j["E"] as? Double), p = try #require(j["pval"] as? Double)
        #expect(abs(e - 6.092659090280687) <= 1e-10 * 6.092659090280687)
        #expect(abs(p - 0.13440858540030753) <= 1e-10 * 0.13440858540030753)
        let limit = try #require((j["theta_lim"] as? [Double])?.first)
        #expect(abs(limit - -0.40778092290045226) <= 1e-7 * 0.40778092290045226)
        let table = MetaSwiftCommand.runCapturing(["bias", "tes"] + Self.bcg)
        #expect(table.exitCode == 0 && table.standardOutput.contains("Test of Excess Significance"))
    }

    @Test func badInputIsOneSentence() {
        let cases: [([String], String)] = [
            (["--tes-alpha", "1.5"], "--tes-alpha"),
            (["--alpha", "0"], "--alpha"),
            (["--alternative", "sideways"], "alternative"),
            (["--tes-test", "fisher"], "--tes-test"),
            (["--theta", "0.1", "--model-theta"], "--theta"),
        ]
        for (options, fragment) in cases {
            let r = MetaSwiftCommand.runCapturing(["bias", "tes"] + Self.bcg + options)
            #expect(r.exitCode != 0, "\(options) should fail")
            #expect(r.standardError.hasPrefix("Error: ") && r.standardError.split(separator: "\n").count == 1
                    && r.standardError.contains(fragment), "\(options): \(r.standardError)")
        }
    }
}
