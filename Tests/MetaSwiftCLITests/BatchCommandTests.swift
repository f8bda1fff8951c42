import Foundation
import MetaAnalysis
import MetaData
import MetaReport
import MetaSwiftCLI
import Testing
import _TestSupport

/// `metaswift batch`: rows equal `pool` run alone on that analysis (its own CSV: the header line and its rows), in both
/// formats, on the bundled datasets as one collection and on a generated collection; a failing analysis is a row with
/// its typed error; the output does not depend on the thread count.
///
/// Kept light (the suite runs in debug, where every in-process `pool` costs ~0.5 s of argument-parser set-up): each
/// analysis is compared with `pool` under one of its methods (the methods rotate over the analyses, so every method
/// is compared), every row is checked for its key and input hash, and one row per check is compared in CSV too.
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

    /// The classic bundled datasets as one long collection (built once for every test).
    static func bundledCollection() throws -> Collection { try bundled.get() }

    private static let bundled = Result { try makeBundledCollection() }

    /// The classic bundled datasets as one long collection of precomputed yi, vi (escalc with each one's measure),
    /// keyed by dataset.
    static func makeBundledCollection() throws -> Collection {
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

    /// Index of the generated analysis that fails (more events than patients in its last row).
    static let failingAnalysis = 3

    /// Analyses compared with `pool` per check: enough for every method of a three-method list and the failing
    /// analysis.
    static let comparedAnalyses = failingAnalysis + 1

    /// 6 analyses of 2×2 tables (k = 1 to 10, some zero cells) keyed by review and outcome; analysis
    /// ``failingAnalysis`` has more events than patients in a row, so it fails.
    static func generatedCollection() -> Collection {
        var rng = SplitMix64(state: 2026)
        var c = Collection(header: "review,outcome,study,ai,n1i,ci,n2i\n")
        for a in 0..<6 {
            let key = ["CD\(100 + a / 3)", "o\(a % 3)"]
            let k = 1 + Int(rng.next() % 10)
            var lines: [String] = []
            for s in 0..<k {
                let n1 = 10 + Int(rng.next() % 200), n2 = 10 + Int(rng.next() % 200)
                let p = 0.02 + 0.5 * rng.uniform()
                var ai = Int(Double(n1) * p * (0.5 + rng.uniform())), ci = Int(Double(n2) * p * (0.5 + rng.uniform()))
                if rng.next() % 7 == 0 { ai = 0 }
                ai = min(ai, n1); ci = min(ci, n2)
                if a == failingAnalysis && s == k - 1 { ai = n1 + 3 }
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

    /// Checks the JSON lines and CSV rows of `batch` on `collection` against `pool` on each analysis' own file.
    static func checkAgainstPool(_ c: Collection, keys: [String], options: [String], methods: [String], threads: Bool = false,
                                 expectedFailures: Int? = nil) throws {
        let path = try write(c.text, "collection")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let analyses = c.analyses.indices.map { Analysis(key: c.analyses[$0].key, csv: c.own($0), poolOptions: [], methods: methods) }
        try checkAgainstPool(input: ["--data", path, "--by", keys.joined(separator: ",")], keys: keys, analyses: analyses,
                             options: ["--method", methods.joined(separator: ",")] + options,
                             expectedFailures: expectedFailures ?? (c.header.hasPrefix("review") ? 1 : 0), threads: threads)
    }

    /// One analysis as `pool` runs it alone: its key, its own CSV, the options it gets from setting columns
    /// (`--measure X`) and its methods.
    struct Analysis {
        var key: [String]
        var csv: String
        var poolOptions: [String]
        var methods: [String]
    }

    /// Checks the JSON lines and CSV rows of `batch` (`input` + `options`) against `pool` (`options` but the method
    /// ones, + the analysis' own) on each analysis' own file: the first ``comparedAnalyses`` analyses, analysis i under
    /// its method i mod (its method count), and the first row that pool fits in CSV too. Every line is checked for
    /// its key, method and input hash. With
    /// `threads`, the run on 2 threads must equal the run on 1 byte for byte. `expectedFailures` counts the compared
    /// rows that pool refuses.
    static func checkAgainstPool(input: [String], keys: [String], analyses: [Analysis], options: [String], expectedFailures: Int,
                                 threads: Bool = false) throws {
        let common = ["batch"] + input + options
        let jsonl = MetaSwiftCommand.runCapturing(common + ["--threads", "1"])
        try #require(jsonl.exitCode == 0, "\(jsonl.standardError)")
        if threads {
            let twoThreads = MetaSwiftCommand.runCapturing(common + ["--threads", "2"])
            #expect(twoThreads.standardOutput == jsonl.standardOutput)
        }
        let csv = MetaSwiftCommand.runCapturing(common + ["--format", "csv", "--threads", "2"])
        try #require(csv.exitCode == 0, "\(csv.standardError)")
        let lines = jsonl.standardOutput.split(separator: "\n")
        let table = try DataTable(csv: csv.standardOutput)
        try #require(lines.count == analyses.map(\.methods.count).reduce(0, +) && table.rowCount == lines.count)
        let csvColumns = table.columnNames
        var csvColumnValues: [String: [String]] = [:]
        for name in csvColumns { csvColumnValues[name] = try table.strings(name, neededBy: "test") }
        // pool's own options: batch's, without the method list and the per-analysis setting columns.
        var poolCommon: [String] = []
        var skip = false
        for option in options {
            if skip { skip = false; continue }
            if ["--method", "--measure-column", "--method-column"].contains(option) { skip = true; continue }
            poolCommon.append(option)
        }
        var failures = 0, row = 0, csvCompared = false
        for (index, analysis) in analyses.enumerated() {
            let ownSHA = SHA256.hexDigest(Array(analysis.csv.utf8))
            let compared = index < comparedAnalyses ? analysis.methods[index % analysis.methods.count] : nil
            for method in analysis.methods {
                defer { row += 1 }
                let line = try JSONValue(parsing: String(lines[row]))
                #expect(line["analysis"] == .object(zip(keys, analysis.key).map { ($0, .string($1)) }))
                #expect(line["provenance"]?["input_sha256"]?.stringValue == ownSHA)
                #expect(line["method"]?.stringValue == method)
                #expect(csvColumnValues["method"]?[row] == method)
                guard method == compared else { continue }
                let own = try write(analysis.csv, "own")
                defer { try? FileManager.default.removeItem(atPath: own) }
                let poolArguments = ["pool", "--data", own, "--method", method] + poolCommon + analysis.poolOptions
                let pool = MetaSwiftCommand.runCapturing(poolArguments + ["--format", "json"])
                let csvValue = { (name: String) in csvColumnValues[name]?[row] }
                if pool.exitCode != 0 {
                    failures += 1
                    // pool's sentence is "Error: <file>: <the error>" (an option the fit refuses names no file); the
                    // row holds the error.
                    let message = try #require(line["error"]?["message"]?.stringValue)
                    #expect(pool.standardError == "Error: \(own): \(message)\n"
                        || (message.hasPrefix("Option ") && pool.standardError == "Error: \(message)\n"), "\(pool.standardError)")
                    #expect(line["error"]?["kind"]?.stringValue?.contains(".") == true)
                    #expect(csvValue("error_message") == message)
                    #expect(csvValue("error_kind") == line["error"]?["kind"]?.stringValue)
                    #expect(csvValue("beta") == "NA")
                    continue
                }
                let expected = try JSONValue(parsing: pool.standardOutput)
                guard case let .object(fields) = line else { Issue.record("row \(row) is not an object"); continue }
                #expect(comparable(.object(Array(fields.dropFirst()))) == comparable(expected), "analysis \(analysis.key) \(method)")
                #expect(expected["provenance"]?["input_sha256"]?.stringValue == ownSHA)
                #expect(csvValue("error_kind") == "")
                guard !csvCompared else { continue }
                csvCompared = true
                let poolCSV = try DataTable(csv: MetaSwiftCommand.runCapturing(poolArguments + ["--format", "csv"]).standardOutput)
                let poolFields = Dictionary(try poolCSV.strings("field", neededBy: "test").enumerated().map { ($1, $0) },
                                            uniquingKeysWith: { a, _ in a })
                let poolValues = try poolCSV.strings("value", neededBy: "test")
                for name in csvColumns where !(keys + ["method", "error_kind", "error_message"]).contains(name) {
                    #expect(csvValue(name) == (poolFields[name].map { poolValues[$0] } ?? "NA"), "\(analysis.key) \(method) \(name)")
                }
            }
        }
        #expect(failures == expectedFailures)
        #expect(csvCompared || analyses.isEmpty)
    }

    @Test("Examples/classic-collection.csv (the README's batch example) is the bundled datasets' collection")
    func exampleCollection() throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent("Examples/classic-collection.csv"), encoding: .utf8)
        #expect(file == (try Self.bundledCollection().text))
    }

    @Test("Bundled datasets as one collection x DL, REML, PM: rows equal pool on that dataset")
    func bundledDatasets() throws {
        try Self.checkAgainstPool(try Self.bundledCollection(), keys: ["dataset"], options: [], methods: ["DL", "REML", "PM"])
    }

    @Test("A generated collection of 2x2 tables (OR, z test, PL CI, one failing analysis): rows equal pool on that analysis; EE with --tau2-ci PL is an error row as pool refuses it")
    func generatedCollection() throws {
        // Compared rows: analysis 2 under EE (no tau^2 to give a PL interval: refused, issue 16) and the failing analysis.
        try Self.checkAgainstPool(Self.generatedCollection(), keys: ["review", "outcome"],
                                  options: ["--measure", "OR", "--test", "z", "--tau2-ci", "PL"], methods: ["REML", "DL", "EE"], threads: true,
                                  expectedFailures: 2)
    }

    /// A fresh directory holding `files` (name → text).
    static func directory(_ files: [(String, String)]) throws -> String {
        let dir = scratch("dir")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    @Test("--data DIR: each .csv file is one analysis (its name the id, in name order), rows equal pool on that file; a bad file is an error row")
    func directoryOfFiles() throws {
        // Three datasets (each pool comparison costs), written in reverse order and with a file that is not CSV: the
        // analyses come in name order, the rest is skipped.
        var c = try Self.bundledCollection()
        c.analyses = [c.analyses[2], c.analyses[0], c.analyses[4]]
        var files = c.analyses.indices.reversed().map { ("\(c.analyses[$0].key[0]).csv", c.own($0)) }
        files.append(("notes.txt", "not an analysis\n"))
        files.append(("zz-broken.csv", "study,yi,vi\na,0.1,0.02\nb,0.3,-1\n"))
        let dir = try Self.directory(files)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var analyses = c.analyses.indices.map { Analysis(key: ["\(c.analyses[$0].key[0]).csv"], csv: c.own($0), poolOptions: [], methods: ["DL", "REML"]) }
        analyses.sort { $0.key[0] < $1.key[0] }
        analyses.append(Analysis(key: ["zz-broken.csv"], csv: "study,yi,vi\na,0.1,0.02\nb,0.3,-1\n", poolOptions: [], methods: ["DL", "REML"]))
        try Self.checkAgainstPool(input: ["--data", dir], keys: ["file"], analyses: analyses, options: ["--method", "DL,REML", "--tau2-ci", "PL"],
                                  expectedFailures: 1)
    }

    /// The generated collection as one file per analysis and a manifest giving each its measure and methods.
    static func manifestCollection() throws -> (dir: String, analyses: [Analysis]) {
        var c = generatedCollection()
        c.analyses = Array(c.analyses.prefix(failingAnalysis + 1))
        let measures = ["OR", "RR", "RD"], methods = ["REML;DL", "PM", "dl"]
        var manifest = "id,file,measure,methods\n"
        var files: [(String, String)] = []
        var analyses: [Analysis] = []
        for (i, a) in c.analyses.enumerated() {
            let id = a.key.joined(separator: "/"), file = "a\(i).csv"
            let measure = measures[i % measures.count], method = methods[i % methods.count]
            manifest += "\(id),data/\(file),\(measure),\(method)\n"
            files.append(("data/" + file, c.own(i)))
            analyses.append(Analysis(key: [id], csv: c.own(i), poolOptions: ["--measure", measure],
                                     methods: method.split(separator: ";").map { $0.uppercased() }))
        }
        let dir = try directory([("manifest.csv", manifest)])
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return (dir, analyses)
    }

    @Test("--manifest with --measure-column and --method-column: each analysis its own measure and methods, rows equal pool on its file")
    func manifestWithSettings() throws {
        let (dir, analyses) = try Self.manifestCollection()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The last analysis has more events than patients: pool fails on it.
        try Self.checkAgainstPool(input: ["--manifest", dir + "/manifest.csv"], keys: ["id"], analyses: analyses,
                                  options: ["--measure-column", "measure", "--method-column", "methods", "--test", "z"],
                                  expectedFailures: 1)
    }

    @Test("Setting columns of a long-format file (one value per analysis), --tau2 and --unweighted: rows equal pool on that analysis")
    func settingColumnsAndFixedTau() throws {
        // The first 4 generated analyses (the 4th fails): every pool run costs, and 4 cover both measures and methods.
        var c = Self.generatedCollection()
        c.analyses = Array(c.analyses.prefix(Self.failingAnalysis + 1))
        c.header = "review,outcome,study,ai,n1i,ci,n2i,m,tm\n"
        var analyses: [Analysis] = []
        for i in c.analyses.indices {
            let measure = i % 2 == 0 ? "OR" : "RR", methods = i % 3 == 0 ? "DL,REML" : "PM"
            c.analyses[i].lines = c.analyses[i].lines.map { String($0.dropLast()) + ",\(measure),\"\(methods)\"\n" }
            analyses.append(Analysis(key: c.analyses[i].key, csv: c.own(i), poolOptions: ["--measure", measure],
                                     methods: methods.split(separator: ",").map(String.init)))
        }
        let path = try Self.write(c.text, "settings")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.checkAgainstPool(input: ["--data", path, "--by", "review,outcome"], keys: ["review", "outcome"], analyses: analyses,
                                  options: ["--measure-column", "m", "--method-column", "tm", "--unweighted"],
                                  expectedFailures: 1)
        c.analyses = Array(c.analyses.prefix(2))
        let two = try Self.write(c.text, "settings2")
        defer { try? FileManager.default.removeItem(atPath: two) }
        try Self.checkAgainstPool(input: ["--data", two, "--by", "review,outcome"], keys: ["review", "outcome"], analyses: Array(analyses.prefix(2)),
                                  options: ["--measure-column", "m", "--method-column", "tm", "--tau2", "0.04"], expectedFailures: 0)
    }

    @Test("Examples/classic-manifest.csv (the README's manifest example) x DL, REML, PM: rows equal pool on that dataset with its measure")
    func exampleManifest() throws {
        let manifest = Self.root.appendingPathComponent("Examples/classic-manifest.csv").path
        let table = try DataTable(contentsOfFile: manifest)
        let ids = try table.strings("id", neededBy: "test"), files = try table.strings("file", neededBy: "test"),
            measures = try table.strings("measure", neededBy: "test")
        let analyses = try ids.indices.map { i in
            Analysis(key: [ids[i]], csv: try String(contentsOfFile: Self.root.appendingPathComponent("Examples/" + files[i]).path, encoding: .utf8),
                     poolOptions: ["--measure", measures[i]], methods: ["DL", "REML", "PM"])
        }
        try Self.checkAgainstPool(input: ["--manifest", manifest], keys: ["id"], analyses: analyses,
                                  options: ["--measure-column", "measure", "--method", "DL,REML,PM"], expectedFailures: 0)
    }

    @Test("Bad settings and inputs: an error row naming the row, column and value, or one sentence for the run")
    func badSettingsAndInputs() throws {
        let text = "g,yi,vi,tm\na,0.1,0.01,REML\na,0.3,0.02,DL\nb,0.2,0.01,XX\nb,0.4,0.03,XX\nc,0.1,0.01,REML\nc,0.5,0.02,REML\n"
        let path = try Self.write(text, "bad-settings")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--by", "g", "--method-column", "tm", "--format", "csv"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        let table = try DataTable(csv: r.standardOutput)
        #expect(try table.strings("g", neededBy: "test") == ["a", "b", "c"])
        #expect(try table.strings("error_message", neededBy: "test") == [
            "Row 2 (tm): found 'DL' where row 1 has 'REML'; an analysis has one value of --method-column on all its rows.",
            "Row 1, column 'tm': expected one of \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: ", ")); found 'XX'.",
            "",
        ])
        #expect(try table.strings("error_kind", neededBy: "test") == ["InputError.inconsistent", "InputError.unknownCode", ""])

        let noBy = MetaSwiftCommand.runCapturing(["batch", "--data", path])
        #expect(noBy.exitCode != 0 && noBy.standardError.hasPrefix("Error: --data FILE needs --by COLUMN[,COLUMN]"), "\(noBy.standardError)")
        let both = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--manifest", path])
        #expect(both.exitCode != 0 && both.standardError.hasPrefix("Error: Give --data or --manifest, not both."), "\(both.standardError)")
        let twice = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--by", "g", "--measure", "OR", "--measure-column", "tm"])
        #expect(twice.exitCode != 0 && twice.standardError.hasPrefix("Error: Give --measure or --measure-column, not both."), "\(twice.standardError)")

        let dir = try Self.directory([("m.csv", "id,file\none,a.csv\ntwo,missing.csv\none,a.csv\n"), ("a.csv", "yi,vi\n0.1,0.01\n0.3,0.02\n"),
                                      ("n.csv", "id,path\none,a.csv\n"), ("o.csv", "id,file\none,a.csv\ntwo,missing.csv\n")])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let duplicated = MetaSwiftCommand.runCapturing(["batch", "--manifest", dir + "/m.csv"])
        #expect(duplicated.standardError == "Error: \(dir)/m.csv: Row 3 (id): 'one' is also the id of row 1; each analysis needs its own id.\n")
        let noFile = MetaSwiftCommand.runCapturing(["batch", "--manifest", dir + "/n.csv"])
        #expect(noFile.exitCode != 0 && noFile.standardError.hasPrefix("Error: \(dir)/n.csv: Column 'file' is missing"), "\(noFile.standardError)")
        let missing = MetaSwiftCommand.runCapturing(["batch", "--manifest", dir + "/o.csv", "--format", "csv"])
        try #require(missing.exitCode == 0, "\(missing.standardError)")
        let rows = try DataTable(csv: missing.standardOutput)
        #expect(try rows.strings("error_kind", neededBy: "test") == ["", "DataFileError.unreadable"])
        #expect(try rows.strings("error_message", neededBy: "test")[1] == "Cannot read '\(dir)/missing.csv': No such file or directory.")
        let byWithDirectory = MetaSwiftCommand.runCapturing(["batch", "--data", dir, "--by", "id"])
        #expect(byWithDirectory.exitCode != 0 && byWithDirectory.standardError.contains("with a directory each .csv file is one analysis"))
    }

    @Test("--shard i/n + merge over a directory is byte for byte the single run")
    func shardDirectory() throws {
        let c = try Self.bundledCollection()
        let dir = try Self.directory(c.analyses.indices.map { ("\(c.analyses[$0].key[0]).csv", c.own($0)) })
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common = ["batch", "--data", dir, "--method", "DL", "--format", "csv"]
        let single = MetaSwiftCommand.runCapturing(common)
        try #require(single.exitCode == 0, "\(single.standardError)")
        let files = (1...4).map { Self.scratch("dshard\($0)") + ".csv" }
        defer { for f in files { try? FileManager.default.removeItem(atPath: f) } }
        for (i, file) in files.enumerated() {
            let r = MetaSwiftCommand.runCapturing(common + ["--shard", "\(i + 1)/4", "--out", file])
            try #require(r.exitCode == 0, "\(r.standardError)")
        }
        let merged = MetaSwiftCommand.runCapturing(["merge"] + files)
        #expect(merged.exitCode == 0, "\(merged.standardError)")
        #expect(merged.standardOutput == single.standardOutput)
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

    @Test("--shard i/n + merge is byte for byte the single run, in both formats, for 3 and for more shards than analyses",
          arguments: [("jsonl", 3), ("csv", 8)])
    func shardAndMerge(format: String, count: Int) throws {
        let collection = try Self.bundledCollection()
        let path = try Self.write(collection.text, "collection")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let common = ["batch", "--data", path, "--by", "dataset", "--method", "DL,REML", "--format", format]
        let single = MetaSwiftCommand.runCapturing(common)
        try #require(single.exitCode == 0, "\(single.standardError)")
        let files = (1...count).map { Self.scratch("shard\($0)") + ".\(format)" }
        defer { for f in files { try? FileManager.default.removeItem(atPath: f) } }
        for (i, file) in files.enumerated() {
            let r = MetaSwiftCommand.runCapturing(common + ["--shard", "\(i + 1)/\(count)", "--threads", String(i % 2 + 1), "--out", file])
            try #require(r.exitCode == 0, "\(r.standardError)")
        }
        let merged = MetaSwiftCommand.runCapturing(["merge"] + files.reversed())
        #expect(merged.exitCode == 0, "\(merged.standardError)")
        #expect(merged.standardOutput == single.standardOutput)
        // Without the first shard: analyses are missing, or (8 shards of 6 analyses) shard 1/8, which holds none.
        let missing = MetaSwiftCommand.runCapturing(["merge"] + files.dropFirst())
        let sentence = count > 6 ? "Error: Shard 1/\(count) is missing;" : "Error: The shards do not hold analyses 1-"
        #expect(missing.exitCode != 0 && missing.standardError.hasPrefix(sentence), "\(missing.standardError)")
        let twice = MetaSwiftCommand.runCapturing(["merge"] + files + [files[count - 1]])
        #expect(twice.exitCode != 0 && twice.standardError.contains("appear in more than one shard"), "\(twice.standardError)")
    }

    @Test("Shards of different runs are refused, naming the option that differs")
    func shardsOfDifferentRuns() throws {
        let path = try Self.write(try Self.bundledCollection().text, "collection")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let a = Self.scratch("a") + ".jsonl", b = Self.scratch("b") + ".jsonl"
        defer { for f in [a, b] { try? FileManager.default.removeItem(atPath: f) } }
        let common = ["batch", "--data", path, "--by", "dataset"]
        #expect(MetaSwiftCommand.runCapturing(common + ["--method", "DL", "--shard", "1/2", "--out", a]).exitCode == 0)
        #expect(MetaSwiftCommand.runCapturing(common + ["--method", "PM", "--shard", "2/2", "--out", b]).exitCode == 0)
        let r = MetaSwiftCommand.runCapturing(["merge", a, b])
        #expect(r.exitCode != 0)
        #expect(r.standardError == "Error: The shards were run with different options (--method DL vs PM); merge shards of one run only.\n")
        let bad = MetaSwiftCommand.runCapturing(["batch", "--data", path, "--by", "dataset", "--shard", "3/2"])
        #expect(bad.exitCode != 0 && bad.standardError.hasPrefix("Error: Shard 3/2 does not exist"))
    }
}
