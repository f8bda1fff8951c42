import Foundation
import MetaReport
import MetaSwiftCLI
import Testing

@Suite("metaswift pool")
struct PoolCommandTests {
    static func csvFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pool-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Raudenbush (1984) teacher-expectancy data (metadat dat.raudenbush1985, yi and vi as published).
    static var raudenbushPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ConformanceTests/Bank/data/raudenbush1985.csv").path
    }

    @Test func helpListsMethodsTestsAndPresets() {
        let r = MetaSwiftCommand.runCapturing(["pool", "--help"])
        #expect(r.exitCode == 0)
        let help = r.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for bit in ["--method <METHOD>", "REML", "GENQM", "--test <TEST>", "knha", "--weights <COLUMN>", "--preset <preset>",
                    "guidance", "metafor", "--tau2-ci", "--format <format>", "--map <ARG=COLUMN>"] {
            #expect(help.contains(bit), "help lacks \(bit)")
        }
        #expect(MetaSwiftCommand.runCapturing(["rma", "--help"]).exitCode == 0)
    }

    /// metafor 3.8-1: rma(yi, vi, data = dat.raudenbush1985) (bank case rma_uni/raudenbush1985_GEN_REML_z).
    @Test func presetMetaforReproducesRmaDefaults() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.raudenbushPath, "--preset", "metafor", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let json = try JSONValue(parsing: r.standardOutput)
        #expect(json["method"]?.stringValue == "REML")
        #expect(json["test"]?.stringValue == "z")
        #expect(abs(json["tau2"]!.doubleValue! - 0.018818288140304267) < 1e-9)
        #expect(abs(json["beta"]!.doubleValue! - 0.08370124188266909) < 1e-9)
        for key in ["k", "p", "beta", "se", "zval", "pval", "ci_lb", "ci_ub", "tau2", "se_tau2", "tau", "QE", "QEp", "QEdf",
                    "I2", "H2", "s2w", "dfs", "weights_pct", "fit_stats", "predict", "confint", "yi", "vi", "diagnostics", "provenance"] {
            #expect(json[key] != nil, "JSON lacks \(key)")
        }
        let provenance = try #require(json["provenance"])
        #expect(provenance["input_sha256"]?.stringValue?.count == 64)
        #expect(provenance["options"]?["method"]?.stringValue == "REML")
        #expect(provenance["options"]?["preset"]?.stringValue == "metafor")
        // confint(res) with metafor's default uniroot tolerance: the bank's `expected` (default) bounds of
        // rma_uni/raudenbush1985_GEN_REML_z, which differ from the tight ones in the 4th digit.
        let confint = json["confint"]?["tau2"]?.arrayValue ?? []
        let bounds = confint.compactMap(\.doubleValue)
        try #require(bounds.count == 3)
        #expect(abs(bounds[1] - 0.005855044807306829) <= 1e-9 * 0.005855044807306829)
        #expect(abs(bounds[2] - 0.1977254802217744) <= 1e-9 * 0.1977254802217744)
    }

    @Test func defaultsFollowGuidanceAndSaySo() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.raudenbushPath])
        #expect(r.exitCode == 0)
        let text = r.standardOutput
        #expect(text.contains("Random-Effects Model (k = 19; tau^2 estimator: REML)"))
        #expect(text.contains("tau^2 estimator: REML (restricted maximum likelihood)"))
        #expect(text.contains("test and CI for the pooled estimate: knha"))
        #expect(text.contains("Heterogeneity 95% CI (Q-profile"))
        #expect(text.contains("pi.lb"))
        #expect(text.contains("tval"))
    }

    @Test func ratioMeasuresAreBackTransformedAndExplicitFlagsBeatThePreset() throws {
        let path = try Self.csvFile("""
        study,ai,bi,ci,di
        Aronson,4,119,11,128
        Ferguson,6,300,29,274
        Rosenthal,3,228,11,209
        Hart,62,13536,248,12619
        """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["rma", "--data", path, "--measure", "RR", "--preset", "metafor", "--method", "DL",
                                               "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let json = try JSONValue(parsing: r.standardOutput)
        #expect(json["method"]?.stringValue == "DL")
        #expect(json["test"]?.stringValue == "z")
        let transf = try #require(json["predict_transf"])
        #expect(transf["transf"]?.stringValue == "exp")
        #expect(abs(transf["pred"]!.doubleValue! - exp(json["beta"]!.doubleValue!)) < 1e-15)
    }

    @Test func genqNeedsWeightsAndNamesTheFlag() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.raudenbushPath, "--method", "GENQ"])
        #expect(r.exitCode != 0)
        #expect(r.standardError == "Error: Method GENQ needs user weights; give them with --weights COLUMN.\n")
        let ok = MetaSwiftCommand.runCapturing(["pool", "--data", Self.raudenbushPath, "--method", "GENQ", "--weights", "ntotal",
                                                "--format", "json"])
        #expect(ok.exitCode == 0)
        let json = try JSONValue(parsing: ok.standardOutput)
        #expect(json["confint"]?["type"]?.stringValue == "GENQ")
        #expect(json["confint_QP"]?["type"]?.stringValue == "QP")
    }

    @Test func badInputIsOneSentenceNamingTheStudy() throws {
        let path = try Self.csvFile("""
        study,yi,vi
        Zarate 2006,0.5,0.04
        Murrough 2013,0.7,0
        """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", path])
        #expect(r.exitCode != 0)
        // escalc accepts vi = 0 (it rejects negative values itself); the model needs vi > 0.
        #expect(r.standardError == "Error: \(path): Row 2 (Murrough 2013): sampling variance must be positive; found 0.\n")
        let method = MetaSwiftCommand.runCapturing(["pool", "--data", path, "--method", "XYZ"])
        #expect(method.exitCode != 0)
        #expect(method.standardError.contains("XYZ"))
    }

    @Test func csvFormatListsScalarFields() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.raudenbushPath, "--format", "csv", "--method", "DL"])
        #expect(r.exitCode == 0)
        let lines = r.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "field,value")
        #expect(lines.contains("method,DL"))
        #expect(lines.contains { $0.hasPrefix("confint.tau2.lb,") })
        #expect(lines.contains { $0.hasPrefix("predict.pi_ub,") })
    }
}
