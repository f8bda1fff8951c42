import Foundation
import MetaSwiftCLI
import Testing

@Suite("metaswift bootstrap --type arms")
struct BootstrapArmsCommandTests {
    /// Sparse made-up 2×2 data: study E draws no events in both arms in about 12% of replicates, which
    /// --drop00 turns into failed replicates that the JSON must list (and the merge must keep).
    static let sparse = """
    study,ai,n1i,ci,n2i
    A,0,20,3,20
    B,2,15,5,16
    C,1,30,0,28
    D,4,25,9,24
    E,1,10,1,12
    """

    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("arms-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("4 shards merged are byte for byte the single run's JSON (failed replicates included), for any thread count")
    func shardsMerge() throws {
        let data = try Self.file(Self.sparse)
        var files = [data]
        defer { for f in files { try? FileManager.default.removeItem(atPath: f) } }
        let common = ["bootstrap", "--data", data, "--measure", "OR", "--type", "arms", "--drop00", "--method", "DL",
                      "--replicates", "157", "--seed", "9"]
        let single = MetaSwiftCommand.runCapturing(common + ["--format", "json", "--threads", "1"])
        #expect(single.exitCode == 0, "\(single.standardError)")
        #expect(single.standardOutput.contains("\"type\": \"arms\""))
        #expect(single.standardOutput.contains("drop00 leaves out"))
        #expect(!single.standardOutput.contains("\"failed\": 0,"))
        let two = MetaSwiftCommand.runCapturing(common + ["--format", "json", "--threads", "2"])
        #expect(two.standardOutput == single.standardOutput)
        var shards: [String] = []
        for i in 1...4 {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("arms-shard\(i)-\(UUID().uuidString).json").path
            let r = MetaSwiftCommand.runCapturing(common + ["--shard", "\(i)/4", "--threads", String(i % 2 + 1), "--out", out])
            #expect(r.exitCode == 0, "\(r.standardError)")
            shards.append(out)
        }
        files += shards
        let merged = MetaSwiftCommand.runCapturing(["merge"] + shards.reversed() + ["--format", "json"])
        #expect(merged.exitCode == 0, "\(merged.standardError)")
        #expect(merged.standardOutput == single.standardOutput)
    }

    @Test("Table output names the resampling; person-time and proportions run; --help documents arms")
    func tableAndHelp() throws {
        let data = try Self.file(Self.sparse)
        let rates = try Self.file("x1i,t1i,x2i,t2i\n3,100.5,1,80\n7,210,12,190\n4,50,2,55\n20,400,31,380\n")
        let props = try Self.file("xi,ni\n0,12\n5,20\n9,9\n3,40\n14,31\n")
        defer { for f in [data, rates, props] { try? FileManager.default.removeItem(atPath: f) } }
        let r = MetaSwiftCommand.runCapturing(["bootstrap", "--data", data, "--measure", "RR", "--type", "arms", "--replicates", "50",
                                               "--seed", "1", "--method", "DL"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.hasPrefix("Parametric (arms' events redrawn) bootstrap of the DL model (k = 5; B = 50 replicates, seed 1)"))
        #expect(r.standardOutput.contains("Replicates: 50 successful, 0 failed"))
        // τ̂² = 0 here, so the basic interval 2τ̂² − quantiles is negative: truncated and said so.
        #expect(r.standardOutput.contains("Basic interval for tau2: 2*estimate - replicate quantiles fell outside the parameter's range [0, inf); truncated to it (untruncated: "))
        let json = MetaSwiftCommand.runCapturing(["bootstrap", "--data", data, "--measure", "RR", "--type", "arms", "--replicates", "50",
                                                  "--seed", "1", "--method", "DL", "--format", "json"])
        #expect(json.standardOutput.contains("\"ci_basic_untruncated\""))
        #expect(json.standardOutput.contains("\"basic_note\": \"2*estimate - replicate quantiles fell outside the parameter's range [0, 100]; truncated to it\""))
        for (file, measure) in [(rates, "IRR"), (props, "PLO")] {
            let run = MetaSwiftCommand.runCapturing(["bootstrap", "--data", file, "--measure", measure, "--type", "arms",
                                                     "--replicates", "40", "--seed", "3", "--format", "json"])
            #expect(run.exitCode == 0, "\(measure): \(run.standardError)")
            #expect(run.standardOutput.contains("\"failed\": 0,"), "\(measure)")
        }
        let help = MetaSwiftCommand.runCapturing(["bootstrap", "--help"])
        #expect(help.standardOutput.contains("arms (count data"))
        #expect(help.standardOutput.contains("within-study sampling error only"))
    }

    @Test("--type arms on precomputed effect sizes is one sentence naming the measures that work")
    func needsCounts() throws {
        let data = try Self.file("yi,vi\n0.1,0.04\n0.3,0.02\n-0.2,0.05\n")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let r = MetaSwiftCommand.runCapturing(["bootstrap", "--data", data, "--type", "arms", "--seed", "1"])
        #expect(r.exitCode != 0)
        #expect(r.standardError == "Error: Resampling arms (--type arms) needs event counts; measure GEN has none (expected RR, OR, RD, AS, PETO, PR, PLN, PLO, PAS, PFT, IRR, IRD, IRLN or IR).\n")
    }
}
