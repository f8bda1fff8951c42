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
        let doc = try Self.json([])
        #expect(doc["model"] as? String == "glmm")
        let pooled = try #require(doc["pooled"] as? [[String: Any]])
        let studies = try #require(pooled.first?["per_study"] as? [[String: Any]])
        let murrough = try #require(studies.first { ($0["ref"] as? Double) == 8 })
        #expect(murrough["study"] as? String == "Murrough 2013 [8]")
        #expect(abs((murrough["yi"] as! Double) - log(30.0 / 17.0)) < 1e-12)
        #expect(abs((murrough["vi"] as! Double) - (1 / 30.0 + 1 / 17.0)) < 1e-12)
        #expect(abs((murrough["pr"] as! Double) - 30.0 / 47.0) < 1e-12)
        let provenance = try #require(doc["provenance"] as? [String: Any])
        #expect((provenance["input"] as? String)?.contains("bundled:trd-review/outcomes.csv") == true)
    }

    @Test func tableNamesStudiesAndModel() {
        let r = MetaSwiftCommand.runCapturing(["rates", "--outcome", "remission", "--by", "agent"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput.contains("logit random effects (PLO, REML, knha"))
        #expect(r.standardOutput.contains("Lenze 2023 [82]; Kaneriya 2016 [85]"))
        #expect(r.standardOutput.contains("Reif 2023 [68]"))
    }

    @Test func freemanTukeyWarnsAndSingleStudiesAreSaid() {
        let ft = MetaSwiftCommand.runCapturing(["rates", "--model", "ft"])
        #expect(ft.standardOutput.contains("Schwarzer et al. 2019"))
        let glmm = MetaSwiftCommand.runCapturing(["rates", "--outcome", "remission"])
        #expect(glmm.standardOutput.contains("binomial-normal GLMM"))
        #expect(glmm.standardOutput.contains("one study: its own logit-scale interval"))
    }

    /// A group with one study shows that study's own interval: the note says so for every model, and no note
    /// about the (unfitted) model's Knapp-Hartung test contradicts it. Bundled data: remission in Reif 2023 [68]
    /// is the only glutamatergic arm with a denominator.
    @Test(arguments: ["glmm", "logit"])
    func singleStudyGroupsHaveOneNote(model: String) {
        let r = MetaSwiftCommand.runCapturing(["rates", "--outcome", "remission", "--model", model])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput.contains("- Glutamatergic: one study: its own logit-scale interval is shown (no model is fitted)."))
        #expect(!r.standardOutput.contains("Glutamatergic: The knha test needs"))
    }

    @Test func badDataFileIsOneSentence() throws {
        let path = NSTemporaryDirectory() + "bad-outcomes-\(getpid()).csv"
        try "study_ref,arm\n1,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = MetaSwiftCommand.runCapturing(["rates", "--data", path])
        #expect(r.exitCode != 0)
        #expect(r.standardError.hasPrefix("Error: \(path): Column 'sample_group' is missing"))
    }
}
