import Foundation
import MetaSwiftCLI
import Testing

/// The `pool` flags are a contract (DESIGN.md §4): every flag keeps its name and default whatever option groups
/// declare it. Each run below must parse and take effect, as the provenance or output shows.
@Suite("metaswift pool flag contract")
struct PoolFlagContractTests {
    static let bcg = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data/bcg.csv").path

    static func options(_ arguments: [String]) throws -> [String: String] {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", bcg] + arguments + ["--format", "json"])
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
        let genq = try Self.options(["--measure", "OR", "--method", "GENQ", "--weights", "ntotal"])
        #expect(genq["method"] == "GENQ")
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
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.bcg, "--measure", "RR", "--format", "json", "--out", path])
        #expect(r.exitCode == 0 && r.standardOutput.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"tau2\""))
    }
}
