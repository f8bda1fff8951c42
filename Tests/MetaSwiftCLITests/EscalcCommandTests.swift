import Foundation
import MetaSwiftCLI
import Testing

@Suite("metaswift escalc")
struct EscalcCommandTests {
    /// A scratch CSV file, removed by the caller.
    static func csvFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalc-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let counts = """
    study,ai,n1i,ci,n2i,year
    "A, 2001",4,10,2,10,2001
    B,0,12,3,11,2003
    """

    @Test func helpListsMeasuresAndOptions() {
        let r = MetaSwiftCommand.runCapturing(["escalc", "--help"])
        #expect(r.exitCode == 0)
        // Help wraps lines at the terminal width: compare with whitespace runs collapsed.
        let help = r.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for bit in ["--measure <CODE>", "--map <ARG=COLUMN>", "--drop00", "only0, all, if0all, none", "REH, GEN", "table, csv, json", "--out <FILE>"] {
            #expect(help.contains(bit), "help lacks \(bit)")
        }
        #expect(MetaSwiftCommand.runCapturing(["--help"]).standardOutput.contains("escalc"))
    }

    @Test func tablePrintsStudiesAndNotes() throws {
        let path = try Self.csvFile(Self.counts)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["escalc", "--measure", "OR", "--data", path])
        #expect(r.exitCode == 0)
        let lines = r.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "Effect sizes: measure OR, k = 2, 95% CI")
        #expect(lines.contains { $0.hasPrefix("study") && $0.hasSuffix("ci_ub") })
        #expect(lines.contains { $0.hasPrefix("A, 2001") })
        #expect(lines.contains("Note: Row 2 (B): 0.5 added to each count (continuity correction)."))
    }

    @Test func csvAppendsColumnsToTheInput() throws {
        let path = try Self.csvFile(Self.counts)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["escalc", "--measure", "RD", "--data", path, "--format", "csv"])
        #expect(r.exitCode == 0)
        let lines = r.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines[0] == "study,ai,n1i,ci,n2i,year,yi,vi,sei,zi,pval,ci_lb,ci_ub")
        // RD = 4/10 − 2/10 = 0.2 exactly enough in binary to print as 0.2.
        #expect(lines[1].hasPrefix("\"A, 2001\",4,10,2,10,2001,0.2,"))
        #expect(r.standardError.contains("Row 2 (B)"))
    }

    @Test func jsonHasConformanceFieldsAndOutWritesAFile() throws {
        let path = try Self.csvFile(Self.counts)
        let out = path + ".json"
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: out) }
        let r = MetaSwiftCommand.runCapturing(["escalc", "--measure", "RR", "--data", path, "--format", "json", "--out", out,
                                               "--to", "none"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        for field in ["\"provenance\"", "\"input_sha256\"", "\"to\": \"none\"", "\"k\": 2", "\"study\": [\"A, 2001\", \"B\"]", "\"yi\"", "\"vi\"", "\"sei\"", "\"zi\"", "\"pval\"", "\"ci_lb\"", "\"ci_ub\"", "\"diagnostics\""] {
            #expect(text.contains(field), "JSON lacks \(field)")
        }
        // Without correction the log of a zero count is NA, as metafor reports it.
        #expect(text.contains("\"code\": \"not_estimable\""))
    }

    @Test func mapReadsOtherColumnNames() throws {
        let path = try Self.csvFile("trial,mp,sp,n,mc,sc,nc\nX,10,2,20,8,2,20\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["escalc", "--measure", "MD", "--data", path, "--format", "csv",
                                               "--map", "m1i=mp", "--map", "sd1i=sp", "--map", "n1i=n",
                                               "--map", "m2i=mc", "--map", "sd2i=sc", "--map", "n2i=nc", "--map", "study=trial"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        // MD = 2, vi = 4/20 + 4/20 = 0.4.
        #expect(r.standardOutput.split(separator: "\n")[1].hasPrefix("X,10,2,20,8,2,20,2,0.4,"))
    }

    @Test func missingColumnIsOneSentenceAndNonZeroExit() throws {
        let path = try Self.csvFile("study,ai,ci,n2i\nA,1,2,10\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["escalc", "--measure", "OR", "--data", path])
        #expect(r.exitCode == 1)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError == "Error: \(path): Column 'bi' or 'n1i' is missing; measure OR needs one of them; the columns are study, ai, ci, n2i (use --map to map another column).\n")
    }

    @Test func badCellNamesRowAndColumn() throws {
        let path = try Self.csvFile("ai,n1i,ci,n2i\n1,10,2,10\n5,4,2,10\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["escalc", "--measure", "RR", "--data", path])
        #expect(r.exitCode == 1)
        #expect(r.standardError == "Error: \(path): Row 2 (ai, n1i): events (ai = 5) exceed the group size (n1i = 4).\n")
    }

    @Test func unknownMeasureAndBadMapAreErrors() throws {
        let path = try Self.csvFile("yi,vi\n1,2\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let unknown = MetaSwiftCommand.runCapturing(["escalc", "--measure", "XYZ", "--data", path])
        #expect(unknown.exitCode == 64)
        #expect(unknown.standardError.contains("'XYZ'"))
        let badMap = MetaSwiftCommand.runCapturing(["escalc", "--measure", "GEN", "--data", path, "--map", "foo=bar"])
        #expect(badMap.exitCode == 1)
        #expect(badMap.standardError.hasPrefix("Error: Option --map: expected ARG=COLUMN with ARG one of ai, bi,"))
        let missingFile = MetaSwiftCommand.runCapturing(["escalc", "--measure", "GEN", "--data", path + ".nope"])
        #expect(missingFile.exitCode == 1)
        #expect(missingFile.standardError == "Error: Cannot read '\(path).nope': No such file or directory.\n")
    }
}
