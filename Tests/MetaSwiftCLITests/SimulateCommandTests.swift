import Foundation
import MetaAnalysis
import MetaReport
import MetaSwiftCLI
import Testing

/// `metaswift simulate`: known answers within stated Monte Carlo bounds, replicates seeded per (scenario, replicate),
/// output independent of the thread count, shards merged byte for byte, refusals naming the limit.
@Suite("metaswift simulate")
struct SimulateCommandTests {
    static func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("simulate-\(name)-\(UUID().uuidString)").path
    }

    static func results(_ output: String) throws -> [JSONValue] {
        try #require(try JSONValue(parsing: output)["results"]?.arrayValue)
    }

    /// With τ² = 0 and k = 40 studies of 100-200 patients per arm, the common-effect (EE) z CI of a mean difference
    /// covers μ with probability 0.95 up to the error of the estimated variances (well under 0.005 at these sizes), and
    /// μ̂ is unbiased. 2,000 replicates: the Monte Carlo SE of the coverage is √(0.95·0.05/2000) = 0.0049, so the
    /// bound 0.02 is 4 MCSE; the bias must be within 4 of its own MCSE. PI = CI when τ̂² = 0 for EE.
    @Test("tau^2 = 0, k = 40: EE's z CI covers near 95% and the estimate is unbiased (4 Monte Carlo SEs)")
    func commonEffectCoverage() throws {
        let r = MetaSwiftCommand.runCapturing(["simulate", "--k", "40", "--tau2", "0", "--effect", "0.4", "--sizes", "100-200",
                                               "--method", "EE", "--test", "z", "--replicates", "2000", "--seed", "7", "--format", "json"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        let row = try #require(try Self.results(r.standardOutput).first)
        let coverage = try #require(row["ci_coverage"]?.doubleValue), bias = try #require(row["bias"]?.doubleValue)
        let biasMCSE = try #require(row["bias_mcse"]?.doubleValue)
        #expect(abs(coverage - 0.95) < 0.02, "coverage \(coverage)")
        #expect(abs(bias) < 4 * biasMCSE, "bias \(bias) (MCSE \(biasMCSE))")
        #expect(row["replicates"] == .number(2000) && row["errors"] == .number(0))
        #expect(abs(try #require(row["ci_coverage_mcse"]?.doubleValue) - (coverage * (1 - coverage) / 2000).squareRoot()) < 1e-15)
    }

    @Test("Replicate r of scenario s is the same data whatever the number of replicates; any thread count gives the same bytes")
    func seeding() throws {
        let scenario = SimulationScenario(studies: 6, tauSquared: 0.1, effect: 0.2, sampleSizes: 10...40, outcome: .binary)
        let small = try SimulationStudy(scenarios: [scenario, scenario], methods: [.derSimonianLaird], replicates: 10, seed: 3)
        let large = try SimulationStudy(scenarios: [scenario, scenario], methods: [.derSimonianLaird], replicates: 5000, seed: 3)
        #expect(small.data(scenario: 1, replicate: 7) == large.data(scenario: 1, replicate: 7))
        #expect(small.data(scenario: 0, replicate: 7) != small.data(scenario: 1, replicate: 7))
        let other = try SimulationStudy(scenarios: [scenario], methods: [.derSimonianLaird], replicates: 10, seed: 4)
        #expect(other.data(scenario: 0, replicate: 7) != small.data(scenario: 0, replicate: 7))
        let arguments = ["simulate", "--k", "3,8", "--tau2", "0,0.2", "--outcome", "binary", "--sizes", "15-60", "--replicates", "600",
                         "--method", "DL,REML", "--format", "json"]
        let one = MetaSwiftCommand.runCapturing(arguments + ["--threads", "1"])
        let two = MetaSwiftCommand.runCapturing(arguments + ["--threads", "2"])
        #expect(one.exitCode == 0 && one.standardOutput == two.standardOutput)
    }

    @Test("Shards merged in any order are byte for byte the single run (JSON, CSV and table); a missing shard is named",
          arguments: [2, 5])
    func shardAndMerge(count: Int) throws {
        let arguments = ["simulate", "--k", "4,12", "--tau2", "0.05", "--replicates", "700", "--method", "REML,PM", "--seed", "11"]
        let files = (1...count).map { Self.scratch("shard\($0)") + ".json" }
        defer { for f in files { try? FileManager.default.removeItem(atPath: f) } }
        for (i, file) in files.enumerated() {
            let r = MetaSwiftCommand.runCapturing(arguments + ["--shard", "\(i + 1)/\(count)", "--threads", String(i % 2 + 1), "--out", file])
            try #require(r.exitCode == 0, "\(r.standardError)")
        }
        for format in ["json", "csv", "table"] {
            let single = MetaSwiftCommand.runCapturing(arguments + ["--format", format])
            let merged = MetaSwiftCommand.runCapturing(["merge"] + files.reversed() + ["--format", format])
            #expect(single.exitCode == 0 && merged.exitCode == 0, "\(merged.standardError)")
            #expect(merged.standardOutput == single.standardOutput, "\(format)")
        }
        let missing = MetaSwiftCommand.runCapturing(["merge"] + files.dropLast())
        #expect(missing.standardError == "Error: Shard \(count)/\(count) is missing; merge every shard of the run once.\n")
    }

    @Test("Refusals name the limit; a method that cannot fit counts every replicate as an error")
    func refusalsAndErrors() throws {
        let tooMany = MetaSwiftCommand.runCapturing(["simulate", "--replicates", "1099511627777"])
        #expect(tooMany.standardError == "Error: Option --replicates: expected between 1 and 1099511627776 (2^40, the replicates per scenario the random streams can index); found '1099511627777'.\n")
        let none = MetaSwiftCommand.runCapturing(["simulate", "--replicates", "0"])
        #expect(none.exitCode != 0 && none.standardError.hasPrefix("Error: Option --replicates: expected between 1 and"))
        let sizes = MetaSwiftCommand.runCapturing(["simulate", "--sizes", "1-10"])
        #expect(sizes.standardError == "Error: Option --sizes: expected patients per arm >= 2 for continuous outcomes; found '1-10'.\n")
        // GENQ needs user weights, which simulated data have none of: every fit fails and is counted, none is dropped.
        let r = MetaSwiftCommand.runCapturing(["simulate", "--k", "5", "--tau2", "0", "--replicates", "50", "--method", "GENQ,DL", "--format", "json"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        let rows = try Self.results(r.standardOutput)
        #expect(rows[0]["errors"] == .number(50) && rows[0]["error_rate"] == .number(1))
        #expect(rows[1]["errors"] == .number(0) && rows[1]["replicates"] == .number(50))
    }
}
