import Foundation
import MetaAnalysis
import MetaSwiftCLI
import Testing

/// `metaswift permute --shard i/n` + `metaswift merge`, and the merge's naming of what differs between shards of
/// different runs (bootstrap, permute and GOSH shards).
@Suite("metaswift permute --shard and merge")
struct PermuteShardTests {
    /// The BCG trials (Colditz et al. 1994), as in the other resampling command tests.
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden/permute-bcg.csv").path

    /// The first six BCG trials: absolute latitudes 44, 55, 42, 52, 13, 44 have 6!/2! = 360 distinct arrangements, so
    /// 1,000 iterations give the exact test.
    static func smallData() throws -> String {
        let lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").prefix(7)
        let path = scratch("bcg6") + ".csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("permute-\(name)-\(UUID().uuidString)").path
    }

    /// Runs `permute` with `arguments` as 4 shards (thread counts 1 and 2 alternating) and returns the shard files.
    static func shards(_ arguments: [String], count: Int = 4) -> [String] {
        (1...count).map { i in
            let out = scratch("shard\(i)") + ".json"
            let r = MetaSwiftCommand.runCapturing(arguments + ["--shard", "\(i)/\(count)", "--threads", String(i % 2 + 1), "--out", out])
            #expect(r.exitCode == 0, "\(r.standardError)")
            return out
        }
    }

    @Test("The merge of 4 shards is byte for byte the single run's JSON and text, at 1 and 2 threads", arguments: [
        ["--iterations", "203", "--seed", "42"],
        ["--preset", "metafor", "--method", "DL", "--iterations", "10000", "--seed", "3"],  // exact: all 8,192 sign patterns
        ["--mods", "ablat", "--iterations", "203", "--seed", "9"],
        ["--mods", "ablat", "--test", "knha", "--iterations", "150", "--seed", "5"],
    ])
    func mergeEqualsSingleRun(arguments: [String]) throws {
        let common = ["permute", "--data", Self.data, "--measure", "RR"] + arguments
        try Self.checkMerge(common)
    }

    @Test("Exact row-permutation tests shard too: all 360 arrangements of k = 6, split 4 ways")
    func exactModeratorTestShards() throws {
        let small = try Self.smallData()
        defer { try? FileManager.default.removeItem(atPath: small) }
        let common = ["permute", "--data", small, "--measure", "RR", "--mods", "ablat", "--iterations", "1000", "--seed", "1"]
        let json = try Self.checkMerge(common)
        #expect(json.contains("\"exact\": true") && json.contains("\"iterations\": 360"))
    }

    /// Checks single run (1 and 2 threads) == merge of 4 shards (given in reverse order), JSON and table; returns the JSON.
    @discardableResult
    static func checkMerge(_ common: [String]) throws -> String {
        let single = MetaSwiftCommand.runCapturing(common + ["--format", "json", "--threads", "1"])
        #expect(single.exitCode == 0, "\(single.standardError)")
        let twoThreads = MetaSwiftCommand.runCapturing(common + ["--format", "json", "--threads", "2"])
        #expect(twoThreads.standardOutput == single.standardOutput)
        let files = shards(common)
        defer { for f in files { try? FileManager.default.removeItem(atPath: f) } }
        let merged = MetaSwiftCommand.runCapturing(["merge"] + files.reversed() + ["--format", "json"])
        #expect(merged.exitCode == 0, "\(merged.standardError)")
        #expect(merged.standardOutput == single.standardOutput)
        let table = MetaSwiftCommand.runCapturing(common)
        let mergedTable = MetaSwiftCommand.runCapturing(["merge"] + files)
        #expect(mergedTable.standardOutput == table.standardOutput && table.exitCode == 0)
        let missing = MetaSwiftCommand.runCapturing(["merge"] + files.dropLast())
        #expect(missing.exitCode != 0)
        #expect(missing.standardError.hasPrefix("Error: The shards do not cover replicates"))
        let twice = MetaSwiftCommand.runCapturing(["merge"] + files + [files[1]])
        #expect(twice.exitCode != 0)
        return single.standardOutput
    }

    @Test("Shards of different runs are refused, naming the differing options and values", arguments: [
        (["--seed", "10"], "Error: The shards were run with different options (--seed 9 vs 10); merge shards of one run only.\n"),
        (["--iterations", "300"], "Error: The shards were run with different options (--iterations 203 vs 300); merge shards of one run only.\n"),
        (["--method", "DL"], "Error: The shards were run with different options (--method REML vs DL); merge shards of one run only.\n"),
        (["--mods", "ablat", "--method", "DL", "--seed", "1"],
         "Error: The shards were run with different options (--method REML vs DL, --seed 9 vs 1); merge shards of one run only.\n"),
    ])
    func differentSettingsAreRefused(changed: [String], message: String) throws {
        func arguments(_ overrides: [String]) -> [String] {
            var options = ["--mods": "ablat", "--method": "REML", "--iterations": "203", "--seed": "9"]
            for i in stride(from: 0, to: overrides.count, by: 2) { options[overrides[i]] = overrides[i + 1] }
            return ["permute", "--data", Self.data, "--measure", "RR"] + ["--mods", "--method", "--iterations", "--seed"].flatMap { [$0, options[$0]!] }
        }
        let a = Self.shards(arguments([]), count: 2), b = Self.shards(arguments(changed), count: 2)
        defer { for f in a + b { try? FileManager.default.removeItem(atPath: f) } }
        let r = MetaSwiftCommand.runCapturing(["merge", a[0], b[1]])
        #expect(r.exitCode != 0)
        #expect(r.standardError == message)
    }

    @Test("Shards of different data or kinds are refused")
    func differentDataAreRefused() throws {
        let small = try Self.smallData()
        defer { try? FileManager.default.removeItem(atPath: small) }
        let a = Self.shards(["permute", "--data", Self.data, "--measure", "RR", "--seed", "2"], count: 2)
        let b = Self.shards(["permute", "--data", small, "--measure", "RR", "--seed", "2"], count: 2)
        let c = Self.shards(["bootstrap", "--data", Self.data, "--measure", "RR", "--seed", "2", "--replicates", "20"], count: 2)
        defer { for f in a + b + c { try? FileManager.default.removeItem(atPath: f) } }
        let data = MetaSwiftCommand.runCapturing(["merge", a[0], b[1]])
        #expect(data.standardError.hasPrefix("Error: The shards were run with different input data ("))
        let kinds = MetaSwiftCommand.runCapturing(["merge", a[0], c[1]])
        #expect(kinds.standardError == "Error: '\(c[1])' is not a shard written by metaswift permute --shard.\n")
    }

    @Test("Bootstrap shards of different runs: the message names the option, not two command lines")
    func bootstrapNamesTheOption() throws {
        let common = ["bootstrap", "--data", Self.data, "--measure", "RR", "--replicates", "20"]
        let a = Self.shards(common + ["--seed", "1"], count: 2), b = Self.shards(common + ["--seed", "2", "--type", "parametric"], count: 2)
        defer { for f in a + b { try? FileManager.default.removeItem(atPath: f) } }
        let r = MetaSwiftCommand.runCapturing(["merge", a[0], b[1]])
        #expect(r.standardError == "Error: The shards were run with different options (--type nonparametric vs parametric, --seed 1 vs 2); merge shards of one run only.\n")
    }

    @Test("GOSH binary shards of different runs: the message names the differing field")
    func goshNamesTheField() throws {
        let common = ["sensitivity", "gosh", "--data", Self.data, "--measure", "RR", "--method", "DL", "--exhaustive-limit", "10",
                      "--subsets", "200", "--format", "binary"]
        let a = Self.shards(common + ["--seed", "1"], count: 2), b = Self.shards(common + ["--seed", "2"], count: 2)
        defer { for f in a + b { try? FileManager.default.removeItem(atPath: f) } }
        let r = MetaSwiftCommand.runCapturing(["merge", a[0], b[1], "--out", Self.scratch("never")])
        #expect(r.standardError == "Error: The GOSH shards do not make one run: '\(b[1])' comes from a different run (seed 1 vs 2).\n")
    }
}
