import Foundation
import MetaSwiftCLI
import Testing

@Suite("metaswift bootstrap, merge and permute")
struct ResamplingCommandTests {
    /// The BCG trials (Colditz et al. 1994) as 2×2 counts.
    static let bcg = """
    study,ai,bi,ci,di,ablat
    Aronson,4,119,11,128,44
    Ferguson,6,300,29,274,55
    Rosenthal60,3,228,11,209,42
    Hart,62,13536,248,12619,52
    Frimodt,33,5036,47,5761,13
    Stein,180,1361,372,1079,44
    Vandiviere,8,2537,10,619,19
    Madras,505,87886,499,87892,13
    Coetzee,29,7470,45,7232,27
    Rosenthal61,17,1699,65,1600,42
    Comstock74,186,50448,141,27197,18
    Comstock69,5,2493,3,2338,33
    Comstock76,27,16886,29,17825,33
    """

    static func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    }

    static func csvFile() throws -> String {
        let path = scratch("bcg") + ".csv"
        try bcg.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("The merge of 4 shards is byte for byte the single run's JSON, for any thread count")
    func mergeEqualsSingleRun() throws {
        let data = try Self.csvFile()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let common = ["bootstrap", "--data", data, "--measure", "RR", "--replicates", "203", "--seed", "42"]
        let single = MetaSwiftCommand.runCapturing(common + ["--format", "json", "--threads", "1"])
        #expect(single.exitCode == 0, "\(single.standardError)")
        let twoThreads = MetaSwiftCommand.runCapturing(common + ["--format", "json", "--threads", "2"])
        #expect(twoThreads.standardOutput == single.standardOutput)

        var files: [String] = []
        defer { for f in files { try? FileManager.default.removeItem(atPath: f) } }
        for i in 1...4 {
            let out = Self.scratch("shard\(i)") + ".json"
            let r = MetaSwiftCommand.runCapturing(common + ["--shard", "\(i)/4", "--threads", String(i % 2 + 1), "--out", out])
            #expect(r.exitCode == 0, "\(r.standardError)")
            files.append(out)
        }
        let merged = MetaSwiftCommand.runCapturing(["merge"] + files.reversed() + ["--format", "json"])
        #expect(merged.exitCode == 0, "\(merged.standardError)")
        #expect(merged.standardOutput == single.standardOutput)
        #expect(single.standardOutput.contains("\"ci_bca\""))

        let missing = MetaSwiftCommand.runCapturing(["merge"] + files.dropLast())
        #expect(missing.exitCode != 0)
        #expect(missing.standardError.hasPrefix("Error: The shards do not cover replicates"))
    }

    @Test("Table output names the settings and the failures count; nothing but the result on stdout")
    func table() throws {
        let data = try Self.csvFile()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let r = MetaSwiftCommand.runCapturing(["bootstrap", "--data", data, "--measure", "RR", "--replicates", "50", "--seed", "1",
                                               "--type", "parametric", "--method", "DL"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.hasPrefix("Parametric bootstrap of the DL model (k = 13; B = 50 replicates, seed 1)"))
        #expect(r.standardOutput.contains("Replicates: 50 successful, 0 failed"))
        #expect(r.standardError.isEmpty)
        let mods = MetaSwiftCommand.runCapturing(["bootstrap", "--data", data, "--measure", "RR", "--mods", "ablat", "--replicates", "40",
                                                  "--seed", "2", "--format", "json", "--threads", "2"])
        #expect(mods.exitCode == 0, "\(mods.standardError)")
        #expect(mods.standardOutput.contains("\"ablat\": {"))
        #expect(mods.standardOutput.contains("\"--mods\""))
    }

    @Test("Bad shard specifications and seeds are one-sentence errors")
    func errors() throws {
        let data = try Self.csvFile()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let bad = MetaSwiftCommand.runCapturing(["bootstrap", "--data", data, "--measure", "RR", "--seed", "1", "--shard", "5/4"])
        #expect(bad.exitCode != 0)
        #expect(bad.standardError == "Error: Shard 5/4 does not exist; expected --shard i/n with 1 <= i <= n.\n")
        let garbled = MetaSwiftCommand.runCapturing(["bootstrap", "--data", data, "--measure", "RR", "--seed", "1", "--shard", "two"])
        #expect(garbled.standardError == "Error: Option --shard: expected i/n with 1 <= i <= n, e.g. 2/8; found 'two'.\n")
        let notShard = MetaSwiftCommand.runCapturing(["merge", data])
        #expect(notShard.exitCode != 0)
        #expect(notShard.standardError.hasPrefix("Error: '\(data)' is not a JSON shard file"))
    }

    @Test("permute and its alias permutest: exact test when 2^k <= iterations")
    func permute() throws {
        let data = try Self.csvFile()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let exact = MetaSwiftCommand.runCapturing(["permutest", "--data", data, "--measure", "RR", "--preset", "metafor",
                                                   "--method", "DL", "--iterations", "10000", "--seed", "3", "--format", "json"])
        #expect(exact.exitCode == 0, "\(exact.standardError)")
        #expect(exact.standardOutput.contains("\"exact\": true"))
        #expect(exact.standardOutput.contains("\"iterations\": 8192"))
        let approximate = MetaSwiftCommand.runCapturing(["permute", "--data", data, "--measure", "RR", "--iterations", "100",
                                                         "--seed", "3", "--threads", "2"])
        #expect(approximate.exitCode == 0)
        #expect(approximate.standardOutput.hasPrefix("Approximate permutation test (100 iterations, seed 3)"))
        let again = MetaSwiftCommand.runCapturing(["permute", "--data", data, "--measure", "RR", "--iterations", "100",
                                                   "--seed", "3", "--threads", "1"])
        #expect(again.standardOutput == approximate.standardOutput)
    }

    @Test("permute --mods: row permutations, p per coefficient and for the omnibus test")
    func permuteModerators() throws {
        let data = try Self.csvFile()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let r = MetaSwiftCommand.runCapturing(["permute", "--data", data, "--measure", "RR", "--mods", "ablat", "--preset", "metafor",
                                               "--iterations", "200", "--seed", "9", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.contains("\"coef_names\": [\"intrcpt\", \"ablat\"]"))
        #expect(r.standardOutput.contains("\"QMp\""))
        let table = MetaSwiftCommand.runCapturing(["permute", "--data", data, "--measure", "RR", "--mods", "ablat",
                                                   "--iterations", "200", "--seed", "9"])
        #expect(table.standardOutput.contains("Test of Moderators: F(df1 = 1, df2 = 11)"))
        let missing = MetaSwiftCommand.runCapturing(["permute", "--data", data, "--measure", "RR", "--mods", "nope", "--seed", "9"])
        #expect(missing.exitCode != 0)
        #expect(missing.standardError.contains("'nope'"))
    }
}
