import Foundation
import MetaAnalysis
import MetaReport
import MetaSwiftCLI
import Testing
import _TestSupport

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("gosh-\(name)-\(UUID().uuidString)").path
}

/// Runs `sensitivity gosh` on the BCG trials (k = 13, 8,191 subsets) with `extra` arguments.
private func gosh(_ extra: [String], method: String = "DL") -> CommandLineResult {
    MetaSwiftCommand.runCapturing(["sensitivity", "gosh", "--data", BCG.path, "--measure", "RR", "--method", method, "--threads", "2"] + extra)
}

private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

@Suite("metaswift sensitivity gosh: streams, shards, merge")
struct GOSHCommandTests {
    /// The CSV and binary streams carry the same subsets: masks and every field, bit for bit (CSV prints
    /// doubles in their shortest round-trip form).
    @Test(arguments: ["EE", "DL", "REML"])
    func csvAndBinaryAgree(method: String) throws {
        let csvPath = temporaryPath("csv"), binPath = temporaryPath("bin")
        defer { try? FileManager.default.removeItem(atPath: csvPath); try? FileManager.default.removeItem(atPath: binPath) }
        let c = gosh(["--format", "csv", "--out", csvPath], method: method)
        let b = gosh(["--format", "binary", "--out", binPath], method: method)
        #expect(c.exitCode == 0 && b.exitCode == 0, "\(c.standardError) \(b.standardError)")
        let lines = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "incl,k,estimate,tau2,I2,H2,QE")
        let (header, subsets) = try GOSHBinaryReader.readAll(path: binPath)
        #expect(header.studyCount == 13 && header.method == method && header.isExhaustive)
        #expect(header.totalSubsets == 8191 && header.firstSubset == 0 && header.recordCount == 8191)
        #expect(subsets.count == 8191 && lines.count == 8192)
        var mismatches = 0
        for (line, s) in zip(lines.dropFirst(), subsets) {
            let f = line.split(separator: ",").map(String.init)
            let incl = String((0..<13).map { s.mask & (1 << UInt64($0)) != 0 ? "1" : "0" })
            let values = f[2...].map { Double($0)! }
            if f[0] != incl || Int(f[1]) != s.studyCount
                || values != [s.estimate, s.tauSquared, s.iSquared, s.hSquared, s.cochranQ] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// `--shard i/n` + `metaswift merge` gives byte for byte the single run's file: binary shards (given to merge
    /// in any order) and CSV shards (in order).
    @Test(arguments: ["binary", "csv"])
    func mergedShardsEqualOneRun(format: String) throws {
        let single = temporaryPath("single"), merged = temporaryPath("merged")
        let shards = (1...4).map { temporaryPath("shard\($0)") }
        defer { for p in [single, merged] + shards { try? FileManager.default.removeItem(atPath: p) } }
        #expect(gosh(["--format", format, "--out", single]).exitCode == 0)
        for (i, path) in shards.enumerated() {
            let r = gosh(["--format", format, "--out", path, "--shard", "\(i + 1)/4", "--threads", "1"])
            #expect(r.exitCode == 0, "\(r.standardError)")
        }
        let order = format == "binary" ? [shards[2], shards[0], shards[3], shards[1]] : shards
        let m = MetaSwiftCommand.runCapturing(["merge"] + order + ["--out", merged])
        #expect(m.exitCode == 0, "\(m.standardError)")
        #expect(try bytes(merged) == bytes(single))
        #expect(try bytes(single).count > 8191 * 44)
    }

    /// Merging refuses shards that leave a gap.
    @Test func mergeRejectsMissingShard() throws {
        let shards = (1...3).map { temporaryPath("gap\($0)") }
        defer { for p in shards { try? FileManager.default.removeItem(atPath: p) } }
        for (i, path) in shards.enumerated() { _ = gosh(["--format", "binary", "--out", path, "--shard", "\(i + 1)/3"]) }
        let m = MetaSwiftCommand.runCapturing(["merge", shards[0], shards[2], "--out", temporaryPath("never")])
        #expect(m.exitCode != 0)
        #expect(m.standardError.contains("The GOSH shards do not make one run: subsets 2730 ..< 5460 are in no shard."))
    }

    /// The table form summarises without rows; the JSON summary's extremes are the exact ones of the rows.
    @Test func summaryOnlyMatchesTheRows() throws {
        let rowsRun = gosh(["--format", "json"])
        let summaryRun = gosh(["--format", "json", "--summary-only"])
        let rows = try #require(JSONSerialization.jsonObject(with: Data(rowsRun.standardOutput.utf8)) as? [String: Any])
        let summary = try #require(JSONSerialization.jsonObject(with: Data(summaryRun.standardOutput.utf8)) as? [String: Any])
        let estimates = try #require(rows["estimate"] as? [Double])
        let distribution = try #require(summary["estimate_distribution"] as? [String: Any])
        #expect(distribution["min"] as? Double == estimates.min())
        #expect(distribution["max"] as? Double == estimates.max())
        let mean = try #require(distribution["mean"] as? Double)
        #expect(abs(mean - estimates.reduce(0, +) / Double(estimates.count)) < 1e-12)
        let histogram = try #require(distribution["histogram"] as? [String: Any])
        #expect((histogram["counts"] as? [Int])?.reduce(0, +) == 8191)
        let median = try #require(distribution["median"] as? Double), width = try #require(histogram["bin_width"] as? Double)
        let exactMedian = estimates.sorted()[4095]
        #expect(abs(median - exactMedian) <= width)
        let table = gosh([])
        #expect(table.exitCode == 0 && table.standardOutput.contains("estimate_distribution:"))
        #expect(!table.standardOutput.contains("counts"))
    }

    /// `plot gosh --subsets-file` draws a binary stream without refitting (of the same data and method).
    @Test func plotReadsTheBinaryStream() throws {
        let path = temporaryPath("plot")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(gosh(["--format", "binary", "--out", path]).exitCode == 0)
        let r = MetaSwiftCommand.runCapturing(["plot", "gosh", "--data", BCG.path, "--measure", "RR", "--method", "DL", "--subsets-file", path])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.contains("</svg>"))
    }

    /// The GOSH loop drives the progress bar (a terminal forced through `ProgressSink`): frames up to 100 %
    /// labelled `gosh`, while standard output holds only the summary.
    @Test func driveTheProgressBar() {
        final class Frames: @unchecked Sendable {
            let lock = NSLock()
            var all: [String] = []
        }
        let frames = Frames()
        let sink = ProgressSink(isTerminal: { true }, write: { text in frames.lock.withLock { frames.all.append(text) } })
        let r = ProgressSink.$current.withValue(sink) { gosh(["--format", "json", "--summary-only"]) }
        #expect(r.exitCode == 0)
        let drawn = frames.lock.withLock { frames.all }
        #expect(drawn.contains { $0.contains("gosh [") && $0.hasSuffix("100%") })
        #expect(!r.standardOutput.contains("gosh ["))
    }

    @Test func binaryNeedsAFileAndShardsNeedAStream() {
        let b = gosh(["--format", "binary"])
        #expect(b.exitCode != 0 && b.standardError.contains("--format binary needs --out FILE."))
        let s = gosh(["--format", "json", "--shard", "1/2"])
        #expect(s.exitCode != 0 && s.standardError.contains("--shard needs --format csv or binary"))
    }

    /// One `--shard` parser for bootstrap, permute and GOSH: the same sentences for a typo and a missing shard.
    @Test func shardSpecificationErrors() {
        let outside = gosh(["--format", "csv", "--shard", "5/4"])
        #expect(outside.exitCode != 0)
        #expect(outside.standardError == "Error: Shard 5/4 does not exist; expected --shard i/n with 1 <= i <= n.\n")
        let garbled = gosh(["--format", "csv", "--shard", "two"])
        #expect(garbled.standardError == "Error: Option --shard: expected i/n with 1 <= i <= n, e.g. 2/8; found 'two'.\n")
    }
}

@Suite("GOSH binary format")
struct GOSHBinaryFormatTests {
    static func analysis(k: Int = 13, estimator: TauSquaredEstimator = .derSimonianLaird, exhaustiveLimit: Int = 20) throws -> GOSHAnalysis {
        // Spread-out effects and variances without a random generator: fixed, reproducible, heterogeneous.
        let v: [Double] = (0..<k).map { (i: Int) -> Double in 0.02 + 0.1 * Double((i * 7) % 11) / 10 }
        let y: [Double] = (0..<k).map { (i: Int) -> Double in 0.2 + 0.4 * sin(Double(i) * 1.3) }
        let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: RandomEffectsOptions(estimator: estimator, test: .z))
        return try GOSHAnalysis(model: model, exhaustiveLimit: exhaustiveLimit, sampleCount: 3000, seed: 5)
    }

    /// Header fields at the documented offsets (little-endian), and header + records read back unchanged,
    /// for a one-word mask (k = 13) and a two-word sampled mask (k = 40).
    @Test(arguments: [13, 40])
    func roundTrip(k: Int) throws {
        let gosh = try Self.analysis(k: k)
        let subsets = try gosh.subsets(threads: 2)
        let header = GOSHBinaryHeader(gosh)
        var bytes = header.encoded()
        #expect(bytes.count == header.headerLength && header.headerLength % 8 == 0)
        #expect(Array(bytes[0..<8]) == Array("MSWGOSH\n".utf8))
        #expect(bytes[16] == UInt8(k) && bytes[20] == UInt8((k + 31) / 32) && bytes[24] == 5)
        #expect(bytes[28] == UInt8(4 * ((k + 31) / 32) + 40))
        #expect(bytes[32] == (k <= 20 ? 1 : 0))
        subsets.withUnsafeBufferPointer { header.appendRecords($0, to: &bytes) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roundtrip-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (read, back) = try GOSHBinaryReader.readAll(path: path)
        #expect(read == header)
        #expect(back == subsets)
        // Truncated: the header promises more records than the file holds.
        try Data(bytes.dropLast(3)).write(to: URL(fileURLWithPath: path))
        #expect(throws: GOSHFileError.truncated(path: path, expectedRecords: subsets.count, foundRecords: subsets.count - 1)) {
            try GOSHBinaryReader.readAll(path: path)
        }
        try Data("incl,k\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: GOSHFileError.notGOSHFile(path: path)) { try GOSHBinaryReader.readAll(path: path) }
    }

    /// The summary is the same for any thread count; its counts, extremes and mean are those of the rows.
    @Test func summaryAgreesWithRows() throws {
        let gosh = try Self.analysis(k: 14)
        let rows = try gosh.subsets(threads: 2)
        let one = try gosh.summary(threads: 1), two = try gosh.summary(threads: 2)
        #expect(one == two)
        #expect(one.subsetCount == 16383 && one.estimate.counts.reduce(0, +) == 16383)
        #expect(one.estimate.minimum == rows.map(\.estimate).min() && one.estimate.maximum == rows.map(\.estimate).max())
        #expect(one.iSquared.maximum == rows.map(\.iSquared).max())
        let exact = rows.map(\.iSquared).sorted()[Int(0.9 * 16383)]
        #expect(abs(one.iSquared.quantile(0.9) - exact) <= 100.0 / Double(GOSHAnalysis.histogramBins))
    }
}
