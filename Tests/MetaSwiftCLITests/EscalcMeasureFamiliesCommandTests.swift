import Foundation
import MetaAnalysis
import MetaSwiftCLI
import Testing

/// The escalc measures beyond the original 22 (issue 18): listed in `escalc --help` by family, computed through the
/// CLI with metafor's per-measure defaults (`add`, `correct`), and refused with one typed sentence naming row,
/// column or option for bad input.
@Suite("metaswift escalc: every measure family")
struct EscalcMeasureFamiliesCommandTests {
    static let bank = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data")

    static func csv(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("escalc-families-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func json(_ r: CommandLineResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    @Test func helpListsEveryMeasureCode() {
        let r = MetaSwiftCommand.runCapturing(["escalc", "--help"])
        #expect(r.exitCode == 0)
        let words = Set(r.standardOutput.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        for measure in EffectMeasure.allCases {
            #expect(words.contains(measure.rawValue), "escalc --help does not list \(measure.rawValue)")
        }
        #expect(r.standardOutput.contains("--no-bias-correction"))
    }

    /// bonett2010, first study (alpha 0.93, 20 items, n 103): metafor 5.1-12 gives ABT yi 2.659260036932779,
    /// vi 0.020844189682126108 (bank case escalc_extra/bonett2010_ABT).
    @Test func reliabilityMeasureMatchesTheBank() throws {
        let r = MetaSwiftCommand.runCapturing(["escalc", "--measure", "ABT", "--data", Self.bank.appendingPathComponent("bonett2010.csv").path,
                                               "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let j = try Self.json(r)
        let yi = try #require(j["yi"] as? [Double]), vi = try #require(j["vi"] as? [Double])
        #expect(abs(yi[0] - 2.659260036932779) <= 1e-10 * 2.659260036932779)
        #expect(abs(vi[0] - 0.020844189682126108) <= 1e-10 * 0.020844189682126108)
    }

    /// normand1999 arm 1, first study: SMN 1.1645028616161248 with the correction, 55/47 = 1.1702127659574468
    /// without (bank cases normand1999_SMN_arm1 and _nocorrect).
    @Test func noBiasCorrectionIsMetaforsCorrectFalse() throws {
        let data = Self.bank.appendingPathComponent("normand1999.csv").path
        let base = ["escalc", "--measure", "SMN", "--data", data, "--map", "mi=m1i", "--map", "sdi=sd1i", "--map", "ni=n1i",
                    "--format", "json"]
        let corrected = MetaSwiftCommand.runCapturing(base)
        let raw = MetaSwiftCommand.runCapturing(base + ["--no-bias-correction"])
        #expect(corrected.exitCode == 0 && raw.exitCode == 0, "\(corrected.standardError) \(raw.standardError)")
        let y1 = try #require(try Self.json(corrected)["yi"] as? [Double]), y0 = try #require(try Self.json(raw)["yi"] as? [Double])
        #expect(abs(y1[0] - 1.1645028616161248) <= 1e-10 * 1.1645028616161248)
        #expect(abs(y0[0] - 55.0 / 47.0) <= 1e-12)
        #expect(raw.standardOutput.contains("\"correct\": \"false\""))
    }

    /// PHI takes no continuity correction unless --add is given (metafor's default add = 0 for PHI): a table with a
    /// zero cell gives φ = (ad − bc)/√(n1 n2 m1 m2) of the raw counts.
    @Test func phiDefaultsToNoCorrection() throws {
        let path = try Self.csv("ai,bi,ci,di\n0,10,5,5\n")
        let r = MetaSwiftCommand.runCapturing(["escalc", "--measure", "PHI", "--data", path, "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let yi = try #require(try Self.json(r)["yi"] as? [Double])
        #expect(abs(yi[0] - (-50.0 / (10 * 10 * 5 * 15 as Double).squareRoot())) <= 1e-14)
        #expect(r.standardOutput.contains("\"add\": \"0\""))
    }

    @Test func badInputIsOneTypedSentence() throws {
        let cases: [([String], String, [String])] = [
            (["--measure", "MN"], "mi,sdi,ni\n1,2,10\n1,-2,10\n", ["Row 2", "sdi"]),
            (["--measure", "PCOR"], "ti,ni,mi\n2,10,9\n", ["Row 1", "ni", "mi"]),
            (["--measure", "ARAW"], "ai,mi,ni\n1.2,10,50\n", ["Row 1", "ai"]),
            (["--measure", "MPRD"], "ai,bi,ci,di\n0,0,0,0\n", ["Row 1", "no pairs"]),
            (["--measure", "UCOR"], "ri,ni\n0.3,4\n", ["Row 1", "ni"]),
            (["--measure", "R2"], "r2i,mi,ni\n1.5,2,50\n", ["Row 1", "r2i"]),
            (["--measure", "OR", "--vtype", "CS"], "ai,bi,ci,di\n1,2,3,4\n", ["vtype", "LS or AV or H0"]),
            (["--measure", "CVR"], "m1i,sd1i,n1i,m2i,sd2i,n2i\n1,1,10,-1,1,10\n", ["Row 1", "m2i"]),
        ]
        for (options, text, fragments) in cases {
            let r = MetaSwiftCommand.runCapturing(["escalc", "--data", try Self.csv(text)] + options)
            #expect(r.exitCode != 0, "\(options) should fail")
            let lines = r.standardError.split(separator: "\n")
            #expect(lines.count == 1 && r.standardError.hasPrefix("Error: "), "\(options): \(r.standardError)")
            for f in fragments { #expect(r.standardError.contains(f), "\(options): '\(f)' missing from \(r.standardError)") }
        }
    }
}
