import Foundation
import MetaSwiftCLI
import Testing

@Suite("metaswift bayes")
struct BayesCommandTests {
    // Hinks et al. (2010) (bayesmeta::HinksEtAl2010): log odds ratios with standard errors.
    static let hinks = """
    study,yi,sei
    Prahalad (2006),-0.12783337150988489,0.10463175870980121
    Hinks (2006),-0.23572233352106983,0.09021595371982492
    Lindner (2007),-0.19845093872383832,0.13750163395455806
    """

    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bayes-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func tableNamesPriorsAndSummaries() throws {
        let path = try Self.file(Self.hinks)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["bayes", "--data", path, "--tau-prior", "half-normal:0.5"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        for bit in ["3 estimates:", "Prahalad (2006), Hinks (2006), Lindner (2007)", "tau prior (proper):",
                    "half-normal (scale 0.5)", "mu prior (improper):", "marginal posterior summary:",
                    "(quoted intervals are shortest credible intervals.)", "Bayes factors:", "shrinkage estimates"] {
            #expect(r.standardOutput.contains(bit), "table lacks \(bit)")
        }
        // The posterior median of tau (bank v5b, hinks2010_hn0.5_muflat, expected_tight: 0.09835992783653047).
        let median = r.standardOutput.split(separator: "\n").first { $0.hasPrefix("median") }
        #expect(median?.split(separator: " ").dropFirst().first == "0.0984")
    }

    @Test func jsonUsesTheBankNames() throws {
        let path = try Self.file(Self.hinks)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["bayes", "--data", path, "--format", "json", "--mu-prior", "normal:0:4"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        for key in ["k", "study", "y", "sigma", "summary", "ML", "MAP", "marginal_likelihood", "bayesfactor", "intervals",
                    "quantiles", "shrinkage", "I2", "weights", "weight_prior_mean", "provenance"] {
            #expect(json[key] != nil, "JSON lacks \(key)")
        }
        let options = (json["provenance"] as? [String: Any])?["options"] as? [String: String]
        #expect(options?["tau-prior"] == "half-normal:0.5" && options?["mu-prior"] == "normal:0:4")
    }

    @Test func csvHasOneRowPerQuantity() throws {
        let path = try Self.file(Self.hinks)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["bayes", "--data", path, "--format", "csv"])
        let lines = r.standardOutput.split(separator: "\n")
        #expect(lines.first == "parameter,mode,median,mean,sd,lower,upper,central_lower,central_upper")
        #expect(lines.count == 1 + 3 + 3)
        #expect(lines.last?.hasPrefix("theta[Lindner (2007)],") == true)
    }

    @Test func improperPosteriorSaysWhichPriorToUse() throws {
        let path = try Self.file("study,yi,sei\nA,0.1,0.2\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["bayes", "--data", path, "--tau-prior", "uniform"])
        #expect(r.exitCode != 0)
        #expect(r.standardError == "Error: With 1 study, the improper uniform prior on tau and the improper uniform prior on mu give an improper posterior; use a proper prior on tau (e.g. half-normal with scale 0.5 for log odds ratios) or a normal prior on mu.\n")
    }

    @Test func turnerPriorForAnUncoveredOutcomeNamesTheCoveredOnes() throws {
        let path = try Self.file(Self.hinks)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["bayes", "--data", path, "--tau-prior", "turner:remission:pharmacological vs. placebo / control"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.hasPrefix("Error: Turner et al. (2015) give no prior for the outcome type 'remission'; the outcome types they cover are: all-cause mortality; obstetric outcomes;"))
        let ok = MetaSwiftCommand.runCapturing(["bayes", "--data", path, "--tau-prior", "turner:all-cause mortality:pharmacological vs. placebo / control"])
        #expect(ok.exitCode == 0, "\(ok.standardError)")
        #expect(ok.standardOutput.contains("Turner et al. (2015): all-cause mortality; pharmacological vs. placebo / control"))
    }

    @Test func badPriorSpecificationIsOneSentence() throws {
        let path = try Self.file(Self.hinks)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["bayes", "--data", path, "--tau-prior", "half-normal:abc"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.contains("--tau-prior") && r.standardError.contains("half-normal:SCALE"))
        let m = MetaSwiftCommand.runCapturing(["bayes", "--data", path, "--mu-prior", "normal:0"])
        #expect(m.standardError.contains("--mu-prior") && m.standardError.contains("normal:MEAN:SD"))
    }
}
