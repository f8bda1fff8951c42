import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift pool --data FILE.rm5 --comparison N --outcome M`: a RevMan review pooled directly, without an import step.
@Suite("metaswift pool --data FILE.rm5")
struct PoolRevManCommandTests {
    static let rm5 = ImportRevManCommandTests.rm5

    /// RevMan's own pooled row of outcome 1.1 (Fleiss 1993, aspirin after myocardial infarction; the review file's
    /// TOTAL_* attributes): MH fixed-effect OR 0.89686556 [0.8405144, 0.95699471], χ² 9.94605598 (df 6), I² 39.67 %.
    @Test func reproducesRevMansPooledRow() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.rm5, "--comparison", "1", "--outcome", "1",
                                               "--measure", "OR", "--method", "MH", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        let ratio = try #require(json["predict_transf"] as? [String: Any])
        // RevMan prints eight significant digits.
        func close(_ x: Any?, _ expected: Double) -> Bool {
            guard let x = x as? Double else { return false }
            return abs(x - expected) <= 5e-8 * abs(expected)
        }
        #expect(close(ratio["pred"], 0.89686556))
        #expect(close(ratio["ci_lb"], 0.8405144))
        #expect(close(ratio["ci_ub"], 0.95699471))
        #expect(close(json["QE"], 9.94605598))
        #expect(abs((json["I2"] as? Double ?? 0) - 39.67) < 0.005)
        #expect(json["k"] as? Int == 7)
    }

    @Test func choosingTheOutcomeIsRequiredAndChecked() {
        let several = MetaSwiftCommand.runCapturing(["pool", "--data", Self.rm5, "--measure", "OR"])
        #expect(several.exitCode != 0)
        #expect(several.standardError.contains("choose one with --comparison N --outcome M"))
        // The outcome's measure is not guessed: the sentence names the options RevMan's analysis needs.
        let noMeasure = MetaSwiftCommand.runCapturing(["pool", "--data", Self.rm5, "--comparison", "1", "--outcome", "1"])
        #expect(noMeasure.standardError == "Error: Option --measure: expected the measure of the RevMan outcome (--measure OR --method MH reproduces RevMan's analysis); found 'GEN'.\n")
        let csv = MetaSwiftCommand.runCapturing(["pool", "--data", ImportRevManCommandTests.csv, "--comparison", "1"])
        #expect(csv.standardError.hasPrefix("Error: Option --comparison: expected a RevMan 5 review as --data (FILE.rm5)"))
    }

    /// The continuous outcome 1.2 (IV SMD fixed) pools with the options `import revman` prints.
    @Test func continuousOutcomeReadsMeansAndSDs() {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", Self.rm5, "--comparison", "1", "--outcome", "2",
                                               "--measure", "SMD", "--method", "EE", "--test", "z"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.contains("(k = 5)"))
    }
}
