import Foundation
import MetaData
import MetaSwiftCLI
import Testing

/// `metaswift vcalc` in-process on the multilevel bank's data (values are pinned by the vcalc conformance cases;
/// these pin the command's formats, its round trip through the long CSV, and its errors).
@Suite("metaswift vcalc")
struct VcalcCommandTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/BankMV/data")
    static func path(_ name: String) -> String { data.appendingPathComponent(name).path }

    static let multiArm = ["vcalc", "--data", path("hasselblad1998.csv"), "--vi", "vi", "--cluster", "study",
                           "--grp1", "trt1", "--grp2", "trt2", "--w1", "ni1", "--w2", "ni2"]

    @Test func longCSVReadsBackAsTheJSONBlocks() throws {
        let csv = MetaSwiftCommand.runCapturing(Self.multiArm)
        #expect(csv.exitCode == 0, "\(csv.standardError)")
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(lines.first == "row1,row2,cov")
        // Upper triangle only, 1-based rows.
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",")
            #expect(Int(fields[0])! >= 1 && Int(fields[0])! <= Int(fields[1])!)
        }
        let entries = try CovarianceEntries(table: DataTable(csv: csv.standardOutput), count: 26)
        let blocks = entries.blocks()

        let json = MetaSwiftCommand.runCapturing(Self.multiArm + ["--format", "json"])
        #expect(json.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["k"] as? Double == 26)
        let jsonBlocks = try #require(object["blocks"] as? [[String: Any]])
        #expect(jsonBlocks.count == blocks.count)
        for (block, jsonBlock) in zip(blocks, jsonBlocks) {
            #expect((jsonBlock["rows"] as? [Double])?.map { Int($0) - 1 } == block.rows)
            let matrix = try #require(jsonBlock["matrix"] as? [[Double]])
            // Foundation's JSON parser is not correctly rounded; the CSV's strtod is (exact round trip: VarianceCalculationTests).
            #expect(zip(matrix.flatMap { $0 }, block.values).allSatisfy { abs($0 - $1) <= 1e-15 * abs($1) })
        }
        // Three-arm studies share a control: at least one block of 2 with a positive covariance.
        #expect(blocks.contains { $0.rows.count == 2 && $0.values[1] > 0 })
        #expect(object["provenance"] != nil)
    }

    @Test func outWritesTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vcalc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("V.csv").path
        let r = MetaSwiftCommand.runCapturing(["vcalc", "--data", Self.path("berkey1998.csv"), "--vi", "1", "--cluster", "trial",
                                               "--rvars", "v1i,v2i", "--out", out])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        // berkey1998: trial 1's reported matrix is [[0.0075, 0.003], [0.003, 0.0077]].
        #expect(text.hasPrefix("row1,row2,cov\n1,1,0.0075\n1,2,0.003\n2,2,0.0077\n"))
    }

    @Test func correlatedOutcomesAndTimePointsRun() {
        let obs = MetaSwiftCommand.runCapturing(["vcalc", "--data", Self.path("assink2016.csv"), "--vi", "vi", "--cluster", "study",
                                                 "--type", "deltype", "--obs", "esid", "--rho", "0.7,0.5", "--format", "table"])
        #expect(obs.exitCode == 0, "\(obs.standardError)")
        #expect(obs.standardOutput.hasPrefix("Sampling covariance matrix V: 100 effects in 17 clusters\n"))
        let time = MetaSwiftCommand.runCapturing(["vcalc", "--data", Self.path("ishak2007.csv"), "--vi", "vi", "--cluster", "study",
                                                  "--time1", "time", "--phi", "0.97"])
        #expect(time.exitCode == 0, "\(time.standardError)")
    }

    @Test("errors name the option and what was expected", arguments: [
        (["--rho", "0.5"], "Option --rho: expected --obs and/or --type: they say which estimates rho correlates; found '0.5'."),
        (["--obs", "esid"], "Option --rho: expected a correlation for the estimates that --obs distinguishes; found '(none)'."),
        (["--obs", "esid", "--type", "deltype", "--rho", "0.5"],
         "Option --rho: expected two values R_OBS,R_TYPE with both --obs and --type; found '0.5'."),
        (["--obs", "esid", "--rho", "1.5"], "Option --rho: expected correlations in [-1, 1], separated by a comma; found '1.5'."),
        (["--phi", "0.5"], "Option --phi: expected --time1 as well: phi correlates time points; found '0.5'."),
        (["--rvars", "yi", "--rho", "0.5"],
         "Option --rvars: expected no --rho: reported matrices replace the correlations; found 'yi'."),
    ])
    func optionErrors(_ extra: [String], _ message: String) {
        let r = MetaSwiftCommand.runCapturing(["vcalc", "--data", Self.path("assink2016.csv"), "--vi", "vi", "--cluster", "study"] + extra)
        #expect(r.exitCode != 0)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError == "Error: \(message)\n")
    }

    @Test func missingClusterCellIsNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vcalc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("d.csv").path
        try "study,yi,vi\na,0.1,0.01\n,0.2,0.02\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = MetaSwiftCommand.runCapturing(["vcalc", "--data", file, "--vi", "vi", "--cluster", "study"])
        #expect(r.exitCode != 0)
        #expect(r.standardError.contains("Row 2, column 'study': the value is missing"))
    }
}
