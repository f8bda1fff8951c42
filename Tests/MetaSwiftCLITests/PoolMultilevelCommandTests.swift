import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift pool --random` (multilevel models, metafor's `rma.mv`) run in-process on the multilevel bank's data;
/// reference values are the bank's `expected_tight` (metafor 5.1-12), read from the case files.
@Suite("metaswift pool --random")
struct PoolMultilevelCommandTests {
    static let bank = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/BankMV")
    static func data(_ name: String) -> String { bank.appendingPathComponent("data/\(name).csv").path }

    static func tight(_ id: String) throws -> [String: Any] {
        let url = bank.appendingPathComponent("cases/rma_mv_multilevel/\(id).json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return try #require(json?["expected_tight"] as? [String: Any])
    }

    static func run(_ arguments: [String]) throws -> [String: Any] {
        let r = MetaSwiftCommand.runCapturing(["pool"] + arguments + ["--format", "json"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    static func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-7 * max(abs($1), 1e-3) }
    }

    @Test func threeLevelModelMatchesTheBank() throws {
        let j = try Self.run(["--data", Self.data("konstantopoulos2011"), "--measure", "GEN",
                              "--random", "~ 1 | district/school", "--test", "t", "--dfs", "contain"])
        let e = try Self.tight("konstantopoulos2011_3level_REML_t_contain")
        for field in ["beta", "se", "sigma2", "ci_lb", "ci_ub"] {
            #expect(Self.close(j[field] as? [Double] ?? [], e[field] as? [Double] ?? [1]), "\(field)")
        }
        #expect(j["s_names"] as? [String] == ["district", "district/school"])
        #expect(j["s_nlevels"] as? [Double] == [11, 56])
        #expect(j["ddf"] as? [Double] == [10])
        let options = try #require((j["provenance"] as? [String: Any])?["options"] as? [String: String])
        #expect(options["random"] == "~ 1 | district/school" && options["dfs"] == "contain" && options["method"] == "REML")
    }

    @Test func formulaModeratorsAndCovarianceFile() throws {
        // assink2016 with V = vcalc(rho = 0.6), written in the long row1,row2,cov form from the case's blocks.
        let url = Self.bank.appendingPathComponent("cases/rma_mv_multilevel/assink2016_3level_Vrho0.6_REML_z.json")
        let c = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let blocks = try #require(((c["options"] as? [String: Any])?["V"] as? [String: Any])?["blocks"] as? [[String: Any]])
        var csv = "row1,row2,cov\n"
        for b in blocks {
            let rows = b["rows"] as? [Int] ?? [], m = b["matrix"] as? [[Double]] ?? []
            for a in rows.indices { for d in rows.indices where d >= a { csv += "\(rows[a]),\(rows[d]),\(m[d][a].description)\n" } }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mv-V-\(UUID().uuidString).csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let j = try Self.run(["--data", Self.data("assink2016"), "--measure", "GEN", "--random", "~ 1 | study/esid",
                              "--V", path, "--preset", "metafor"])
        let e = try #require(c["expected_tight"] as? [String: Any])
        for field in ["beta", "se", "sigma2"] {
            #expect(Self.close(j[field] as? [Double] ?? [], e[field] as? [Double] ?? [1]), "\(field)")
        }
        let mods = try Self.run(["--data", Self.data("konstantopoulos2011"), "--measure", "GEN", "--random", "~ 1 | district/school",
                                 "--mods", "~ year_c", "--preset", "metafor"])
        let em = try Self.tight("konstantopoulos2011_3level_year_REML_z")
        #expect(mods["coef_names"] as? [String] == ["intrcpt", "year_c"])
        #expect(Self.close(mods["beta"] as? [Double] ?? [], em["beta"] as? [Double] ?? [1]))
        #expect(Self.close([mods["QM"] as? Double ?? 0], [em["QM"] as? Double ?? 1]))
    }

    /// Writes a case's V blocks in the long row1,row2,cov form and returns the file's path.
    static func covarianceFile(_ id: String) throws -> (path: String, tight: [String: Any]) {
        let url = bank.appendingPathComponent("cases/\(id).json")
        let c = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let blocks = try #require(((c["options"] as? [String: Any])?["V"] as? [String: Any])?["blocks"] as? [[String: Any]])
        var csv = "row1,row2,cov\n"
        for b in blocks {
            let rows = b["rows"] as? [Int] ?? [], m = b["matrix"] as? [[Double]] ?? []
            for a in rows.indices { for d in rows.indices where d >= a { csv += "\(rows[a]),\(rows[d]),\(m[d][a].description)\n" } }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mv-V-\(UUID().uuidString).csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, try #require(c["expected_tight"] as? [String: Any]))
    }

    @Test func multivariateStructuresAndFixedCorrelation() throws {
        let (path, e) = try Self.covarianceFile("rma_mv_multivariate/berkey1998_outcome_UN_REML_z")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let base = ["--data", Self.data("berkey1998"), "--measure", "GEN", "--random", "~ outcome | trial", "--mods", "~ 0 + outcome",
                    "--V", path, "--preset", "metafor"]
        let un = try Self.run(base + ["--struct", "UN"])
        for field in ["beta", "se", "tau2", "rho"] {
            #expect(Self.close(un[field] as? [Double] ?? [], e[field] as? [Double] ?? [1]), "\(field)")
        }
        #expect(un["struct"] as? String == "UN" && un["g_levels"] as? [String] == ["AL", "PD"])
        let fixed = try Self.run(base + ["--struct", "CS", "--fix", "rho=0.5"])
        #expect(fixed["rho"] as? [Double] == [0.5] && fixed["rho_fixed"] as? [Bool] == [true])
        #expect(fixed["parms"] as? Double == 3)
        let bad = MetaSwiftCommand.runCapturing(["pool"] + base + ["--struct", "AR"])
        #expect(bad.exitCode != 0 && bad.standardError.contains("needs numeric values (times) in the inner column 'outcome'"))
    }

    /// `--tau2-ci PL`: metafor's `confint(res)` of every estimated component, JSON with the bank's field names.
    @Test func profileLikelihoodIntervalsOfTheComponents() throws {
        func closeEntries(_ a: [[String: Any]], _ b: [[String: Any]]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { x, y in
                x["component"] as? String == y["component"] as? String && x["index"] as? Double == y["index"] as? Double
                    && x["lb_sign"] as? String == y["lb_sign"] as? String && x["ub_sign"] as? String == y["ub_sign"] as? String
                    && Self.close(["estimate", "ci_lb", "ci_ub"].map { x[$0] as? Double ?? .nan }, ["estimate", "ci_lb", "ci_ub"].map { y[$0] as? Double ?? 0 })
            }
        }
        let args = ["--data", Self.data("konstantopoulos2011"), "--measure", "GEN", "--random", "~ 1 | district/school",
                    "--preset", "metafor", "--tau2-ci", "PL"]
        let j = try Self.run(args)
        let e = try Self.tight("konstantopoulos2011_3level_REML_z")
        #expect(closeEntries(j["confint"] as? [[String: Any]] ?? [], e["confint"] as? [[String: Any]] ?? []))
        let sqrt = (j["confint"] as? [[String: Any]])?.first?["sqrt"] as? [Double] ?? []
        #expect(Self.close(sqrt, (e["confint"] as? [[String: Any]])?.first?["sqrt"] as? [Double] ?? [1]))
        // A correlated term (tau^2 and rho): text in metafor's confint layout, bounds as in the bank.
        let url = Self.bank.appendingPathComponent("cases/rma_mv_multivariate/konstantopoulos2011_school_in_district_CS_REML_z.json")
        let cs = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let csTight = try #require(cs["expected_tight"] as? [String: Any])
        let text = MetaSwiftCommand.runCapturing(["pool", "--data", Self.data("konstantopoulos2011"), "--measure", "GEN",
                                                  "--random", "~ school | district", "--struct", "CS", "--preset", "metafor", "--tau2-ci", "PL"])
        let bounds = (csTight["confint"] as? [[String: Any]] ?? []).map { c in
            ["ci_lb", "ci_ub"].map { String(format: "%.4f", c[$0] as? Double ?? .nan) }
        }
        #expect(bounds.count == 2)
        #expect(text.standardOutput.contains("""
            Variance Components 95% CI (profile likelihood):

                   estimate   ci.lb   ci.ub
            tau^2    0.0978  \(bounds[0][0])  \(bounds[0][1])
            tau      0.3127  0.2298  0.4897
            rho      0.6653  \(bounds[1][0])  \(bounds[1][1])

            """), "\(text.standardOutput)")
        // Without --tau2-ci no profile is computed; univariate-only options are refused, not ignored.
        #expect(try Self.run(Array(args.dropLast(2)))["confint"] == nil)
        let bj = MetaSwiftCommand.runCapturing(["pool"] + args.dropLast(2) + ["--tau2-ci", "BJ"])
        #expect(bj.exitCode != 0 && bj.standardError.contains("--tau2-ci BJ"), "\(bj.standardError)")
        let pi = MetaSwiftCommand.runCapturing(["pool"] + args.dropLast(2) + ["--pi", "riley"])
        #expect(pi.exitCode != 0 && pi.standardError.contains("--pi"), "\(pi.standardError)")
    }

    @Test func tableFollowsPrintRmaMv() {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.data("konstantopoulos2011"), "--measure", "GEN",
                                               "--random", "~ 1 | district/school", "--preset", "metafor"])
        #expect(r.exitCode == 0)
        let out = r.standardOutput
        #expect(out.hasPrefix("Multivariate Meta-Analysis Model (k = 56; method: REML)\n"))
        #expect(out.contains("            estim    sqrt  nlvls  fixed           factor\nsigma^2.1  0.0651  0.2551     11     no         district\nsigma^2.2  0.0327  0.1809     56     no  district/school\n"))
        #expect(out.contains("Test for Heterogeneity:\nQ(df = 55) = 578.8640, p-val < .0001\n"))
        #expect(out.contains("intrcpt    0.1847  0.0846  2.1845  0.0289  0.0190  0.3504\n"))
    }

    @Test func badInputIsOneTypedSentence() throws {
        let k = Self.data("konstantopoulos2011")
        let missing = MetaSwiftCommand.runCapturing(["pool", "--data", k, "--measure", "GEN", "--random", "~ 1 | district/classroom"])
        #expect(missing.exitCode != 0)
        #expect(missing.standardError.contains("The random term '~ 1 | district/classroom' names the column 'classroom', which the data do not have."))
        // A grouping column with a single value.
        let csv = "yi,vi,lab,obs\n0.1,0.01,A,1\n0.2,0.02,A,2\n0.3,0.02,A,3\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mv-one-\(UUID().uuidString).csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let one = MetaSwiftCommand.runCapturing(["pool", "--data", path, "--measure", "GEN", "--random", "~ 1 | lab/obs"])
        #expect(one.exitCode != 0)
        #expect(one.standardError.contains("The random-effects grouping 'lab' has a single level ('A'); expected at least two levels"))
        // V whose block over effects 1 and 2 is not positive definite (|cov| > sd1 sd2).
        let v = "row1,row2,cov\n1,1,0.01\n2,2,0.02\n3,3,0.02\n1,2,0.5\n"
        let vPath = path + ".V.csv"
        try v.write(toFile: vPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: vPath) }
        let csv2 = "yi,vi,lab,obs\n0.1,0.01,A,1\n0.2,0.02,A,2\n0.3,0.02,B,3\n"
        try csv2.write(toFile: path, atomically: true, encoding: .utf8)
        let notPD = MetaSwiftCommand.runCapturing(["pool", "--data", path, "--measure", "GEN", "--random", "~ 1 | lab/obs", "--V", vPath])
        #expect(notPD.exitCode != 0)
        #expect(notPD.standardError.contains("The sampling covariance block of effects 1, 2 is not positive definite"))
        let badTest = MetaSwiftCommand.runCapturing(["pool", "--data", k, "--measure", "GEN", "--random", "~ 1 | district", "--test", "knha"])
        #expect(badTest.exitCode != 0 && badTest.standardError.contains("--test"))
        // Correlations the data cannot identify: one outcome per trial (CS), and outcomes B and C never in one trial (UN).
        let single = "yi,vi,outcome,trial\n0.1,0.01,A,1\n0.2,0.02,B,2\n0.3,0.02,A,3\n0.25,0.03,B,4\n"
        try single.write(toFile: path, atomically: true, encoding: .utf8)
        let cs = MetaSwiftCommand.runCapturing(["pool", "--data", path, "--measure", "GEN", "--random", "~ outcome | trial", "--struct", "CS"])
        #expect(cs.exitCode != 0 && cs.standardError.contains("The correlation rho of '~ outcome | trial' cannot be estimated: no level of 'trial' has effects of two different levels of 'outcome'"), "\(cs.standardError)")
        let held = MetaSwiftCommand.runCapturing(["pool", "--data", path, "--measure", "GEN", "--random", "~ outcome | trial", "--struct", "CS", "--fix", "rho=0.5"])
        #expect(held.exitCode == 0, "\(held.standardError)")
        let pairs = "yi,vi,outcome,trial\n0.1,0.01,A,1\n0.2,0.02,B,1\n0.3,0.02,A,2\n0.25,0.03,C,2\n0.15,0.02,A,3\n0.22,0.02,B,3\n0.3,0.01,C,4\n0.2,0.02,A,4\n"
        try pairs.write(toFile: path, atomically: true, encoding: .utf8)
        let un = MetaSwiftCommand.runCapturing(["pool", "--data", path, "--measure", "GEN", "--random", "~ outcome | trial", "--struct", "UN"])
        #expect(un.exitCode != 0 && un.standardError.contains("The correlation rho[B,C] of '~ outcome | trial' cannot be estimated: no level of 'trial' has effects of both 'B' and 'C'"), "\(un.standardError)")
        let noRandom = MetaSwiftCommand.runCapturing(["pool", "--data", k, "--measure", "GEN", "--dfs", "contain"])
        #expect(noRandom.exitCode != 0 && noRandom.standardError.contains("--V, --dfs, --struct and --fix need --random."))
    }
}
