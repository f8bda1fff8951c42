import Foundation
import MetaSwiftCLI
import Testing

/// `--drop00` / `--no-drop00` for `pool --method MH|PETO|GLMM`, and GLMM diagnostics in JSON.
///
/// metafor's `rma.mh`/`rma.peto`/`rma.glmm` default to `drop00 = TRUE`, which (scalar) only decides whether a
/// double-zero study gets an escalc `yi`/`vi` (metafor's `?rma.mh`: the first element of `drop00` is for escalc, the
/// second, default FALSE, for the MH method itself). So a double-zero table never moves the MH/Peto estimate, but
/// with `drop00 = FALSE` it enters Q's degrees of freedom (`k_yi`), Q itself (MH: its corrected yi; Peto: nothing,
/// its Vᵢ = 0), I² and H². Reference values: metafor 3.8-1 (R 4.2.2) on the bank's nielweise2007 data, whose
/// study 15 (Yucel 2004, 0/118 vs 0/105) is double-zero:
/// `rma.mh(ai=ai, n1i=n1i, ci=ci, n2i=n2i, data=dat, measure=m, drop00=d)`, `rma.peto(..., drop00=d)`,
/// `rma.glmm(..., measure="OR", model=mo, drop00=d)`.
@Suite("metaswift pool --method MH|PETO|GLMM --drop00/--no-drop00")
struct PoolSparseDrop00CommandTests {
    static let nielweise2007 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data/nielweise2007.csv").path

    static func run(_ arguments: [String]) throws -> [String: Any] {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", nielweise2007, "--format", "json"] + arguments)
        try #require(r.exitCode == 0, "\(arguments): \(r.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    static func close(_ a: Any?, _ b: Double, _ rel: Double = 1e-10) -> Bool {
        guard let a = a as? Double else { return false }
        return abs(a - b) <= rel * abs(b) || abs(a - b) <= 1e-13
    }

    static func drop00Option(_ json: [String: Any]) -> String? {
        ((json["provenance"] as? [String: Any])?["options"] as? [String: String])?["drop00"]
    }

    /// (measure, drop00) → k_yi, beta, QE, QEp, I2, H2 from metafor.
    static let mantelHaenszel: [(String, Bool, Int, Double, Double, Double, Double, Double)] = [
        ("OR", true, 17, -1.2087048327337668, 16.86365729112336, 0.39447239897694719, 5.1214115432597724, 1.05397858069521),
        ("OR", false, 18, -1.2087048327337668, 17.160717254476516, 0.44352989361434608, 0.93654159143372562, 1.0094539561456775),
        ("RD", true, 17, -0.024262187444724498, 56.251413939655677, 2.2115131981613379e-06, 71.556270537191878, 3.5157133712284798),
        ("RD", false, 18, -0.024262187444724498, 63.349161345916606, 2.9131507537029593e-07, 73.16460133201781, 3.7264212556421534),
        ("RR", false, 18, -1.1777719441845285, 16.671418883942163, 0.47683365154538304, 0, 0.9806716990554214),
    ]

    @Test("MH: --no-drop00 gives the double-zero study an escalc value, as metafor's drop00 = FALSE",
          arguments: mantelHaenszel.indices)
    func mantelHaenszelDrop00(_ index: Int) throws {
        let (measure, drop00, kyi, beta, qe, qep, i2, h2) = Self.mantelHaenszel[index]
        let json = try Self.run(["--method", "MH", "--measure", measure] + (drop00 ? [] : ["--no-drop00"]))
        #expect(json["k"] as? Int == 18 && json["k_yi"] as? Int == kyi)
        #expect(Self.close(json["beta"], beta) && Self.close(json["QE"], qe) && Self.close(json["QEp"], qep))
        #expect(Self.close(json["I2"], i2) && Self.close(json["H2"], h2), "\(measure) drop00=\(drop00): I2 \(json["I2"] ?? "nil")")
        #expect(Self.drop00Option(json) == String(drop00))
        let yi = try #require(json["yi"] as? [Any])
        #expect((yi[14] is NSNull) == drop00, "study 15's yi: \(yi[14])")
    }

    @Test("MH: --drop00 is the default, stated in the provenance")
    func mantelHaenszelExplicitDrop00() throws {
        let implicit = try Self.run(["--method", "MH", "--measure", "OR"])
        let explicit = try Self.run(["--method", "MH", "--measure", "OR", "--drop00"])
        #expect(Self.drop00Option(implicit) == "true" && Self.drop00Option(explicit) == "true")
        #expect(implicit["QE"] as? Double == explicit["QE"] as? Double && explicit["k_yi"] as? Int == 17)
    }

    @Test("Peto: --no-drop00 adds a degree of freedom to Q, not to Q itself (metafor's rma.peto)")
    func petoDrop00() throws {
        let dropped = try Self.run(["--method", "PETO", "--measure", "OR"])
        let kept = try Self.run(["--method", "PETO", "--measure", "OR", "--no-drop00"])
        #expect(dropped["k_yi"] as? Int == 17 && kept["k_yi"] as? Int == 18)
        for json in [dropped, kept] {
            #expect(Self.close(json["beta"], -1.1057449467630107) && Self.close(json["QE"], 18.734509286125217))
        }
        #expect(Self.close(dropped["I2"], 14.596108413420763) && Self.close(kept["I2"], 9.2583651892595604))
    }

    @Test("GLMM: --no-drop00 keeps the double-zero study in k; it carries no information about (beta, tau2)",
          arguments: ["UM.FS", "CM.EL"])
    func glmmDrop00(_ model: String) throws {
        let dropped = try Self.run(["--method", "GLMM", "--measure", "OR", "--model", model])
        let kept = try Self.run(["--method", "GLMM", "--measure", "OR", "--model", model, "--no-drop00"])
        #expect(dropped["k"] as? Int == 17 && kept["k"] as? Int == 18)
        #expect(Self.drop00Option(kept) == "false")
        let beta = try #require(dropped["beta"] as? Double), tau2 = try #require(dropped["tau2"] as? Double)
        #expect(Self.close(kept["beta"], beta, 1e-8) && Self.close(kept["tau2"], tau2, 1e-7))
        // metafor: I2 from the escalc values, now 18 of them (UM.FS 23.559 with lme4's tau2, CM.EL 40.07171355).
        if model == "CM.EL" { #expect(Self.close(kept["I2"], 40.07171355, 1e-5)) }  // GLMM tolerance (DESIGN.md §3)
        // UM.FS has one more fixed study intercept: AIC + 2 (metafor: 137.0372557 → 139.0345186).
        let aic = { (j: [String: Any]) in ((j["fit_stats"] as? [String: Any])?["ML"] as? [String: Any])?["AIC"] as? Double }
        let difference = try #require(aic(kept)) - (try #require(aic(dropped)))
        #expect(abs(difference - (model == "UM.FS" ? 2 : 0)) < 1e-6)
    }

    @Test("GLMM JSON diagnostics name the quadrature, the iterations and the final gradient norm")
    func glmmDiagnosticsInJSON() throws {
        for model in ["UM.FS", "CM.EL"] {
            let json = try Self.run(["--method", "GLMM", "--measure", "OR", "--model", model])
            let d = try #require(json["diagnostics"] as? [String: Any])
            let points = model == "UM.FS" ? 7 : 41
            #expect(d["quadrature"] as? String == "adaptive Gauss-Hermite, \(points) points")
            #expect(d["quadrature_points"] as? Int == points)
            let iterations = try #require(d["iterations"] as? Int)
            #expect(iterations > 0 && iterations < 200)
            let gradient = try #require(d["gradient_norm"] as? Double)
            #expect(gradient >= 0 && gradient < 1e-5)
            #expect(d["tau2_on_boundary"] as? Bool == false)
        }
        let laplace = try Self.run(["--method", "GLMM", "--measure", "OR", "--quadrature-points", "1"])
        let d = try #require(laplace["diagnostics"] as? [String: Any])
        #expect(d["quadrature_points"] as? Int == 1)
    }

    @Test("escalc --drop00 keeps its meaning; --no-drop00 is escalc's default")
    func escalcDrop00Unchanged() throws {
        func yi15(_ extra: [String]) throws -> Any {
            let r = MetaSwiftCommand.runCapturing(["escalc", "--data", Self.nielweise2007, "--measure", "OR", "--format", "json"] + extra)
            try #require(r.exitCode == 0, "\(r.standardError)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
            return try #require((json["yi"] as? [Any])?[14])
        }
        #expect(try yi15(["--drop00"]) is NSNull)
        // Without --drop00 escalc corrects the double-zero table (add 1/2, to only0) and reports a value.
        #expect(try yi15([]) is Double)
        #expect(try yi15(["--no-drop00"]) as? Double == (try yi15([])) as? Double)
    }

    /// All-zero data (every table double-zero). metafor 3.8-1: `rma.mh` returns NA for OR and RR and an RD of 0 with
    /// SE 0 (a degenerate, zero-width CI), `rma.peto` stops ("One of the two outcomes never occurred in any of the
    /// tables"), `rma.glmm` stops ("Processing terminated since k = 0"). MetaSwift gives a typed one-sentence error
    /// for all of them, with either drop00 setting: no estimate is defined.
    @Test("all-zero tables: a one-sentence error from every sparse method, with or without drop00")
    func allZero() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("all-zero-\(UUID().uuidString).csv").path
        try "study,ai,n1i,ci,n2i\nA,0,50,0,52\nB,0,40,0,38\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let runs: [[String]] = [["MH", "OR"], ["MH", "RR"], ["MH", "RD"], ["PETO", "OR"], ["GLMM", "OR", "UM.FS"], ["GLMM", "OR", "CM.EL"]]
        for run in runs {
            for flag in ["--drop00", "--no-drop00"] {
                var arguments = ["pool", "--data", path, "--method", run[0], "--measure", run[1], flag]
                if run.count == 3 { arguments += ["--model", run[2]] }
                let r = MetaSwiftCommand.runCapturing(arguments)
                #expect(r.exitCode != 0, "\(arguments)")
                #expect(r.standardError.hasPrefix("Error: ") && r.standardError.split(separator: "\n").count == 1,
                        "\(arguments): \(r.standardError)")
                #expect(r.standardOutput.isEmpty)
                if run[0] == "GLMM", flag == "--no-drop00" {
                    #expect(r.standardError.contains("no study has both events and non-events"), "\(r.standardError)")
                }
            }
        }
    }
}
