import Foundation
import MetaSwiftCLI
import Testing

private let bankData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("ConformanceTests/Bank/data").path

private func referenceCase(_ id: String) throws -> [String: Any] {
    let url = URL(fileURLWithPath: bankData).deletingLastPathComponent().appendingPathComponent("cases/\(id).json")
    let doc = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    return try #require(doc["expected"] as? [String: Any])
}

private func runJSON(_ arguments: [String]) throws -> [String: Any] {
    let r = MetaSwiftCommand.runCapturing(arguments + ["--format", "json"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    return try #require(JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
}

private func close(_ a: Any?, _ b: Any?, _ tolerance: Double = 1e-10) -> Bool {
    guard let x = a as? Double, let y = b as? Double else { return false }
    return abs(x - y) <= tolerance * max(1, abs(y))
}

@Suite("metaswift bias and sensitivity")
struct BiasSensitivityCommandTests {
    /// `sensitivity leave1out` (alias) with metafor's DL model reproduces metafor's leave1out (bank case).
    @Test func leaveOneOutAliasMatchesMetafor() throws {
        let doc = try runJSON(["sensitivity", "leave1out", "--data", "\(bankData)/bcg.csv", "--measure", "RR",
                               "--map", "ai=ai", "--method", "DL", "--preset", "metafor"])
        let expected = try referenceCase("diagnostics/bcg_RR_leave1out_DL")
        for key in ["estimate", "se", "tau2", "Q", "I2"] {
            let got = try #require(doc[key] as? [Double]), want = try #require(expected[key] as? [Double])
            #expect(got.count == want.count)
            for (a, b) in zip(got, want) { #expect(close(a, b), "\(key)") }
        }
        #expect((doc["diagnostics"] as? [String]) != nil)
        #expect((doc["provenance"] as? [String: Any]) != nil)
    }

    /// regtest's statistic keeps the field name `zval` (metafor's) in JSON; the text names it as print.regtest does:
    /// under Knapp-Hartung t with k - 2 = 11 df for the 13 BCG trials, z under rma()'s defaults.
    @Test func eggerTitleNamesTheTest() {
        let knha = MetaSwiftCommand.runCapturing(["bias", "egger", "--data", "\(bankData)/bcg.csv", "--measure", "RR"])
        #expect(knha.standardOutput.contains("\nTest for Funnel Plot Asymmetry: t = -0.7812, df = 11, p = 0.4512\n"))
        let z = MetaSwiftCommand.runCapturing(["bias", "egger", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--preset", "metafor"])
        #expect(z.standardOutput.contains("\nTest for Funnel Plot Asymmetry: z = -0.8033, p = 0.4218\n"))
    }

    /// `bias fsn` (alias) prints metafor's fsn field names: Rosenthal's 393 for hackshaw1998 (Becker 2005).
    @Test func failSafeAlias() throws {
        let doc = try runJSON(["bias", "fsn", "--data", "\(bankData)/hackshaw1998.csv"])
        #expect(doc["fsnum"] as? Double == 393)
        #expect(doc["type"] as? String == "Rosenthal")
    }

    /// `bias regtest --model lm` is the classical Egger test of the bank case egger2001_OR_regtest_lm_REML.
    @Test func eggerLinearModelMatchesMetafor() throws {
        let doc = try runJSON(["bias", "regtest", "--data", "\(bankData)/egger2001.csv", "--measure", "OR", "--model", "lm",
                               "--preset", "metafor"])
        let expected = try referenceCase("pubbias/egger2001_OR_regtest_lm_REML")
        for key in ["zval", "pval", "limit_est", "limit_ci_lb", "limit_ci_ub"] { #expect(close(doc[key], expected[key]), "\(key)") }
    }

    /// Fewer than 10 studies: the note from the Cochrane Handbook is in the diagnostics.
    @Test func fewStudiesAreFlagged() throws {
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("few-\(UUID().uuidString).csv")
        try "yi,vi\n0.1,0.04\n0.3,0.02\n0.5,0.09\n0.2,0.05\n".write(to: csv, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: csv) }
        let doc = try runJSON(["bias", "begg", "--data", csv.path])
        let notes = try #require(doc["diagnostics"] as? [String])
        #expect(notes.contains { $0.contains("Only 4 studies") && $0.contains("13.3.5") })
    }

    @Test func cumulativeNeedsAnExistingOrderColumn() {
        let r = MetaSwiftCommand.runCapturing(["sensitivity", "cumulative", "--data", "\(bankData)/bcg.csv", "--measure", "RR",
                                               "--order", "nosuchcolumn"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.contains("nosuchcolumn"))
    }

    @Test func predictorNeedingSampleSizesAsksForThem() {
        let r = MetaSwiftCommand.runCapturing(["bias", "egger", "--data", "\(bankData)/hackshaw1998.csv", "--predictor", "ninv"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.contains("--ni"))
    }
}

@Suite("metaswift plot")
struct PlotCommandTests {
    @Test(arguments: ["funnel", "baujat", "gosh"])
    func writesWellFormedSVG(kind: String) throws {
        let r = MetaSwiftCommand.runCapturing(["plot", kind, "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--method", "DL"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.hasPrefix("<?xml"))
        #expect(r.standardOutput.contains("</svg>"))
    }

    @Test func funnelWithTrimAndFillDrawsTheFilledStudies() throws {
        let plain = MetaSwiftCommand.runCapturing(["plot", "funnel", "--data", "\(bankData)/egger2001.csv", "--measure", "OR"])
        let filled = MetaSwiftCommand.runCapturing(["plot", "funnel", "--data", "\(bankData)/egger2001.csv", "--measure", "OR", "--trimfill"])
        #expect(filled.exitCode == 0 && plain.exitCode == 0)
        #expect(filled.standardOutput.count > plain.standardOutput.count)
    }
}
