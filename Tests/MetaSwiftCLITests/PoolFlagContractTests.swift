import Foundation
import MetaSwiftCLI
import Testing
import _TestSupport

/// The `pool` flags are a contract (DESIGN.md §4): every flag keeps its name and default whatever option groups
/// declare it. Each run below must parse and take effect, as the provenance or output shows.
@Suite("metaswift pool flag contract")
struct PoolFlagContractTests {
    static func options(_ arguments: [String]) throws -> [String: String] {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path] + arguments + ["--format", "json"])
        try #require(r.exitCode == 0, "\(arguments): \(r.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any]
        let provenance = try #require(json?["provenance"] as? [String: Any])
        return try #require(provenance["options"] as? [String: String])
    }

    @Test func defaultsAreUnchanged() throws {
        let o = try Self.options(["--measure", "RR"])
        #expect(o["method"] == "REML" && o["test"] == "knha" && o["preset"] == "guidance" && o["level"] == "95")
        #expect(o["add"] == "0.5" && o["to"] == "only0" && o["drop00"] == "false" && o["weights"] == "none")
        let metafor = try Self.options(["--measure", "RR", "--preset", "metafor"])
        #expect(metafor["method"] == "REML" && metafor["test"] == "z" && metafor["preset"] == "metafor")
    }

    @Test func everyModelFlagParses() throws {
        let o = try Self.options(["--measure", "OR", "--method", "DL", "--test", "t", "--level", "90", "--weights", "ntotal",
                                  "--preset", "metafor", "--add", "0.25", "--to", "all", "--drop00",
                                  "--map", "ai=ai", "--tau2-ci", "BJ", "--tau2-ci", "PL"])
        #expect(o["measure"] == "OR" && o["method"] == "DL" && o["test"] == "t" && o["level"] == "90")
        #expect(o["weights"] == "ntotal" && o["preset"] == "metafor" && o["add"] == "0.25" && o["to"] == "all")
        #expect(o["drop00"] == "true")
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "OR", "--method", "ML", "--format", "json",
                                               "--tau2-ci", "BT", "--tau2-ci", "Wald", "--tau2-ci", "SJ"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        for key in ["confint_BT", "confint_Wald", "confint_SJ"] { #expect(r.standardOutput.contains("\"\(key)\""), "no \(key)") }
        let genq = try Self.options(["--measure", "OR", "--method", "GENQ", "--weights", "ntotal"])
        #expect(genq["method"] == "GENQ")
    }

    /// `--pi` is recorded in provenance and changes only the prediction interval: on BCG (log RR, REML, z test)
    /// the Riley PI is μ̂ ∓ t(11) √(SE² + τ̂²) (t quantile from R 4.2.2's qt(.975, 11)).
    @Test func predictionIntervalFlag() throws {
        func run(_ extra: [String]) throws -> [String: Any] {
            let r = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--preset", "metafor",
                                                   "--format", "json"] + extra)
            try #require(r.exitCode == 0, "\(r.standardError)")
            return try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        }
        let plain = try run([]), riley = try run(["--pi", "riley"])
        #expect(((plain["provenance"] as? [String: Any])?["options"] as? [String: String])?["pi"] == "default")
        #expect(((riley["provenance"] as? [String: Any])?["options"] as? [String: String])?["pi"] == "riley")
        let p = try #require(riley["predict"] as? [String: Any])
        let pred = try #require(p["pred"] as? Double), se = try #require(p["se"] as? Double)
        let tau2 = try #require(riley["tau2"] as? Double)
        let half = 2.2009851600916388 * (se * se + tau2).squareRoot()
        #expect(abs(try #require(p["pi_lb"] as? Double) - (pred - half)) <= 1e-12)
        #expect(abs(try #require(p["pi_ub"] as? Double) - (pred + half)) <= 1e-12)
        #expect((plain["predict"] as? [String: Any])?["ci_lb"] as? Double == p["ci_lb"] as? Double)
        for type in ["t", "z", "default"] { _ = try run(["--pi", type]) }
        #expect(MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--pi", "x"]).exitCode != 0)
    }

    @Test func moderatorAndSubgroupFlagsParse() throws {
        let mods = try Self.options(["--measure", "RR", "--mods", "ablat,alloc", "--no-intercept",
                                     "--predict", "ablat=40,alloc=random"])
        #expect(mods["mods"] == "ablat,alloc" && mods["intercept"] == "false")
        #expect(try Self.options(["--measure", "RR", "--mods", "ablat", "--factor", "ablat"])["mods"] == "ablat")
        let sub = try Self.options(["--measure", "RR", "--subgroup", "alloc"])
        #expect(sub["subgroup"] == "alloc")
    }

    @Test func sparseMethodFlagsParse() throws {
        #expect(try Self.options(["--measure", "OR", "--method", "MH", "--no-correct"])["method"] == "MH")
        #expect(try Self.options(["--measure", "OR", "--method", "PETO"])["method"] == "PETO")
        #expect(try Self.options(["--measure", "OR", "--method", "GLMM", "--model", "UM.FS", "--quadrature-points", "1"])["method"]
            == "GLMM UM.FS")
    }

    @Test func outFlagWritesTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pool-out-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--format", "json", "--out", path])
        #expect(r.exitCode == 0 && r.standardOutput.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"tau2\""))
    }
}
