import Foundation
import MetaSwiftCLI
import Testing

/// Issue 23's documentation example (k = 3, Hinks et al. 2010): the frequentist (REML with Knapp–Hartung and with z)
/// and Bayesian (half-normal(0.5) prior on τ) answers, recomputed here and checked against the table printed in the
/// README and in the DocC article, so the published numbers stay true.
@Suite("Few-study example in README and DocC")
struct FewStudiesExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let data = root.appendingPathComponent("Tests/ConformanceTests/BankV5b/data/hinks2010.csv").path

    /// Four decimals with the typographic minus the documents use.
    static func text(_ x: Double) -> String {
        let s = String(format: "%.4f", x)
        return s == "-0.0000" ? "0.0000" : s.replacingOccurrences(of: "-", with: "−")
    }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = MetaSwiftCommand.runCapturing(arguments + ["--format", "json"])
        #expect(r.exitCode == 0, "\(arguments): \(r.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    static func frequentistRow(_ j: [String: Any]) throws -> String {
        let beta = try #require(j["beta"] as? Double), lower = try #require(j["ci_lb"] as? Double), upper = try #require(j["ci_ub"] as? Double)
        let predict = try #require(j["predict"] as? [String: Any])
        let piLower = try #require(predict["pi_lb"] as? Double), piUpper = try #require(predict["pi_ub"] as? Double)
        let tau = try #require(j["tau"] as? Double)
        return "| \(text(beta)) | \(text(lower)) to \(text(upper)) | \(text(piLower)) to \(text(piUpper)) | \(tau == 0 ? "0" : text(tau)) |"
    }

    @Test func documentedTableIsTrue() throws {
        let knha = try Self.frequentistRow(try Self.json(["pool", "--data", Self.data]))
        let z = try Self.frequentistRow(try Self.json(["pool", "--data", Self.data, "--test", "z"]))
        let bayes = try Self.json(["bayes", "--data", Self.data, "--tau-prior", "half-normal:0.5"])
        let summary = try #require(bayes["summary"] as? [String: [String: Double]])
        let mu = try #require(summary["mu"]), theta = try #require(summary["theta"]), tau = try #require(summary["tau"])
        let bayesian = "| \(Self.text(mu["median"]!)) (median) | \(Self.text(mu["lower95"]!)) to \(Self.text(mu["upper95"]!)) | "
            + "\(Self.text(theta["lower95"]!)) to \(Self.text(theta["upper95"]!)) | \(Self.text(tau["median"]!)) (median) |"
        #expect(knha == "| −0.1914 | −0.3372 to −0.0457 | −0.3372 to −0.0457 | 0 |")
        for path in ["README.md", "Sources/MetaAnalysis/MetaAnalysis.docc/BayesianFewStudies.md"] {
            let document = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            let rows = document.split(separator: "\n").filter { $0.hasPrefix("| ") }
            for (name, row) in [("Knapp–Hartung", knha), ("Wald z", z), ("Bayesian", bayesian)] {
                #expect(rows.contains { $0.contains(name) && $0.hasSuffix(row) }, "\(path): no \(name) row ending \(row)")
            }
        }
    }
}
