import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift pool --robust CLUSTER [--small-sample CR0|CR1|CR2]` in-process on the multilevel bank's data; the
/// values are those of the bank's robust cases (metafor 5.1-12, clubSandwich 0.5.8), read from the case files.
@Suite("metaswift pool --robust")
struct PoolRobustCommandTests {
    static let bank = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/BankMV")
    static let assink = bank.appendingPathComponent("data/assink2016.csv").path

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func reference(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: bank.appendingPathComponent("cases/robust/\(name).json"))
        return try #require(try object(String(decoding: data, as: UTF8.self))["expected_tight"] as? [String: Any])
    }

    static func close(_ a: [Double]?, _ b: [Double]?, _ relative: Double) -> Bool {
        guard let a, let b, a.count == b.count else { return false }
        return zip(a, b).allSatisfy { abs($0 - $1) <= relative * abs($1) }
    }

    @Test("JSON carries the variant under its code, with the bank's values", arguments: ["CR0", "CR1", "CR2"])
    func jsonPerVariant(_ variant: String) throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.assink, "--method", "REML", "--test", "z",
                                               "--robust", "study", "--small-sample", variant, "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let json = try Self.object(r.standardOutput)
        let robust = try #require(json[variant] as? [String: Any])
        let expected = try #require(try Self.reference("assink2016_uni_REML")[variant] as? [String: Any])
        #expect(robust["vcov_type"] as? String == variant)
        #expect(robust["n_clusters"] as? Double == 17)
        for field in ["se", "tval", "ddf", "pval", "ci_lb", "ci_ub"] {
            #expect(Self.close(robust[field] as? [Double], expected[field] as? [Double], 1e-7), "\(field)")
        }
        #expect(json["tau2"] != nil && json["provenance"] != nil)
    }

    @Test func defaultIsCR1AndTheTableIsMetaforsLayout() {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.assink, "--method", "DL", "--mods", "year,deltype", "--robust", "study"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let text = r.standardOutput
        #expect(text.contains("Number of estimates:   100\nNumber of clusters:    17\nEstimates per cluster: 1-22"))
        #expect(text.contains("Test of Moderators (coefficients 2:4):¹\nF(df1 = 3, df2 = 13) = 129.1269"))
        #expect(text.contains("1) results based on cluster-robust inference (var-cov estimator: CR1,\n   approx t/F-tests and confidence intervals, df: residual method)"))
        let cr2 = MetaSwiftCommand.runCapturing(["pool", "--data", Self.assink, "--method", "DL", "--mods", "year,deltype",
                                                 "--robust", "study", "--small-sample", "cr2"])
        #expect(cr2.exitCode == 0)
        // clubSandwich's HTZ test: F(3, 2.59) = 13.8373 (bank: QM 13.837251394832684, QMdf [3, 2.592768866529317]).
        #expect(cr2.standardOutput.contains("F(df1 = 3, df2 = 2.59) = 13.8373"))
        #expect(cr2.standardOutput.contains("df: Satterthwaite approx)"))
    }

    @Test func csvIsTheRobustCoefficientTable() {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.assink, "--method", "REML", "--robust", "study", "--format", "csv"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput.hasPrefix("coefficient,estimate,se,tval,df,pval,ci_lb,ci_ub,vcov_type\nintrcpt,"))
        let fields = r.standardOutput.split(separator: "\n")[1].split(separator: ",")
        #expect(fields.count == 9 && fields[4] == "16" && fields[8] == "CR1")
    }

    static let konstantopoulos = bank.appendingPathComponent("data/konstantopoulos2011.csv").path

    @Test("--random with --robust: JSON carries the rma.mv fit and each variant with the bank's values", arguments: ["CR1", "CR2"])
    func multilevelJSON(_ variant: String) throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.konstantopoulos, "--measure", "GEN", "--random", "~ 1 | district/school",
                                               "--mods", "~ year_c", "--preset", "metafor", "--robust", "district",
                                               "--small-sample", variant, "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let json = try Self.object(r.standardOutput)
        let robust = try #require(json[variant] as? [String: Any])
        let expected = try #require(try Self.reference("konstantopoulos2011_3level_year_REML")[variant] as? [String: Any])
        #expect(robust["n_clusters"] as? Double == 11)
        for field in ["beta", "se", "tval", "ddf", "pval", "ci_lb", "ci_ub", "QMdf"] {
            #expect(Self.close(robust[field] as? [Double], expected[field] as? [Double], 1e-6), "\(field)")
        }
        #expect(Self.close([robust["QM"] as? Double ?? 0], [expected["QM"] as? Double ?? 1], 1e-6))
        #expect(json["sigma2"] as? [Double] != nil && json["s_names"] as? [String] == ["district", "district/school"])
    }

    @Test func multilevelTextHeadsTheRobustResultsWithTheVarianceComponentsOnly() {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.konstantopoulos, "--measure", "GEN", "--random", "~ 1 | district/school",
                                               "--preset", "metafor", "--robust", "district"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let text = r.standardOutput
        // metafor's print.robust.rma for an rma.mv fit: header, variance components, Q test, then the robust part.
        #expect(text.hasPrefix("Multivariate Meta-Analysis Model (k = 56; method: REML)\n\nVariance Components:\n\n"))
        #expect(text.contains("sigma^2.2  0.0327  0.1809     56     no  district/school\n\nTest for Heterogeneity:\nQ(df = 55) = 578.8640, p-val < .0001\n\nNumber of estimates:   56\nNumber of clusters:    11\n"))
        // The model-based results are not repeated: one results table, no fit statistics, no Choices block.
        #expect(text.components(separatedBy: "Model Results:").count == 2)
        #expect(!text.contains("logLik") && !text.contains("Choices:"))
        #expect(text.contains("1) results based on cluster-robust inference (var-cov estimator: CR1,"))
    }

    static func write(_ text: String) throws -> (String, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("robust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("d.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return (file.path, dir)
    }

    @Test func badClustersAreOneSentence() throws {
        let (one, dir1) = try Self.write("yi,vi,study\n0.1,0.01,a\n0.3,0.02,a\n0.2,0.03,a\n")
        defer { try? FileManager.default.removeItem(at: dir1) }
        let single = MetaSwiftCommand.runCapturing(["pool", "--data", one, "--robust", "study"])
        #expect(single.exitCode != 0)
        #expect(single.standardError == "Error: Every effect is in cluster 'a'; cluster-robust inference needs at least two clusters.\n")

        let (missing, dir2) = try Self.write("yi,vi,study\n0.1,0.01,a\n0.3,0.02,\n0.2,0.03,b\n")
        defer { try? FileManager.default.removeItem(at: dir2) }
        let gap = MetaSwiftCommand.runCapturing(["pool", "--data", missing, "--robust", "study"])
        #expect(gap.exitCode != 0)
        #expect(gap.standardError.contains("Row 2, column 'study': the value is missing"))

        let (few, dir3) = try Self.write("yi,vi,study,x\n0.1,0.01,a,1\n0.3,0.02,a,2\n0.2,0.03,b,3\n0.5,0.01,b,5\n")
        defer { try? FileManager.default.removeItem(at: dir3) }
        let tooFew = MetaSwiftCommand.runCapturing(["pool", "--data", few, "--mods", "x", "--robust", "study"])
        #expect(tooFew.exitCode != 0)
        #expect(tooFew.standardError == "Error: Cluster-robust inference with 2 coefficients needs more than 2 clusters; found 2.\n")

        let sparse = MetaSwiftCommand.runCapturing(["pool", "--data", Self.bank.deletingLastPathComponent().appendingPathComponent("Bank/data/bcg.csv").path,
                                                    "--measure", "OR", "--method", "MH", "--robust", "alloc"])
        #expect(sparse.exitCode != 0)
        #expect(sparse.standardError == "Error: Option --robust: expected an inverse-variance model (a tau^2 method, not MH, PETO or GLMM); found 'alloc'.\n")

        let noCluster = MetaSwiftCommand.runCapturing(["pool", "--data", few, "--small-sample", "CR2"])
        #expect(noCluster.exitCode != 0)
        #expect(noCluster.standardError.contains("--small-sample needs --robust COLUMN."))
    }
}
