import Foundation
import MetaSwiftCLI
import Testing

/// The magnesium example (16 trials; Egger, Davey Smith & Altman 2001, "Systematic Reviews in Health Care",
/// Table 18.2, as metadat's dat.egger2001) with the values metafor documents for it in its regtest/ranktest
/// examples and tests (test_misc_pub_bias.r), to the digits printed there. The bank cases check the same
/// analyses at 1e-10 against metafor's full output; this suite pins the published digits independently.
@Suite("Egger 2001 magnesium example")
struct Egger2001ExampleTests {
    private static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data/egger2001.csv").path

    private func run(_ arguments: [String]) throws -> [String: Any] {
        let r = MetaSwiftCommand.runCapturing(arguments + ["--data", Self.data, "--measure", "OR", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        return try #require(JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    /// Rounds to `digits` decimals as printed.
    private func printed(_ value: Any?, _ digits: Int) throws -> Double {
        let x = try #require(value as? Double)
        let scale = Foundation.pow(10, Double(digits))
        return (x * scale).rounded() / scale
    }

    /// regtest(res) on the REML model: z = -4.6686.
    @Test func eggerRegressionTestOnREMLModel() throws {
        let doc = try run(["bias", "egger", "--preset", "metafor"])
        #expect(try printed(doc["zval"], 4) == -4.6686)
    }

    /// regtest(res, model = "lm", predictor = "sqrtninv"): t = -5.6083.
    @Test func classicalEggerTestOnInverseRootN() throws {
        let doc = try run(["bias", "egger", "--model", "lm", "--predictor", "sqrtninv", "--preset", "metafor"])
        #expect(try printed(doc["zval"], 4) == -5.6083)
    }

    /// ranktest(res): Kendall's tau = 0.15, p = 0.4503.
    @Test func beggRankCorrelationTest() throws {
        let doc = try run(["bias", "begg", "--preset", "metafor"])
        #expect(try printed(doc["tau"], 2) == 0.15)
        #expect(try printed(doc["pval"], 4) == 0.4503)
    }
}
