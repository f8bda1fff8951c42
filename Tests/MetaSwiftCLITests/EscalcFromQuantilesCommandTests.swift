import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift escalc` on studies that report medians: the estimates reach yi/vi and every output format, and a
/// bad summary is one sentence naming row and columns.
@Suite("metaswift escalc from medians")
struct EscalcFromQuantilesCommandTests {
    /// Group 1: metafor's `conv.fivenum` reference example (n = 20), whose page prints mean 6.594468, SD 3.211576
    /// for (min 2, median 6, max 14) and 6.719500, 4.787076 for (q1 4, median 6, q3 10).
    static let csv = """
    study,m1i,sd1i,median1i,min1i,max1i,q1_1i,q3_1i,n1i,m2i,sd2i,n2i
    A,,,6,2,14,,,20,7,4.2,20
    B,NA,NA,6,,,4,10,20,7,4.2,20
    """

    static func run(_ text: String, _ arguments: [String]) throws -> (exitCode: Int32, standardOutput: String, standardError: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("median-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["escalc", "--data", path] + arguments)
        return (r.exitCode, r.standardOutput, r.standardError.replacingOccurrences(of: path + ": ", with: ""))
    }

    @Test func jsonCarriesEstimatesAndNotes() throws {
        let r = try Self.run(Self.csv, ["--measure", "MD", "--format", "json"])
        #expect(r.exitCode == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        let yi = try #require(json["yi"] as? [Double])
        #expect(abs(yi[0] - (6.594468 - 7)) < 5e-7)
        #expect(abs(yi[1] - (6.719500 - 7)) < 5e-7)
        let notes = try #require(json["diagnostics"] as? [[String: Any]])
        #expect(notes.map { $0["code"] as? String } == ["mean_sd_from_quantiles", "mean_sd_from_quantiles"])
        #expect(notes.last?["message"] as? String
                == "Row 2 (B): group 1 mean 6.7195 and SD 4.787076 estimated from the median and quartiles (Luo et al. 2018; Wan et al. 2014).")
    }

    @Test func tableAndCSVReportEachEstimate() throws {
        let table = try Self.run(Self.csv, ["--measure", "SMD"])
        #expect(table.exitCode == 0)
        #expect(table.standardOutput.contains(
            "Note: Row 1 (A): group 1 mean 6.594468 and SD 3.211576 estimated from the median and range (Luo et al. 2018; Wan et al. 2014).\n"))
        let csv = try Self.run(Self.csv, ["--measure", "SMD", "--format", "csv"])
        #expect(csv.exitCode == 0)
        #expect(csv.standardError.contains("Note: Row 2 (B): group 1 mean 6.7195 and SD 4.787076 estimated"))
    }

    @Test func badSummaryIsOneSentence() throws {
        let r = try Self.run(Self.csv.replacingOccurrences(of: "B,NA,NA,6,,,4,10", with: "B,NA,NA,6,,,7,10"), ["--measure", "MD"])
        #expect(r.exitCode != 0)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError == "Error: Row 2 (m1i, sd1i, q1_1i, median1i, q3_1i): expected q1_1i ≤ median1i ≤ q3_1i; found 7, 6, 10.\n")
        let small = try Self.run(Self.csv.replacingOccurrences(of: "A,,,6,2,14,,,20", with: "A,,,6,2,14,,,1"), ["--measure", "MD"])
        #expect(small.standardError == "Error: Row 1, column 'n1i': expected a group size ≥ 2 to estimate the mean and SD from median1i; found 1.\n")
    }

    @Test func helpNamesTheSummaryColumns() {
        let help = MetaSwiftCommand.runCapturing(["escalc", "--help"]).standardOutput
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("median1i with min1i, max1i and/or q1_1i, q3_1i"))
    }
}
