import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift network` run in-process on the network cases of the multilevel bank (metafor 5.1-12's rma.mv network
/// models): the bundled arm-level hasselblad1998 and the stored contrasts with their V
/// (senn2013); reference values are the cases' `expected_tight`, read from the case files.
@Suite("metaswift network")
struct NetworkCommandTests {
    static let bank = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/BankMV")

    static func bankCase(_ name: String) throws -> [String: Any] {
        let url = bank.appendingPathComponent("cases/rma_mv_network/\(name).json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    static func temporary(_ text: String, _ stem: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(stem)-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func close(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return false }
        return abs(a - b) <= 1e-7 * max(abs(b), 1e-3)
    }

    @Test func armLevelConsistencyModelMatchesTheBank() throws {
        // The bundled arm-level copy of the bank's hasselblad1998 (Datasets/classic/hasselblad1998.csv).
        let path = Self.bank.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Datasets/classic/hasselblad1998.csv").path
        let r = MetaSwiftCommand.runCapturing(["network", "--data", path, "--treatment", "trt", "--measure", "OR", "--to", "all",
                                               "--reference", "no_contact", "--format", "json"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        let e = try #require(try Self.bankCase("hasselblad1998_nma_RE_CS_rho0.5_REML_z")["expected_tight"] as? [String: Any])
        #expect(j["treatments"] as? [String] == ["no_contact", "grp_counseling", "ind_counseling", "self_help"])
        let names = j["coef_names"] as? [String] ?? [], beta = j["beta"] as? [Double] ?? []
        for (name, value) in zip(e["coef_names"] as? [String] ?? [], e["beta"] as? [Double] ?? []) {
            #expect(Self.close(names.firstIndex(of: name).map { beta[$0] }, value), "beta \(name)")
        }
        #expect(Self.close((j["tau2"] as? [Double])?.first, (e["tau2"] as? [Double])?.first))
        // Every pairwise effect with CI and PI, matched by label (either direction).
        let mine = try #require(j["pairwise"] as? [String: Any]), theirs = try #require(e["pairwise"] as? [String: Any])
        let labels = mine["labels"] as? [String] ?? []
        #expect(labels.count == 6)
        for (i, label) in (theirs["labels"] as? [String] ?? []).enumerated() {
            let parts = label.components(separatedBy: " - ")
            let same = labels.firstIndex(of: label), flipped = labels.firstIndex(of: "\(parts[1]) - \(parts[0])")
            let at = try #require(same ?? flipped, "\(label)")
            let sign = same != nil ? 1.0 : -1.0
            let pred = (mine["pred"] as? [Double] ?? [])[at] * sign
            #expect(Self.close(pred, (theirs["pred"] as? [Double])?[i]), "\(label)")
            #expect(Self.close((mine["se"] as? [Double])?[at], (theirs["se"] as? [Double])?[i]), "\(label)")
            let (lo, hi) = sign > 0 ? ("pi_lb", "pi_ub") : ("pi_ub", "pi_lb")
            #expect(Self.close(((mine[lo] as? [Double]) ?? [])[at] * sign, (theirs["pi_lb"] as? [Double])?[i]), "\(label)")
            #expect(Self.close(((mine[hi] as? [Double]) ?? [])[at] * sign, (theirs["pi_ub"] as? [Double])?[i]), "\(label)")
        }
        let q = try #require(j["Q_decomposition"] as? [String: Any])
        #expect(Self.close((q["total"] as? [String: Any])?["Q"] as? Double, e["QE"] as? Double))
    }

    @Test func contrastsWithCovarianceFileAndTextLayout() throws {
        let c = try Self.bankCase("senn2013_nma_EE")
        let blocks = try #require(((c["options"] as? [String: Any])?["V"] as? [String: Any])?["blocks"] as? [[String: Any]])
        var csv = "row1,row2,cov\n"
        for b in blocks {
            let rows = b["rows"] as? [Int] ?? [], m = b["matrix"] as? [[Double]] ?? []
            for a in rows.indices { for d in rows.indices where d >= a { csv += "\(rows[a]),\(rows[d]),\(m[d][a].description)\n" } }
        }
        let v = try Self.temporary(csv, "network-V")
        defer { try? FileManager.default.removeItem(atPath: v) }
        let data = Self.bank.appendingPathComponent("data/senn2013.csv").path
        let args = ["network", "--data", data, "--treatment1", "treatment1", "--treatment2", "treatment2", "--measure", "GEN",
                    "--V", v, "--reference", "placebo", "--model", "common"]
        let r = MetaSwiftCommand.runCapturing(args + ["--format", "json"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        let e = try #require(c["expected_tight"] as? [String: Any])
        let names = j["coef_names"] as? [String] ?? [], beta = j["beta"] as? [Double] ?? [], se = j["se"] as? [Double] ?? []
        for (k, name) in (e["coef_names"] as? [String] ?? []).enumerated() {
            let at = try #require(names.firstIndex(of: name))
            #expect(Self.close(beta[at], (e["beta"] as? [Double])?[k]) && Self.close(se[at], (e["se"] as? [Double])?[k]), "\(name)")
        }
        #expect(Self.close(j["QE"] as? Double, e["QE"] as? Double))
        #expect((j["pairwise"] as? [String: Any])?["labels"].map { ($0 as? [String])?.count } == 45)
        let text = MetaSwiftCommand.runCapturing(args)
        #expect(text.exitCode == 0)
        #expect(text.standardOutput.hasPrefix("Network Meta-Analysis (k = 27 contrasts, 10 treatments; model: common; method: REML)\n"))
        #expect(text.standardOutput.contains("League table (row minus column, estimate [CI]):"))
        #expect(text.standardOutput.contains("Test for heterogeneity and inconsistency (equal-effects Q decomposition):"))
        #expect(text.standardOutput.contains("\nTreatment effects against 'placebo' (GEN):\n"))
    }

    @Test func badInputIsOneTypedSentence() throws {
        let disconnected = try Self.temporary("study,trt,xi,ni\n1,A,3,20\n1,B,5,20\n2,C,4,20\n2,D,6,20\n", "network-bad")
        defer { try? FileManager.default.removeItem(atPath: disconnected) }
        let r = MetaSwiftCommand.runCapturing(["network", "--data", disconnected, "--treatment", "trt", "--measure", "OR"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.contains("The network is not connected: no chain of comparisons links 'C', 'D' to the reference 'A'"), "\(r.standardError)")
        let oneArm = try Self.temporary("study,trt,xi,ni\n1,A,3,20\n1,B,5,20\n2,C,4,20\n", "network-bad")
        defer { try? FileManager.default.removeItem(atPath: oneArm) }
        let o = MetaSwiftCommand.runCapturing(["network", "--data", oneArm, "--treatment", "trt", "--measure", "OR"])
        #expect(o.exitCode != 0 && o.standardError.contains("Study '2' has a single treatment"), "\(o.standardError)")
        let badCount = MetaSwiftCommand.runCapturing(["network", "--data", oneArm, "--treatment", "trt", "--measure", "SMD"])
        #expect(badCount.exitCode != 0 && badCount.standardError.contains("The measure SMD cannot be computed from arm-level data"), "\(badCount.standardError)")
        let contrasts = try Self.temporary("study,t1,t2,yi,vi\n1,A,B,0.1,0.01\n1,A,C,0.2,0.02\n2,B,C,0.3,0.02\n", "network-bad")
        defer { try? FileManager.default.removeItem(atPath: contrasts) }
        let noV = MetaSwiftCommand.runCapturing(["network", "--data", contrasts, "--treatment1", "t1", "--treatment2", "t2", "--measure", "GEN"])
        #expect(noV.exitCode != 0 && noV.standardError.contains("study '1' has 2 contrasts (rows 1, 2)"), "\(noV.standardError)")
        let unknown = MetaSwiftCommand.runCapturing(["network", "--data", disconnected, "--treatment", "trt", "--measure", "OR", "--reference", "Z"])
        #expect(unknown.exitCode != 0 && unknown.standardError.contains("The reference treatment 'Z' is not in the data; expected one of 'A', 'B', 'C', 'D'."), "\(unknown.standardError)")
    }
}
