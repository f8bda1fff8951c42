import Foundation
import MetaSwiftCLI
import Testing

/// `bias selmodel --type stepfun`: metafor 5.1-12's selmodel on hackshaw1998 (bank case
/// selmodel/hackshaw1998_GEN_selmodel_stepfun_0.025, `expected_tight`; the bank README's tolerances: 1e-5 for
/// estimates and SEs, 1e-8 for the log-likelihood).
@Suite("metaswift bias selmodel")
struct SelectionModelCommandTests {
    static let bankData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data").path

    static func run(_ arguments: [String]) -> CommandLineResult {
        MetaSwiftCommand.runCapturing(["bias", "selmodel", "--data", "\(bankData)/hackshaw1998.csv"] + arguments)
    }

    static func close(_ value: Any?, _ reference: Double, _ tolerance: Double) -> Bool {
        guard let x = value as? Double else { return false }
        return abs(x - reference) <= tolerance * abs(reference)
    }

    @Test func stepFunctionMatchesMetafor() throws {
        let r = Self.run(["--steps", "0.025", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        #expect(Self.close(j["beta"], 0.19440143527339415, 1e-5))
        #expect(Self.close(j["se"], 0.07978344503032689, 1e-5))
        #expect(Self.close(j["tau2"], 0.016622617650797863, 1e-5))
        #expect(Self.close(j["se_tau2"], 0.01699218018663958, 1e-5))
        let delta = try #require(j["delta"] as? [Double])
        #expect(delta.count == 2 && delta[0] == 1 && Self.close(delta[1], 0.764394568354006, 1e-5))
        #expect(Self.close(j["ll"], -10.090076043139689, 1e-8))
        #expect(Self.close(j["ll0"], -10.148602406081146, 1e-8))
        let table = try #require(j["ptable"] as? [String: Any])
        #expect(table["k"] as? [Double] == [7, 30])
        #expect(table["interval"] as? [String] == ["0     < p <= 0.025", "0.025 < p <= 1"])
    }

    @Test func stepOutsideTheUnitIntervalIsOneSentence() {
        let r = Self.run(["--steps", "0.025,1.5"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.hasPrefix("Error: ") && r.standardError.contains("--steps")
                && r.standardError.split(separator: "\n").count == 1, "\(r.standardError)")
    }

    @Test func emptyIntervalIsOneSentence() {
        // No hackshaw1998 study has a one-sided p-value at or below 1e-6.
        let r = Self.run(["--steps", "0.000001,0.5"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.hasPrefix("Error: ") && r.standardError.contains("--steps")
                && r.standardError.contains("every interval"), "\(r.standardError)")
    }
}
