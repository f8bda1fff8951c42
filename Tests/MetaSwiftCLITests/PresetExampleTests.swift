import Foundation
import MetaSwiftCLI
import Testing

/// Issue 23's preset example: `pool --preset revman5` on Fleiss (1993) as printed in the README and the DocC article
/// "Reproducing other tools' numbers", recomputed here so the published numbers stay what the CLI prints.
@Suite("Preset example in README and DocC")
struct PresetExampleTests {
    @Test func documentedRevManNumbersAreWhatTheCLIPrints() throws {
        let data = FewStudiesExampleTests.root.appendingPathComponent("Tests/ConformanceTests/BankV5b/data/fleiss1993bin.csv").path
        let j = try FewStudiesExampleTests.json(["pool", "--measure", "OR", "--method", "MH", "--preset", "revman5", "--data", data])
        let common = try #require(j["common"] as? [String: Any])
        let te = try #require(common["TE"] as? Double), lower = try #require(common["lower"] as? Double)
        let upper = try #require(common["upper"] as? Double)
        let q = try #require(j["Q"] as? Double), df = try #require(j["df_Q"] as? Int), i2 = try #require(j["I2"] as? Double)
        let text = FewStudiesExampleTests.text
        let ratio = "OR \(text(exp(te))) [\(text(exp(lower))), \(text(exp(upper)))]"
        let heterogeneity = "Q \(text(q)) on \(df) df and I² \(String(format: "%.2f", 100 * i2)) %"
        // RevMan 5's printed OR 0.89686556 [0.8405144, 0.95699471], Q 9.94605598, I² 39.67458046 %, to the digits shown.
        #expect(ratio == "OR 0.8969 [0.8405, 0.9570]" && heterogeneity == "Q 9.9461 on 6 df and I² 39.67 %")
        let logScale = "−0.1088 with 95 % CI −0.1737 to −0.0440"
        #expect("\(text(te)) with 95 % CI \(text(lower)) to \(text(upper))" == logScale)
        for path in ["README.md", "Sources/MetaAnalysis/MetaAnalysis.docc/OtherToolsConventions.md"] {
            let document = try String(contentsOf: FewStudiesExampleTests.root.appendingPathComponent(path), encoding: .utf8)
                .replacingOccurrences(of: "\n", with: " ")
            #expect(document.contains(ratio) && document.contains(heterogeneity), "\(path) lacks \(ratio) / \(heterogeneity)")
            #expect(document.contains(text(te)) && document.contains(text(lower)) && document.contains(text(upper)), "\(path)")
        }
    }
}
