import Foundation
import MetaReport
import MetaSwiftCLI
import Testing

/// `pool --tau2 VALUE`, `--unweighted` and `--tau2-init VALUE` (metafor's `rma(..., tau2 = )`, `weighted = FALSE`,
/// `control = list(tau2.init = )`), end to end against metafor 5.1-12's values in the conformance bank.
@Suite("metaswift pool --tau2, --unweighted, --tau2-init")
struct PoolTauOptionsCommandTests {
    static var hackshawPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ConformanceTests/Bank/data/hackshaw1998.csv").path
    }

    static func pool(_ extra: [String]) throws -> JSONValue {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", hackshawPath, "--test", "z", "--format", "json"] + extra)
        #expect(r.exitCode == 0, "\(r.standardError)")
        return try JSONValue(parsing: r.standardOutput)
    }

    static func close(_ value: JSONValue?, _ expected: Double, _ tolerance: Double = 1e-10) -> Bool {
        guard let x = value?.doubleValue else { return false }
        return abs(x - expected) <= tolerance * max(abs(expected), 1e-300)
    }

    /// rma_fixed_tau2/hackshaw1998_GEN_REML_z_tau2_0p05: rma(yi, vi, tau2 = 0.05).
    @Test func fixedTauSquared() throws {
        let json = try Self.pool(["--tau2", "0.05"])
        #expect(json["tau2"]?.doubleValue == 0.05)
        #expect(Self.close(json["beta"], 0.23483091303096362))
        #expect(Self.close(json["se"], 0.058807344566204824))
        #expect(Self.close(json["se_tau2"], 0.026859619109665053))
        // τ² is not a parameter: AIC = −2 logLik + 2 p.
        #expect(Self.close(json["fit_stats"]?["REML"]?["AIC"], 24.505777300857304))
        #expect(json["confint"] == nil || json["confint"] == .null)
        #expect(json["provenance"]?["options"]?["tau2"]?.stringValue == "0.05")
    }

    /// rma_unweighted/hackshaw1998_GEN_DL_z_unweighted: rma(yi, vi, method = "DL", weighted = FALSE).
    @Test func unweighted() throws {
        let json = try Self.pool(["--method", "DL", "--unweighted"])
        #expect(Self.close(json["beta"], 0.2951326435136435))
        #expect(Self.close(json["se"], 0.06456958437207715))
        #expect(Self.close(json["tau2"], 0.017036444317852836))
        let weights = json["weights_pct"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        #expect(weights.count == 37 && weights.allSatisfy { abs($0 - 100.0 / 37) < 1e-12 })
        #expect(json["provenance"]?["options"]?["weighted"]?.stringValue == "false")
    }

    /// rma_sj_init/hackshaw1998_GEN_SJ_z_init_1: rma(yi, vi, method = "SJ", control = list(tau2.init = 1)).
    @Test func sidikJonkmanStartValue() throws {
        let json = try Self.pool(["--method", "SJ", "--tau2-init", "1"])
        #expect(Self.close(json["tau2"], 0.09993038544690078))
        #expect(Self.close(json["beta"], 0.24863371003905543))
        #expect(Self.close(json["se"], 0.07139993358800446))
    }

    @Test("bad values and combinations are one typed sentence", arguments: [
        (["--tau2=-0.1"], "tau2"),
        (["--tau2", "0.1", "--method", "EE"], "tau2"),
        (["--tau2-init", "0"], "tau2.init"),
        (["--tau2-init", "0.5", "--method", "REML"], "SJ or SJIT"),
        (["--unweighted", "--method", "GENQ", "--weights", "cases"], "weighted"),
        (["--tau2", "0.1", "--mods", "year"], "moderators"),
        (["--unweighted", "--method", "MH"], "--method MH"),
    ])
    func badInput(arguments: [String], mention: String) {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.hackshawPath] + arguments)
        #expect(r.exitCode != 0)
        #expect(r.standardError.contains(mention), "\(r.standardError)")
        #expect(r.standardError.split(separator: "\n").count <= 3, "\(r.standardError)")
    }
}
