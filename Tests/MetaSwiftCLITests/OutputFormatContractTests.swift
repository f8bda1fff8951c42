import Foundation
import MetaData
import MetaAnalysis
import MetaReport
import MetaSwiftCLI
import Testing
import _TestSupport

/// Every analysis command × `--format table|csv|json`: the one rendering contract (`RenderableReport`) gives each
/// command all three forms. CSV parses with a header and rows, JSON parses and carries the command's conformance
/// field names, the table is prose (not the CSV, not JSON).
@Suite("--format contract: every analysis command in every format")
struct OutputFormatContractTests {
    /// A command line (without `--format`) and the JSON fields its conformance analysis names.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        let jsonFields: [String]
        var testDescription: String { name }
    }

    static let rr = ["--data", BCG.path, "--measure", "RR"]
    static let cases: [Case] = [
        Case(name: "escalc", arguments: ["escalc"] + rr, jsonFields: ["yi", "vi", "sei", "zi", "pval", "ci_lb", "ci_ub"]),
        Case(name: "pool", arguments: ["pool"] + rr, jsonFields: ["k", "beta", "se", "zval", "pval", "ci_lb", "ci_ub", "tau2", "QE", "I2", "predict", "confint"]),
        Case(name: "pool --mods", arguments: ["pool"] + rr + ["--mods", "ablat"], jsonFields: ["k", "p", "beta", "se", "QM", "QMp", "coef_names"]),
        Case(name: "pool --subgroup", arguments: ["pool"] + rr + ["--subgroup", "alloc"], jsonFields: ["group_var", "subgroups", "test_separate_tau2", "test_common_tau2"]),
        Case(name: "pool --method MH", arguments: ["pool"] + rr + ["--method", "MH"], jsonFields: ["k", "beta", "se", "zval", "pval", "QE", "provenance"]),
        Case(name: "pool --method PETO", arguments: ["pool", "--data", BCG.path, "--measure", "PETO", "--method", "PETO"], jsonFields: ["k", "beta", "se", "QE", "provenance"]),
        Case(name: "pool --method GLMM", arguments: ["pool", "--data", BCG.path, "--measure", "OR", "--method", "GLMM"], jsonFields: ["k", "beta", "se", "tau2", "provenance"]),
        Case(name: "bias egger", arguments: ["bias", "egger"] + rr, jsonFields: ["zval", "pval", "limit_est", "limit_ci_lb", "limit_ci_ub"]),
        Case(name: "bias begg", arguments: ["bias", "begg"] + rr, jsonFields: ["tau", "pval"]),
        Case(name: "bias trimfill", arguments: ["bias", "trimfill"] + rr, jsonFields: ["k0", "side", "beta", "filled_yi"]),
        Case(name: "bias failsafe", arguments: ["bias", "failsafe"] + rr, jsonFields: ["type", "fsnum", "alpha", "pval"]),
        Case(name: "bias petpeese", arguments: ["bias", "petpeese"] + rr, jsonFields: ["estimate", "ci_lb", "ci_ub", "PET", "PEESE"]),
        Case(name: "sensitivity leave-one-out", arguments: ["sensitivity", "leave-one-out"] + rr, jsonFields: ["estimate", "se", "tau2", "I2"]),
        Case(name: "sensitivity cumulative", arguments: ["sensitivity", "cumulative"] + rr, jsonFields: ["estimate", "se", "tau2"]),
        Case(name: "sensitivity influence", arguments: ["sensitivity", "influence"] + rr, jsonFields: ["rstudent", "cook_d", "hat"]),
        Case(name: "sensitivity baujat", arguments: ["sensitivity", "baujat"] + rr, jsonFields: ["x", "y"]),
        Case(name: "sensitivity gosh", arguments: ["sensitivity", "gosh"] + rr + ["--exhaustive-limit", "8", "--subsets", "64"], jsonFields: ["k"]),
        Case(name: "bootstrap", arguments: ["bootstrap"] + rr + ["--replicates", "50", "--seed", "1"], jsonFields: ["k", "replicates", "statistics", "provenance"]),
        Case(name: "permute", arguments: ["permute"] + rr + ["--iterations", "50", "--seed", "1"], jsonFields: ["beta", "se", "zval", "pval", "QM", "QMp"]),
        Case(name: "permute --mods", arguments: ["permute"] + rr + ["--mods", "ablat", "--iterations", "50", "--seed", "1"], jsonFields: ["coef_names", "beta", "pval", "QMp"]),
        Case(name: "rates", arguments: ["rates"], jsonFields: ["provenance"]),
    ]

    static func run(_ c: Case, _ format: OutputFormat) -> CommandLineResult {
        MetaSwiftCommand.runCapturing(c.arguments + ["--format", format.rawValue])
    }

    @Test("CSV parses: a header and at least one row", arguments: cases)
    func csv(_ c: Case) throws {
        let r = Self.run(c, .csv)
        #expect(r.exitCode == 0, "\(r.standardError)")
        let table = try DataTable(csv: r.standardOutput)
        #expect(!table.columnNames.isEmpty)
        #expect(table.rowCount >= 1)
        #expect(!r.standardOutput.hasPrefix("{"))
    }

    @Test("JSON parses and carries the conformance field names", arguments: cases)
    func json(_ c: Case) throws {
        let r = Self.run(c, .json)
        #expect(r.exitCode == 0, "\(r.standardError)")
        let document = try JSONValue(parsing: r.standardOutput)
        let keys = Set((document.objectValue ?? []).map(\.0))
        for field in c.jsonFields { #expect(keys.contains(field), "\(c.name): no '\(field)' in \(keys.sorted())") }
    }

    @Test("The table is prose: not JSON, not the CSV", arguments: cases)
    func table(_ c: Case) throws {
        let r = Self.run(c, .table)
        #expect(r.exitCode == 0, "\(r.standardError)")
        let text = r.standardOutput
        // metafor's print methods open with an empty line; the first line of text is what reads as prose.
        let firstLine = String(text.drop { $0 == "\n" }.prefix { $0 != "\n" })
        #expect(!text.hasPrefix("{") && !text.hasPrefix("["))
        #expect(firstLine.contains(" "), "\(c.name): first line '\(firstLine)'")
        let csvHeader = Self.run(c, .csv).standardOutput.prefix { $0 != "\n" }
        #expect(firstLine != String(csvHeader))
    }
}
