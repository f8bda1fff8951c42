import Foundation
import MetaReport
import MetaSwiftCLI
import Testing

/// `pool --preset TOOL`: another tool's conventions (meta 8.3's settings, Cochrane, Stata), named with every choice.
@Suite("metaswift pool --preset (tool conventions)")
struct PoolPresetCommandTests {
    static var data: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ConformanceTests/BankV5b/data").path
    }

    static func json(_ args: [String]) throws -> JSONValue {
        let r = MetaSwiftCommand.runCapturing(["pool"] + args + ["--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        return try JSONValue(parsing: r.standardOutput)
    }

    @Test func helpListsEveryPresetWithItsConventions() {
        let help = MetaSwiftCommand.runCapturing(["pool", "--help"]).standardOutput
        for name in ["guidance", "metafor", "meta", "revman5", "iqwig5", "iqwig6", "jama", "bmj", "ivhet", "meta4", "meta7",
                     "geneexpr", "cochrane", "stata"] {
            #expect(help.contains("\n  \(name) "), "pool --help lacks a line for \(name)")
        }
        #expect(help.contains("HKSJ CI (IQWiG6 ad hoc)") && help.contains("I^2 from tau^2") && help.contains("MH-based Q"))
        #expect(help.contains("explicit flags (--method, --test, --pi) override"))
    }

    /// meta 8.3-0, settings.meta("RevMan5"); metabin(event.e, n.e, event.c, n.c, sm = "OR") on Fleiss 1993 (the bank's
    /// meta_presets/fleiss1993bin_OR_MH_RevMan5): MH common effect, Q around it, DL τ² from that Q, no τ² CI.
    @Test func revman5WithMantelHaenszel() throws {
        let j = try Self.json(["--data", "\(Self.data)/fleiss1993bin.csv", "--measure", "OR", "--method", "MH", "--preset", "revman5"])
        #expect(j["conventions"]?.stringValue == "revman5")
        #expect(j["Q_Cochrane"] == .bool(true) && j["method_tau_ci"]?.stringValue == "")
        #expect(abs(j["common"]!["TE"]!.doubleValue! - -0.108849304507015) <= 1e-12)
        #expect(abs(j["Q"]!.doubleValue! - 9.946055983220072) <= 1e-9)
        #expect(abs(j["tau2"]!.doubleValue! - 0.009637300724248834) <= 1e-12)
        #expect(abs(j["random"]!["TE"]!.doubleValue! - -0.13205948636623663) <= 1e-12)
        let options = try #require(j["provenance"]?["options"])
        #expect(options["preset"]?.stringValue == "revman5")
        for key in ["method_tau", "method_tau_ci", "method_random_ci", "method_predict", "method_I2", "Q_Cochrane", "RR_Cochrane",
                    "exact_smd", "incr", "conventions_source"] {
            #expect(options[key] != nil, "provenance lacks \(key)")
        }
    }

    /// An explicit flag overrides the preset's choice and the output says so.
    @Test func explicitFlagsOverrideThePreset() throws {
        let j = try Self.json(["--data", "\(Self.data)/hinks2010.csv", "--preset", "iqwig6", "--method", "REML", "--test", "z"])
        #expect(j["method_tau"]?.stringValue == "REML" && j["method_random_ci"]?.stringValue == "classic")
        #expect(j["conventions"]?.stringValue == "iqwig6 with explicit flags")
        #expect(j["random"]?["df"]?.stringValue == "Inf")
        #expect(j["provenance"]?["options"]?["overrides"]?.stringValue == "--method REML --test z")
    }

    /// The text names the preset, its source, the flags that overrode it and every convention, the conventions as a
    /// left-aligned block apart from the table of numbers (a long source no longer widens the table).
    @Test func textNamesThePresetAndEveryChoice() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", "\(Self.data)/hinks2010.csv", "--preset", "cochrane", "--test", "z"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        let lines = r.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("Random-effects model under cochrane conventions (Cochrane Handbook"))
        #expect(lines[0].contains(", overridden by --test z: REML, QP tau^2 CI, z CI, PI t(k-1), I^2 from tau^2"))
        #expect(lines[2].hasPrefix("setting ") && lines.contains { $0.hasPrefix("conventions_source  Cochrane Handbook") })
        for key in ["conventions", "method_tau", "method_tau_ci", "Q_Cochrane", "method_random_ci", "method_predict", "prediction",
                    "method_I2", "method_common_ci"] {
            #expect(lines.contains { $0.hasPrefix(key + " ") }, "text lacks \(key)")
        }
        let table = try #require(lines.firstIndex { $0.hasPrefix("quantity ") })
        #expect(lines[table...].allSatisfy { $0.count <= 40 }, "the table of numbers is as wide as its numbers")
        #expect(!lines[table...].contains { $0.hasPrefix("conventions") })
    }

    @Test func refusesWhatAPresetCannotTake() {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", "\(Self.data)/hinks2010.csv", "--preset", "cochrane", "--test", "adhoc"])
        #expect(r.exitCode != 0 && r.standardError.contains("--test adhoc does not combine with --preset cochrane"))
        let g = MetaSwiftCommand.runCapturing(["pool", "--data", "\(Self.data)/fleiss1993bin.csv", "--measure", "OR", "--method", "GLMM",
                                               "--preset", "meta"])
        #expect(g.exitCode != 0 && g.standardError.contains("does not combine with --method GLMM for --measure OR"))
        // meta refuses IQWiG 6's ad hoc rule for a GLMM; so does MetaSwift, naming the alternative.
        let q = MetaSwiftCommand.runCapturing(["pool", "--data", "\(Self.data)/pritz1997.csv", "--measure", "PLO", "--method", "GLMM",
                                               "--preset", "iqwig6"])
        #expect(q.exitCode != 0 && q.standardError.contains("not defined for a GLMM"))
    }

    /// metaprop's default fit (GLMM) under meta's defaults: the bank's meta_presets/pritz1997_PLOGIT_default_default
    /// (tau2 0.5893309017928556, random TE 1.3766043889605717; GLMM tolerance), with both heterogeneity tests.
    @Test func glmmForProportions() throws {
        let j = try Self.json(["--data", "\(Self.data)/pritz1997.csv", "--measure", "PLO", "--method", "GLMM", "--preset", "meta"])
        #expect(j["method_tau"]?.stringValue == "ML" && j["Q_names"] == .array([.string("Wald"), .string("LRT")]))
        #expect(abs(j["tau2"]!.doubleValue! - 0.5893309017928556) <= 1e-5 * 0.5893309017928556)
        #expect(abs(j["random"]!["TE"]!.doubleValue! - 1.3766043889605717) <= 1e-5 * 1.3766043889605717)
        #expect(j["random"]?["statistic"] == .null)
    }

    /// Cochrane (RevMan 2025) and Stata take I² from τ²: I² = τ²/(τ² + ṽ).
    @Test func cochraneAndStataTakeISquaredFromTauSquared() throws {
        for preset in ["cochrane", "stata"] {
            let j = try Self.json(["--data", "\(Self.data)/hackshaw1998.csv", "--preset", preset])
            #expect(j["method_I2"]?.stringValue == "tau2")
            let tau2 = try #require(j["tau2"]?.doubleValue), i2 = try #require(j["I2"]?.doubleValue), h = try #require(j["H"]?.doubleValue)
            // H² = (τ² + ṽ)/ṽ, so I² = 1 − 1/H².
            #expect(abs(i2 - (1 - 1 / (h * h))) <= 1e-12 && (tau2 > 0) == (i2 > 0))
            #expect(j["predict"]?["df"]?.doubleValue == (preset == "stata" ? 35 : 36))
        }
    }
}
