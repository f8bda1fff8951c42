import ArgumentParser
import MetaAnalysis
import MetaData
import MetaReport

/// `metaswift import revman FILE`: study data from other tools, as MetaSwift's CSV columns.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Bring study data in from other tools (RevMan 5).",
        subcommands: [ImportRevManCommand.self])
}

extension RevManError: UserFacingError {}

/// How `import` writes the study rows.
enum ImportFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json
}

struct ImportRevManCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revman",
        abstract: "One outcome of a RevMan 5 review (.rm5) or Cochrane data package CSV as study rows with escalc's column names.",
        discussion: """
            Dichotomous outcomes give ai, n1i, ci, n2i; continuous ones m1i, sd1i, n1i, m2i, sd2i, n2i; generic \
            inverse-variance ones yi (log scale for ratio measures) and sei; every row has study and year, and \
            subgroup when the outcome has subgroups. Group 1 is RevMan's experimental group. Standard error names \
            the command that pools the rows as RevMan did.
            """)

    @Argument(help: ArgumentHelp("RevMan 5 review file (.rm5) or Cochrane data package CSV.", valueName: "FILE"))
    var file: String

    @Option(help: ArgumentHelp("Comparison number (needed when the file has several outcomes).", valueName: "N"))
    var comparison: Int?

    @Option(help: ArgumentHelp("Outcome number within the comparison (needed when it has several).", valueName: "M"))
    var outcome: Int?

    @Option(help: "Output format: csv or json.")
    var format: ImportFormat = .csv

    @Option(help: ArgumentHelp("Write the output to FILE (atomically) instead of standard output.", valueName: "FILE"))
    var out: String?

    func run() throws {
        let outcome = try RevManImport.outcome(path: file, comparison: comparison, outcome: self.outcome)
        let table = outcome.table()
        let text: String
        switch format {
        case .csv:
            var rows: [[String]] = []
            let columns = try table.columnNames.map { try table.strings($0, neededBy: "import") }
            for r in 0..<table.rowCount { rows.append(columns.map { $0[r] }) }
            text = CSVDocument(header: table.columnNames, rows: rows).serialized()
        case .json:
            text = try Self.json(outcome, table: table).serialized() + "\n"
        }
        let output = OutputOptions.writing(to: out)
        try output.emit(text)
        Console.current.writeError("Note: \(RevManImport.poolHint(outcome, data: out ?? "data.csv"))\n")
    }

    static func json(_ outcome: RevManOutcome, table: DataTable) throws -> JSONValue {
        var studies: [JSONValue] = []
        let numeric = Set(outcome.dataType.columns.map(\.rawValue))
        let columns = try table.columnNames.map { ($0, try table.strings($0, neededBy: "import")) }
        for r in 0..<table.rowCount {
            studies.append(.object(columns.map { name, values in
                if numeric.contains(name) { return (name, values[r].isEmpty ? .null : .number(DataTable.parseDouble(values[r]) ?? .nan)) }
                return (name, .string(values[r]))
            }))
        }
        let settings = outcome.settings
        var fields: [(String, JSONValue)] = [
            ("comparison", .number(Double(outcome.comparison))), ("outcome", .number(Double(outcome.number))),
            ("name", .string(outcome.name)), ("data_type", .string(outcome.dataType.rawValue)),
            ("method", .string(settings.method.rawValue)), ("effect_measure", .string(settings.effectMeasure)),
            ("model", .string(settings.randomEffects ? "random" : "fixed")), ("level", .number(settings.confidenceLevel)),
            ("measure", outcome.escalcMeasure.map { .string($0.rawValue) } ?? .null),
            ("group_labels", .array([.string(outcome.groupLabel1), .string(outcome.groupLabel2)])),
            ("subgroups", .array(outcome.subgroups.map { .string($0) })),
            ("studies", .array(studies)),
        ]
        if let reported = outcome.reported { fields.append(("revman_result", Self.json(reported))) }
        return .object(fields)
    }

    static func json(_ r: RevManReportedResult) -> JSONValue {
        func n(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        return .object([("estimate", n(r.estimate)), ("ci_lb", n(r.ciLower)), ("ci_ub", n(r.ciUpper)), ("QE", n(r.q)),
                        ("QE_df", n(r.degreesOfFreedom)), ("QEp", n(r.pQ)), ("I2", n(r.iSquared)), ("tau2", n(r.tauSquared)),
                        ("zval", n(r.z)), ("pval", n(r.pZ))])
    }
}

extension OutputOptions {
    /// Output options that write text to `path` (standard output when nil).
    static func writing(to path: String?) -> OutputOptions {
        var options = OutputOptions()
        options.out = path
        return options
    }
}
