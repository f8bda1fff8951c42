import Foundation
import MetaSwiftCLI
import Testing

/// `bias failsafe --type General` and `--pool Fisher`: metafor 5.1-12's fsn on the BCG trials (bank cases
/// fsn_extra/bcg_RR_fsn_General_DL and fsn_extra/bcg_RR_fsn_Rosenthal_Fisher; DL and Fisher are closed form up to
/// uniroot's search, whose rounded result is an integer).
@Suite("metaswift bias failsafe --type General / --pool Fisher")
struct FailSafeGeneralCommandTests {
    static let bankData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data").path

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = MetaSwiftCommand.runCapturing(["bias", "failsafe", "--data", "\(bankData)/bcg.csv", "--measure", "RR",
                                               "--format", "json"] + arguments)
        #expect(r.exitCode == 0, "\(r.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    static func close(_ value: Any?, _ reference: Double) -> Bool {
        guard let x = value as? Double else { return false }
        return abs(x - reference) <= 1e-10 * abs(reference)
    }

    @Test func generalMatchesMetafor() throws {
        let j = try Self.json(["--type", "General", "--method", "DL"])
        #expect(j["type"] as? String == "General")
        #expect(j["method"] as? String == "DL")
        #expect(j["fsnum"] as? Double == 26)
        #expect(Self.close(j["est"], -0.7141172220732269))
        #expect(Self.close(j["tau2"], 0.3087602628623762))
        #expect(Self.close(j["pval"], 6.462924304703998e-05))
        #expect(Self.close(j["est_fsn"], -0.21093635397934132))
        #expect(Self.close(j["tau2_fsn"], 0.41694243645723594))
        #expect(Self.close(j["pval_fsn"], 0.05346754097520547))
        #expect(j["ub_sign"] as? String == "")
    }

    @Test func fisherPoolingMatchesMetafor() throws {
        let j = try Self.json(["--type", "Rosenthal", "--pool", "Fisher"])
        #expect(j["pool"] as? String == "Fisher")
        #expect(j["fsnum"] as? Double == 363)
        #expect(Self.close(j["pval"], 2.3039686367238267e-51))
    }

    @Test func poolWithAnotherTypeIsOneSentence() {
        let r = MetaSwiftCommand.runCapturing(["bias", "failsafe", "--type", "Orwin", "--pool", "Fisher",
                                               "--data", "\(Self.bankData)/bcg.csv", "--measure", "RR"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.hasPrefix("Error: ") && r.standardError.contains("--pool")
                && r.standardError.split(separator: "\n").count == 1, "\(r.standardError)")
    }

    @Test func targetWithRosenthalIsOneSentence() {
        let r = MetaSwiftCommand.runCapturing(["bias", "failsafe", "--type", "Rosenthal", "--target", "0.1",
                                               "--data", "\(Self.bankData)/bcg.csv", "--measure", "RR"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.hasPrefix("Error: ") && r.standardError.contains("--target"), "\(r.standardError)")
    }
}
