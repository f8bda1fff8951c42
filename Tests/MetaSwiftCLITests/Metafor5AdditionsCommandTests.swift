import Foundation
import MetaSwiftCLI
import Testing

/// `bias hc`, `escalc --measure AUC|RTET`, `pool --method GLMM --glmm-method EE` and the Poisson GLMM against metafor
/// 5.1-12 (bank cases hc/bcg_RR_hc_REML, escalc_extra/hanley1982_AUC*, bourassa1996_RTET, glmm_extra/pritz1997_PLO_UMFS_EE,
/// hart1999_IRR_UMFS_ML), with their bad inputs.
@Suite("metaswift bias hc, escalc AUC/RTET, GLMM EE and Poisson")
struct Metafor5AdditionsCommandTests {
    static let bankData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data").path
    static let bcg = ["--data", "\(bankData)/bcg.csv", "--measure", "RR", "--preset", "metafor"]

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = MetaSwiftCommand.runCapturing(arguments + ["--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    static func close(_ x: Any?, _ expected: Double, _ tolerance: Double) -> Bool {
        guard let x = x as? Double else { return false }
        return abs(x - expected) <= tolerance * abs(expected)
    }

    @Test func henmiCopasMatchesMetafor() throws {
        let j = try Self.json(["bias", "hc"] + Self.bcg)
        #expect(j["method"] as? String == "DL" && j["method_rma"] as? String == "REML")
        #expect(Self.close(j["beta"], -0.43028516365409103, 1e-10))
        #expect(Self.close(j["se"], 0.28354435135524986, 1e-10))
        // expected_tight: integrate(rel.tol = 1e-13), uniroot(tol = 1e-15).
        #expect(Self.close(j["ci_lb"], -1.1555487619720621, 1e-9))
        #expect(Self.close(j["ci_ub"], 0.29497843466388013, 1e-9))
        let table = MetaSwiftCommand.runCapturing(["bias", "hc"] + Self.bcg)
        #expect(table.exitCode == 0 && table.standardOutput.contains("hc        DL"))
    }

    @Test func areaUnderCurveMatchesMetafor() throws {
        let csv = "study,ai,n1i,n2i\nHanley,0.8931710615280595,51,58\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("auc-\(UUID().uuidString).csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        for (vtype, vi) in [("LS", 0.0010513979360616407), ("LS2", 0.0010953711206526317), ("H0", 0.0030989407257155737),
                            ("MAX", 0.0019083303275379774)] {
            let j = try Self.json(["escalc", "--data", url.path, "--measure", "AUC", "--vtype", vtype])
            #expect(Self.close((j["vi"] as? [Double])?.first, vi, 1e-12), "\(vtype)")
        }
        let bad = MetaSwiftCommand.runCapturing(["escalc", "--data", url.path, "--measure", "AUC", "--vtype", "UB"])
        #expect(bad.exitCode != 0 && bad.standardError.contains("vtype") && bad.standardError.contains("MAX"), "\(bad.standardError)")
        let outOfRange = "study,ai,n1i,n2i\nA,1.2,10,10\n"
        try outOfRange.write(to: url, atomically: true, encoding: .utf8)
        let r = MetaSwiftCommand.runCapturing(["escalc", "--data", url.path, "--measure", "CLES"])
        #expect(r.exitCode != 0 && r.standardError.contains("Row 1, column 'ai'"), "\(r.standardError)")
    }

    @Test func equalEffectsGLMMMatchesGlm() throws {
        let j = try Self.json(["pool", "--data", "\(Self.bankData)/pritz1997.csv", "--measure", "PLO", "--method", "GLMM",
                               "--glmm-method", "EE"])
        #expect(j["method"] as? String == "EE" && j["tau2"] as? Double == 0)
        #expect(Self.close(j["beta"], 1.1233049012509657, 1e-8))
        // glm's SE comes from its last IRLS weights: 1.3e-6 from the information at the optimum (see Tolerance.glmm).
        #expect(Self.close(j["se"], 0.1287050691348997, 1e-5))
        #expect(Self.close((j["fit_stats"] as? [String: Any]).flatMap { $0["ML"] as? [String: Any] }?["logLik"], -38.66636820936881, 1e-9))
        let wrong = MetaSwiftCommand.runCapturing(["pool", "--data", "\(Self.bankData)/pritz1997.csv", "--measure", "PLO",
                                                   "--glmm-method", "EE"])
        #expect(wrong.exitCode != 0 && wrong.standardError.contains("--glmm-method")
                && wrong.standardError.contains("--method GLMM"), "\(wrong.standardError)")
    }

    @Test func tetrachoricAndPoissonGLMMMatchMetafor() throws {
        // bourassa1996 row 2 (Downey 1927): expected_tight yi 0.4227438975249073, vi 0.0020645702126488347.
        let csv = "study,ai,bi,ci,di\nDowney,140,91,305,697\nEmpty,0,10,5,20\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rtet-\(UUID().uuidString).csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let j = try Self.json(["escalc", "--data", url.path, "--measure", "RTET"])
        let yi = try #require(j["yi"] as? [Any]), vi = try #require(j["vi"] as? [Any])
        #expect(Self.close(yi[0], 0.4227438975249073, 1e-12) && Self.close(vi[0], 0.0020645702126488347, 1e-7))
        #expect(yi[1] is NSNull && vi[1] is NSNull, "a table with an empty cell has no interior estimate")

        let irr = try Self.json(["pool", "--data", "\(Self.bankData)/hart1999.csv", "--measure", "IRR", "--method", "GLMM"])
        #expect(irr["tau2"] as? Double == 0)
        #expect(Self.close(irr["beta"], -1.0326953974858422, 1e-8))
        #expect(Self.close(irr["se"], 0.16258660226513233, 1e-7))
        let wrong = MetaSwiftCommand.runCapturing(["pool", "--data", "\(Self.bankData)/hart1999.csv", "--measure", "IRD",
                                                   "--method", "GLMM"])
        #expect(wrong.exitCode != 0 && wrong.standardError.contains("IRD"), "\(wrong.standardError)")
    }
}
