import Foundation
import MetaSwiftCLI
import Testing

/// Malformed files as users produce them, run through every command that reads study data: each is either read
/// correctly (CRLF, BOM, quoted commas, trailing blank lines) or refused with one typed sentence on stderr,
/// a non-zero exit code and nothing on stdout.
@Suite("metaswift bad input")
struct BadInputCommandTests {
    /// Three BCG trials (Colditz et al. 1994, as in metafor's dat.bcg).
    static let bcg = """
    study,ai,bi,ci,di
    Aronson 1948,4,119,11,128
    Ferguson & Simes 1949,6,300,29,274
    Rosenthal et al 1960,3,228,11,209
    Hart & Sutherland 1977,62,13536,248,12619
    """

    static let commands: [[String]] = [
        ["escalc", "--measure", "RR"], ["pool", "--measure", "RR"],
        ["bias", "egger", "--measure", "RR"], ["sensitivity", "leave1out", "--measure", "RR"],
    ]

    static func run(_ command: [String], bytes: [UInt8]) throws -> (exitCode: Int32, standardOutput: String, standardError: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(command + ["--data", path, "--format", "csv"])
        return (r.exitCode, r.standardOutput, r.standardError.replacingOccurrences(of: path + ": ", with: ""))
    }

    static let refused: [(name: String, text: String, error: String)] = [
        ("NA cell", bcg.replacingOccurrences(of: "6,300", with: "NA,300"),
         "Error: Row 2, column 'ai': the value is missing ('NA'); studies are never dropped silently: fill it in or remove the row.\n"),
        ("empty cell", bcg.replacingOccurrences(of: "6,300", with: ",300"),
         "Error: Row 2, column 'ai': the value is missing (an empty cell); studies are never dropped silently: fill it in or remove the row.\n"),
        ("non-numeric cell", bcg.replacingOccurrences(of: "6,300", with: "6,3OO"),
         "Error: Row 2, column 'bi': expected a number; found '3OO'.\n"),
        ("missing column", bcg.replacingOccurrences(of: ",di", with: ",dd"),
         "Error: Column 'di' or 'n2i' is missing; measure RR needs one of them; the columns are study, ai, bi, ci, dd (use --map to map another column).\n"),
        ("header only", "study,ai,bi,ci,di\n",
         "Error: The input has a header line but no data rows; expected one row per study.\n"),
        ("empty file", "", "Error: The input is empty; expected a CSV header line followed by one row per study.\n"),
    ]

    @Test(arguments: refused)
    func badFilesAreRefusedWithOneSentence(_ bad: (name: String, text: String, error: String)) throws {
        for command in Self.commands {
            let r = try Self.run(command, bytes: Array(bad.text.utf8))
            #expect(r.exitCode != 0, "\(bad.name): \(command[0])")
            #expect(r.standardOutput.isEmpty, "\(bad.name): \(command[0])")
            #expect(r.standardError == bad.error, "\(bad.name): \(command[0])")
        }
    }

    /// The most common slip: raw 2×2 counts without --measure (GEN, precomputed yi, is the default).
    @Test func forgottenMeasureNamesTheColumnsAndSuggestsMeasures() throws {
        for command in [["escalc"], ["pool"], ["bias", "egger"], ["sensitivity", "leave1out"]] {
            let r = try Self.run(command, bytes: Array(Self.bcg.utf8))
            #expect(r.exitCode != 0)
            #expect(r.standardOutput.isEmpty)
            #expect(r.standardError == "Error: Column 'yi' is missing, and without --measure the data are read as precomputed yi and vi (GEN); this file has ai, ci: name the measure, e.g. --measure OR or RR or RD.\n")
        }
        let means = "study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,1,2,10,2,2,10\n"
        #expect(try Self.run(["escalc"], bytes: Array(means.utf8)).standardError.hasSuffix("this file has m1i, sd1i, m2i: name the measure, e.g. --measure SMD or MD or ROM.\n"))
        let yiOnly = "study,y,vi\nA,1,2\n"
        #expect(try Self.run(["escalc"], bytes: Array(yiOnly.utf8)).standardError
            == "Error: Column 'yi' is missing; measure GEN needs it; the columns are study, y, vi (use --map yi=COLUMN to map another column).\n")
    }

    /// metafor drops a study whose factor moderator is NA; read as text, "NA" would instead become a level (and,
    /// sorting first, the reference). Either way is silent; here it is an error naming the cell.
    @Test func missingFactorModeratorIsAnError() throws {
        let text = "study,ai,bi,ci,di,alloc\nA,4,119,11,128,random\nB,6,300,29,274,NA\nC,3,228,11,209,random\nD,62,13536,248,12619,systematic\n"
        let r = try Self.run(["pool", "--measure", "RR", "--mods", "alloc"], bytes: Array(text.utf8))
        #expect(r.exitCode != 0)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError == "Error: Row 2, column 'alloc': the value is missing ('NA'); studies are never dropped silently: fill it in or remove the row.\n")
    }

    @Test func windowsLineEndingsBOMQuotesAndBlankLinesReadAsThePlainFile() throws {
        let quoted = Self.bcg.replacingOccurrences(of: "Aronson 1948", with: "\"Aronson, 1948\"")
        let variant = [0xEF, 0xBB, 0xBF] + Array((quoted.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n\r\n\n").utf8)
        for command in Self.commands {
            let plain = try Self.run(command, bytes: Array(quoted.utf8))
            let messy = try Self.run(command, bytes: variant)
            #expect(plain.exitCode == 0 && messy.exitCode == 0, "\(command[0])")
            #expect(!plain.standardOutput.isEmpty)
            #expect(messy.standardOutput == plain.standardOutput, "\(command[0])")
        }
        let escalc = try Self.run(Self.commands[0], bytes: variant)
        #expect(escalc.standardOutput.split(separator: "\n")[1].hasPrefix("\"Aronson, 1948\",4,119,11,128,"))
    }
}
