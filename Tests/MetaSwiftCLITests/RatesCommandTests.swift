import Foundation
import MetaSwiftCLI
import Testing

@Suite("metaswift rates")
struct RatesCommandTests {
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = MetaSwiftCommand.runCapturing(["rates", "--format", "json"] + arguments)
        #expect(r.exitCode == 0, "\(r.standardError)")
        return try #require(JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    @Test func remissionRatiosAreTheHandComputedOnes() throws {
        let doc = try Self.json(["--outcome", "remission"])
        let comparisons = try #require(doc["comparisons"] as? [[String: Any]])
        // ESCAPE-TRD 91/336 v 60/340 and IRL-GRey 40/91 v 26/90, from outcomes.csv.
        for (ref, a, n1, c, n2) in [(68, 91.0, 336.0, 60.0, 340.0), (85, 40.0, 91.0, 26.0, 90.0)] {
            let cmp = try #require(comparisons.first { ($0["ref"] as? Double) == Double(ref) })
            #expect(cmp["ai"] as? Double == a && cmp["n2i"] as? Double == n2)
            let rr = try #require(cmp["RR"] as? [String: Any])
            #expect(abs((rr["estimate"] as! Double) - (a / n1) / (c / n2)) < 1e-12)
            #expect(abs((rr["vi"] as! Double) - (1 / a - 1 / n1 + 1 / c - 1 / n2)) < 1e-12)
            let or = try #require(cmp["OR"] as? [String: Any])
            #expect(abs((or["estimate"] as! Double) - a * (n2 - c) / ((n1 - a) * c)) < 1e-10)
            let rd = try #require(cmp["RD"] as? [String: Any])
            #expect(abs((rd["estimate"] as! Double) - (a / n1 - c / n2)) < 1e-12)
            let nnt = try #require(cmp["NNT"] as? [String: Any])
            #expect(abs((nnt["value"] as! Double) - 1 / (a / n1 - c / n2)) < 1e-9)
        }
    }

    @Test func perStudyEffectsCarryStudyYiViAndBackTransformedValues() throws {
        let doc = try Self.json(["--outcome", "remission"])
        #expect(doc["model"] as? String == "logit")
        #expect(doc["test"] as? String == "adhoc")
        let pooled = try #require(doc["pooled"] as? [[String: Any]])
        #expect(pooled.count == 1)
        let studies = try #require(pooled.first?["per_study"] as? [[String: Any]])
        // ESCAPE-TRD's quetiapine XR arm (antipsychotic augmentation, 60/340) pools with OPTIMUM's aripiprazole arm.
        let escape = try #require(studies.first { ($0["ref"] as? Double) == 68 })
        #expect(escape["study"] as? String == "Reif 2023 [68]")
        #expect(abs((escape["yi"] as! Double) - log(60.0 / 280.0)) < 1e-12)
        #expect(abs((escape["vi"] as! Double) - (1 / 60.0 + 1 / 280.0)) < 1e-12)
        #expect(abs((escape["pr"] as! Double) - 60.0 / 340.0) < 1e-12)
        let estimates = try #require(pooled.first?["estimates"] as? [[String: Any]])
        #expect(estimates.map { $0["method"] as? String } == ["REML_KH_adhoc", "GLMM", "Bayes_empirical_prior"])
        #expect(estimates.filter { $0["recommended"] as? Bool == true }.map { $0["method"] as? String } == ["Bayes_empirical_prior"])
        let provenance = try #require(doc["provenance"] as? [String: Any])
        #expect((provenance["input"] as? String)?.contains("bundled:trd-review/outcomes.csv") == true)
    }

    @Test func tableNamesStudiesRulesAndMethods() {
        let r = MetaSwiftCommand.runCapturing(["rates", "--outcome", "remission", "--by", "agent"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput.contains("logit random effects (PLO, REML, adhoc)"))
        #expect(r.standardOutput.contains("Lenze 2015 [85]"))
        #expect(r.standardOutput.contains("Reif 2023 [68]"))
        #expect(r.standardOutput.contains("Eligibility rules\n1. Results pool only within one stratum"))
    }

    @Test func freemanTukeyWarnsAndTheGLMMIsTheSensitivityAnalysis() {
        let ft = MetaSwiftCommand.runCapturing(["rates", "--model", "ft"])
        #expect(ft.standardOutput.contains("Schwarzer et al. 2019"))
        let remission = MetaSwiftCommand.runCapturing(["rates", "--outcome", "remission"])
        #expect(remission.standardOutput.contains("binomial-normal GLMM (sensitivity)"))
        #expect(remission.standardOutput.contains("Bayesian, empirical tau prior *"))
    }

    /// k = 1 prints as a study result, never as pooled, in the table and in JSON: ESCAPE-TRD's esketamine arm is
    /// the only glutamatergic remission arm with a denominator.
    @Test(arguments: ["glmm", "logit"])
    func aOneStudyStratumIsAStudyResult(model: String) throws {
        let r = MetaSwiftCommand.runCapturing(["rates", "--outcome", "remission", "--model", model])
        #expect(r.exitCode == 0)
        let table = r.standardOutput
        let results = try #require(table.range(of: "Study results (k = 1: the only study in its stratum; exact Clopper-Pearson 95% CI; not pooled)"))
        let pooled = try #require(table.range(of: "Pooled single-arm remission proportions"))
        let escape = try #require(table.range(of: "Reif 2023 [68]            Esketamine nasal spray"))
        #expect(results.upperBound < escape.lowerBound && escape.lowerBound < pooled.lowerBound)
        #expect(table.contains("91/336  27.1 [22.4, 32.2]"))
        let doc = try Self.json(["--outcome", "remission", "--model", model])
        let studyResults = try #require(doc["study_results"] as? [[String: Any]])
        #expect(studyResults.contains { ($0["ref"] as? Double) == 68 && $0["result"] as? String == "study" && ($0["k"] as? Double) == 1 })
        let pools = try #require(doc["pooled"] as? [[String: Any]])
        #expect(pools.allSatisfy { ($0["k"] as? Double ?? 0) >= 2 })
    }

    @Test func badDataFileIsOneSentence() throws {
        let path = NSTemporaryDirectory() + "bad-outcomes-\(getpid()).csv"
        try "study_ref,arm\n1,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = MetaSwiftCommand.runCapturing(["rates", "--data", path])
        #expect(r.exitCode != 0)
        #expect(r.standardError.hasPrefix("Error: \(path): Column 'sample_group' is missing"))
    }

    /// Issue 16, defect 8: an error in --studies named the --data file, offered --map (rates has none) and put invalid
    /// UTF-8 at "byte 0"; each sentence now names the file it is in, its columns and the byte.
    @Test func errorsNameTheirFileAndByte() throws {
        let bad = NSTemporaryDirectory() + "bad-studies-\(getpid()).csv"
        try "a,b\n1,2\n".write(toFile: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let outcomes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Datasets/trd-review/outcomes.csv").path
        for arguments in [["--studies", bad, "--data", outcomes], ["--studies", bad]] {
            let r = MetaSwiftCommand.runCapturing(["rates"] + arguments)
            ReliabilityCommandTests.expectOneSentenceRefusal(
                r, containing: ["Error: \(bad): Column 'ref' is missing", "(studies.csv)", "the columns are a, b."], "\(arguments)")
            #expect(!r.standardError.contains("--map"), "\(r.standardError)")
        }
        let notUTF8 = try ReliabilityCommandTests.temporaryFile(Array("study_ref,arm\n1,".utf8) + [0xFF] + Array("x\n".utf8), suffix: "csv")
        defer { try? FileManager.default.removeItem(atPath: notUTF8) }
        ReliabilityCommandTests.expectOneSentenceRefusal(MetaSwiftCommand.runCapturing(["rates", "--data", notUTF8]),
            containing: ["Error: \(notUTF8): The input is not valid UTF-8 (byte 16)"], "invalid UTF-8")
    }
}
