import Foundation
import MetaData
import MetaReport
import MetaSwiftCLI
import Testing
import _TestSupport

/// `metaswift batch`: every row equals `pool` run alone on that analysis (its own CSV: the header line and its rows),
/// in both formats, on the bundled datasets as one collection and on a generated collection; a failing analysis is a
/// row with its typed error; the output does not depend on the thread count.
@Suite("metaswift batch")
struct BatchCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(name)-\(UUID().uuidString)").path
    }

    static func write(_ text: String, _ name: String) throws -> String {
        let path = scratch(name) + ".csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A collection: the header line, then each analysis' lines; also each analysis' own CSV.
    struct Collection {
        var header: String
        var analyses: [(key: [String], lines: [String])] = []
        var text: String { header + analyses.flatMap(\.lines).joined() }
        func own(_ i: Int) -> String { header + analyses[i].lines.joined() }
    }

    /// The classic bundled datasets as one long collection of precomputed yi, vi (escalc with each one's measure),
    /// keyed by dataset.
    static func bundledCollection() throws -> Collection {
        var c = Collection(header: "dataset,study,yi,vi\n")
        for (name, measure) in [("bcg", "RR"), ("collins1985b", "OR"), ("hackshaw1998", "GEN"), ("normand1999", "MD"),
                                ("pritz1997", "PLO"), ("raudenbush1985", "GEN")] {
            let path = root.appendingPathComponent("Datasets/classic/\(name).csv").path
            let r = MetaSwiftCommand.runCapturing(["escalc", "--data", path, "--measure", measure, "--format", "csv"])
            try #require(r.exitCode == 0, "\(r.standardError)")
            let table = try DataTable(csv: r.standardOutput)
            let studies = try table.strings("study", neededBy: "test"), yi = try table.strings("yi", neededBy: "test"),
                vi = try table.strings("vi", neededBy: "test")
            c.analyses.append(([name], studies.indices.map { "\(name),\"\(studies[$0])\",\(yi[$0]),\(vi[$0])\n" }))
        }
        return c
    }

    /// 16 analyses of 2×2 tables (k = 1 to 10, some zero cells) keyed by review and outcome; analysis 7 has more
    /// events than patients in a row, so it fails.
    static func generatedCollection() -> Collection {
        var rng = SplitMix64(state: 2026)
        var c = Collection(header: "review,outcome,study,ai,n1i,ci,n2i\n")
        for a in 0..<16 {
            let key = ["CD\(100 + a / 3)", "o\(a % 3)"]
            let k = 1 + Int(rng.next() % 10)
            var lines: [String] = []
            for s in 0..<k {
                let n1 = 10 + Int(rng.next() % 200), n2 = 10 + Int(rng.next() % 200)
                let p = 0.02 + 0.5 * rng.uniform()
                var ai = Int(Double(n1) * p * (0.5 + rng.uniform())), ci = Int(Double(n2) * p * (0.5 + rng.uniform()))
                if rng.next() % 7 == 0 { ai = 0 }
                ai = min(ai, n1); ci = min(ci, n2)
                if a == 7 && s == k - 1 { ai = n1 + 3 }
                lines.append("\(key[0]),\(key[1]),\"study \(a)-\(s)\",\(ai),\(n1),\(ci),\(n2)\n")
            }
            c.analyses.append((key, lines))
        }
        return c
    }

    /// `pool --format json` fields, without the parts that name the command and the file.
    static func comparable(_ json: JSONValue) -> JSONValue {
        guard case let .object(fields) = json else { return json }
        return .object(fields.map { key, value in
            guard key == "provenance", case let .object(p) = value else { return (key, value) }
            return (key, .object(p.filter { !["command_line", "input"].contains($0.0) }))
        })
    }

    /// Checks every JSON line and CSV row of `batch` on `collection` against `pool` on each analysis' own file.
    static func checkAgainstPool(_ c: Collection, keys: [String], options: [String], methods: [String]) throws {
        let path = try write(c.text, "collection")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let common = ["batch", "--data", path, "--by", keys.joined(separator: ","), "--method", methods.joined(separator: ",")] + options
        let jsonl = MetaSwiftCommand.runCapturing(common + ["--threads", "1"])
        try #require(jsonl.exitCode == 0, "\(jsonl.standardError)")
        let twoThreads = MetaSwiftCommand.runCapturing(common + ["--threads", "2"])
        #expect(twoThreads.standardOutput == jsonl.standardOutput)
        let csv = MetaSwiftCommand.runCapturing(common + ["--format", "csv", "--threads", "2"])
        try #require(csv.exitCode == 0, "\(csv.standardError)")
        let lines = jsonl.standardOutput.split(separator: "\n")
        let table = try DataTable(csv: csv.standardOutput)
        try #require(lines.count == c.analyses.count * methods.count && table.rowCount == lines.count)
        let csvColumns = table.columnNames
        var failures = 0
        for (a, analysis) in c.analyses.enumerated() {
            let own = try write(c.own(a), "own")
            defer { try? FileManager.default.removeItem(atPath: own) }
            let ownSHA = SHA256.hexDigest(Array(c.own(a).utf8))
            for (m, method) in methods.enumerated() {
                let row = a * methods.count + m
                let line = try JSONValue(parsing: String(lines[row]))
                #expect(line["analysis"] == .object(zip(keys, analysis.key).map { ($0, .string($1)) }))
                #expect(line["provenance"]?["input_sha256"]?.stringValue == ownSHA)
                let poolArguments = ["pool", "--data", own, "--method", method] + options
                let pool = MetaSwiftCommand.runCapturing(poolArguments + ["--format", "json"])
                let csvValue = { (name: String) in try table.strings(name, neededBy: "test")[row] }
                if pool.exitCode != 0 {
                    failures += 1
                    // pool's sentence is "Error: <file>: <the error>"; the row holds the error.
                    let message = try #require(line["error"]?["message"]?.stringValue)
                    #expect(pool.standardError == "Error: \(own): \(message)\n")
                    #expect(line["error"]?["kind"]?.stringValue?.contains(".") == true)
                    #expect(line["method"]?.stringValue == method)
                    #expect(try csvValue("error_message") == message)
                    #expect(try csvValue("error_kind") == line["error"]?["kind"]?.stringValue)
                    #expect(try csvValue("beta") == "NA")
                    continue
                }
                let expected = try JSONValue(parsing: pool.standardOutput)
                guard case let .object(fields) = line else { Issue.record("row \(row) is not an object"); continue }
                #expect(comparable(.object(Array(fields.dropFirst()))) == comparable(expected), "analysis \(analysis.key) \(method)")
                #expect(expected["provenance"]?["input_sha256"]?.stringValue == ownSHA)
                let poolCSV = MetaSwiftCommand.runCapturing(poolArguments + ["--format", "csv"])
                let poolFields = Dictionary(try DataTable(csv: poolCSV.standardOutput).strings("field", neededBy: "test").enumerated()
                    .map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                let poolValues = try DataTable(csv: poolCSV.standardOutput).strings("value", neededBy: "test")
                for name in csvColumns where !(keys + ["method", "error_kind", "error_message"]).contains(name) {
                    #expect(try csvValue(name) == (poolFields[name].map { poolValues[$0] } ?? "NA"), "\(analysis.key) \(method) \(name)")
                }
                #expect(try csvValue("method") == method && csvValue("error_kind") == "")
            }
        }
        #expect(failures == expectedFailures(c, methods: methods))
    }

    static func expectedFailures(_ c: Collection, methods: [String]) -> Int {
        c.header.hasPrefix("review") ? methods.count : 0
    }

    @Test("Bundled datasets as one collection x DL, REML, PM: each row is pool on that dataset")
    func bundledDatasets() throws {
        try Self.checkAgainstPool(try Self.bundledCollection(), keys: ["dataset"], options: [], methods: ["DL", "REML", "PM"])
    }

    @Test("A generated collection of 2x2 tables (OR, z test, PL CI, one failing analysis): each row is pool on that analysis")
    func generatedCollection() throws {
        try Self.checkAgainstPool(Self.generatedCollection(), keys: ["review", "outcome"],
                                  options: ["--measure", "OR", "--test", "z", "--tau2-ci", "PL"], methods: ["REML", "DL", "EE"])
    }

    @Test("An analysis whose rows are not adjacent stops the run with a sentence naming both places")
    func nonAdjacentAnalysis() throws {
        let path = try Self.write("g,yi,vi\na,0.1,0.1\na,0.2,0.1\nb,0.3,0.1\na,0.4,0.1\n", "split")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--by", "g"])
        #expect(r.exitCode != 0)
        #expect(r.standardError == "Error: \(path): Row 4: the analysis g = a already ended at rows 1-2; the rows of an analysis must be adjacent (sort the file by g).\n")
    }

    @Test("A missing key column or key value, and a bad --method or --by, are one sentence each")
    func badKeysAndOptions() throws {
        let path = try Self.write("g,yi,vi\na,0.1,0.1\n,0.2,0.1\n", "keys")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let missing = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--by", "review"])
        #expect(missing.standardError.hasPrefix("Error: \(path): Column 'review' is missing; the analysis key (--by) needs it"))
        let empty = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--by", "g"])
        #expect(empty.standardError.hasPrefix("Error: \(path): Row 2, column 'g': the value is missing (an empty cell)"))
        let method = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--by", "g", "--method", "DL,MH"])
        #expect(method.exitCode != 0 && method.standardError.hasPrefix("Error: Option --method: expected distinct tau^2 estimators"))
        let clash = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--by", "g,beta", "--format", "csv"])
        #expect(clash.exitCode != 0)
    }

    @Test("Blank lines between analyses, CRLF line ends and a quoted key with a comma and a line break")
    func recordsAcrossLines() throws {
        let text = "g,yi,vi\r\n\"x,\n1\",0.1,0.1\r\n\"x,\n1\",0.3,0.2\r\n\r\nb,0.2,0.05\r\nb,0.5,0.1\r\n"
        let path = try Self.write(text, "crlf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--by", "g", "--method", "DL"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        let lines = r.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONValue(parsing: String(lines[0]))
        #expect(first["analysis"]?["g"]?.stringValue == "x,\n1" && first["k"] == .number(2))
        #expect(first["provenance"]?["input_sha256"]?.stringValue == SHA256.hexDigest(Array("g,yi,vi\r\n\"x,\n1\",0.1,0.1\r\n\"x,\n1\",0.3,0.2\r\n".utf8)))
    }
}
