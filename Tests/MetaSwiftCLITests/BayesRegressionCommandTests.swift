import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift bayes --mods` (bayesmeta's bmr) and `bayes --plot`.
@Suite("metaswift bayes: meta-regression and plots")
struct BayesRegressionCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let crins = root.appendingPathComponent("Tests/ConformanceTests/BankV5b/data/crins2014_ar.csv").path
    static let hinks = root.appendingPathComponent("Tests/ConformanceTests/BankV5b/data/hinks2010.csv").path

    /// Crins et al. (2014), acute rejection on daclizumab (bank v5b, bmr_crins2014_ar_x_dac_hn0.5, expected_tight).
    @Test func regressionMatchesTheBank() throws {
        let r = MetaSwiftCommand.runCapturing(["bayes", "--data", Self.crins, "--measure", "OR", "--mods", "dac",
                                               "--predict", "dac=1", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        #expect(json["beta_names"] as? [String] == ["intrcpt", "dac"])
        let summary = json["summary"] as? [String: [String: Double]]
        let dac = try #require(summary?["dac"]?["median"]), tau = try #require(summary?["tau"]?["median"])
        #expect(abs(dac - -1.0245857688845843) <= 1e-7 * 1.03)
        #expect(abs(tau - 0.2975462109708018) <= 1e-7 * 0.3)
        let prediction = try #require((json["predictions"] as? [[String: Any]])?.first)
        #expect(prediction["at"] as? String == "dac=1")
        let mean = try #require((prediction["mean"] as? [String: Any])?["mean"] as? Double)
        #expect(abs(mean - -2.307204885710583) <= 1e-7 * 2.31)
        let options = (json["provenance"] as? [String: Any])?["options"] as? [String: String]
        #expect(options?["mods"] == "dac" && options?["beta-prior"] == "uniform")
    }

    @Test func regressionTableAndCSV() throws {
        let table = MetaSwiftCommand.runCapturing(["bayes", "--data", Self.crins, "--measure", "OR", "--mods", "dac", "--predict", "dac=0"])
        #expect(table.exitCode == 0, "\(table.standardError)")
        for bit in ["Bayesian random-effects meta-regression", "2 regression coefficients:", "intrcpt, dac",
                    "regression coefficients' prior (improper):", "predictions (mean effect x'beta, and a new study's effect):", "dac=0"] {
            #expect(table.standardOutput.contains(bit), "table lacks \(bit)")
        }
        let csv = MetaSwiftCommand.runCapturing(["bayes", "--data", Self.crins, "--measure", "OR", "--mods", "dac",
                                                 "--beta-prior", "normal:10", "--format", "csv"])
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(lines.count == 1 + 3 + 6)
        #expect(lines.dropFirst().map { $0.split(separator: ",").first } .prefix(3) == ["tau", "intrcpt", "dac"])
    }

    @Test func regressionOptionsThatDoNotFit() throws {
        let cases: [([String], String)] = [
            (["--beta-prior", "normal:1"], "--beta-prior"),
            (["--mods", "dac", "--mu-prior", "normal:0:4"], "--mu-prior"),
            (["--mods", "dac", "--beta-prior", "normal:-1"], "--beta-prior"),
            (["--mods", "dac", "--plot", "joint"], "--plot"),
            (["--subgroup", "dac"], "--subgroup"),
            (["--mods", "dac", "--tau-prior", "turner:blood pressure:pharmacological vs. placebo / control"], "outcome type"),
        ]
        for (extra, named) in cases {
            let r = MetaSwiftCommand.runCapturing(["bayes", "--data", Self.crins, "--measure", "OR"] + extra)
            #expect(r.exitCode != 0, "\(extra) should fail")
            #expect(r.standardError.contains(named), "\(extra): \(r.standardError)")
        }
        // k = 3 studies, an intercept and a covariate, and the improper uniform tau prior: p(y | tau) decays like
        // tau^-(k-2), too slowly for a flat prior, so this is refused, naming a proper prior.
        let two = FileManager.default.temporaryDirectory.appendingPathComponent("bayes-three-\(UUID().uuidString).csv").path
        try "study,yi,sei,x\nA,0.1,0.2,0\nB,0.5,0.3,1\nC,0.2,0.25,2\n".write(toFile: two, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: two) }
        let r = MetaSwiftCommand.runCapturing(["bayes", "--data", two, "--mods", "x", "--tau-prior", "uniform"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.contains("improper posterior; use a proper prior on tau"), "\(r.standardError)")
    }

    @Test(arguments: ["joint", "tau", "mu", "forest"])
    func plotsAreSVG(kind: String) throws {
        let r = MetaSwiftCommand.runCapturing(["bayes", "--data", Self.hinks, "--plot", kind])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.hasPrefix("<?xml"))
        #expect(r.standardOutput.hasSuffix("</svg>\n"))
        let part = ["joint": "class=\"contour\"", "tau": "class=\"density overlay\"", "mu": "class=\"credible-interval\"",
                    "forest": "class=\"secondary-ci\""][kind]!
        #expect(r.standardOutput.contains(part), "\(kind) plot lacks \(part)")
    }

    @Test func plotTakesTheFigureSizeAndFontOptions() throws {
        let plain = MetaSwiftCommand.runCapturing(["bayes", "--data", Self.hinks, "--plot", "tau"])
        let large = MetaSwiftCommand.runCapturing(["bayes", "--data", Self.hinks, "--plot", "tau", "--font-size", "14"])
        try #require(plain.exitCode == 0 && large.exitCode == 0, "\(large.standardError)")
        #expect(plain.standardOutput.contains("font-size=\"11\"") && large.standardOutput.contains("font-size=\"14\""))
        #expect(!large.standardOutput.contains("font-size=\"11\""))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bayes-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let png = MetaSwiftCommand.runCapturing(["bayes", "--data", Self.hinks, "--plot", "mu", "--out", path,
                                                 "--width", "4in", "--height", "3in", "--dpi", "100"])
        try #require(png.exitCode == 0, "\(png.standardError)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func bigEndian(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(Array(bytes[12..<16]) == Array("IHDR".utf8) && bigEndian(16) == 400 && bigEndian(20) == 300)
        for (extra, sentence) in [(["--width", "4in"], "--width, --height, --dpi and --font-size apply to --plot."),
                                  (["--plot", "tau", "--dpi", "100"], "--width, --height and --dpi apply to PDF and PNG output"),
                                  (["--plot", "tau", "--font-size", "100"], "Option --font-size: expected a size between 4 and 48 pixels")] {
            let r = MetaSwiftCommand.runCapturing(["bayes", "--data", Self.hinks] + extra)
            #expect(r.exitCode != 0 && r.standardError.contains(sentence), "\(extra): \(r.standardError)")
        }
    }
}
