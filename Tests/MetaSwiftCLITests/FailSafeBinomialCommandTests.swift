import Foundation
import MetaSwiftCLI
import Testing

/// `bias failsafe --type Binomial`: metafor 5.1-12's fsn(type = "Binomial") on the BCG trials (bank case
/// fsn_extra/bcg_RR_fsn_Binomial): 11 of 13 log risk ratios are negative, the sign test's p is 2·P(X ≥ 11) =
/// 0.0224609375, and 6 null studies make it non-significant.
@Suite("metaswift bias failsafe --type Binomial")
struct FailSafeBinomialCommandTests {
    static let bankData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data").path

    @Test func matchesMetafor() throws {
        let r = MetaSwiftCommand.runCapturing(["bias", "failsafe", "--type", "Binomial", "--data", "\(Self.bankData)/bcg.csv",
                                               "--measure", "RR", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        #expect(j["type"] as? String == "Binomial")
        #expect(j["fsnum"] as? Double == 6)
        let p = try #require(j["pval"] as? Double)
        #expect(abs(p - 0.0224609375) <= 1e-12)
        #expect(j["ub_sign"] as? String == "")
    }

    @Test func badTypeIsOneSentence() {
        let r = MetaSwiftCommand.runCapturing(["bias", "failsafe", "--type", "Binom", "--data", "\(Self.bankData)/bcg.csv", "--measure", "RR"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.hasPrefix("Error: ") && r.standardError.contains("Binomial"), "\(r.standardError)")
    }
}
