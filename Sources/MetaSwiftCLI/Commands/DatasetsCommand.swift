import ArgumentParser
import MetaData
import MetaAnalysis
import MetaDatasets
import MetaReport

/// `metaswift datasets list|show|export`: the datasets bundled in the binary (the TRD review's data and the
/// classic validation datasets), so that examples and checks need no file and no network.
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets", abstract: "The bundled datasets: list them, show one, export its CSV.",
        subcommands: [DatasetsListCommand.self, DatasetsShowCommand.self, DatasetsExportCommand.self])
}

/// A bundled dataset named on the command line that does not exist.
struct UnknownDatasetError: UserFacingError, Equatable {
    let name: String
    var description: String {
        "No bundled dataset is named '\(name)'; the names are \(BundledDataset.all.map(\.name).joined(separator: ", "))."
    }
}

extension BundledDataset {
    static func named(argument name: String) throws(UnknownDatasetError) -> BundledDataset {
        guard let dataset = named(name) else { throw UnknownDatasetError(name: name) }
        return dataset
    }

    /// The parsed file (bundled data is valid CSV: a test reads every dataset).
    func table() throws -> DataTable { try DataTable(csv: csv) }
}

struct DatasetsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every bundled dataset with its size and source.")

    @OptionGroup var output: OutputOptions

    func run() throws {
        let entries = try BundledDataset.all.map { d in
            let table = try d.table()
            return DatasetList.Entry(name: d.name, rows: table.rowCount, columns: table.columnNames.count,
                                     description: d.description, source: d.source)
        }
        try output.emit(DatasetList(entries: entries))
    }
}

/// The bundled datasets, one row each: name, rows, columns, description, source.
struct DatasetList: RenderableReport {
    struct Entry {
        let name: String, rows: Int, columns: Int, description: String, source: String
        var fields: [String] { [name, String(rows), String(columns), description, source] }
    }

    static let header = ["name", "rows", "columns", "description", "source"]
    let entries: [Entry]

    func textReport() -> String { DatasetsListCommand.table(entries.map(\.fields)) }
    func csvDocument() -> CSVDocument { CSVDocument(header: Self.header, rows: entries.map(\.fields)) }
    func jsonValue() -> JSONValue {
        .object([("datasets", .array(entries.map { e in
            .object([("name", .string(e.name)), ("rows", .number(Double(e.rows))), ("columns", .number(Double(e.columns))),
                     ("description", .string(e.description)), ("source", .string(e.source))])
        }))])
    }
}

extension DatasetsListCommand {
    /// Lines of at most this many characters: the description and source wrap in the last column.
    static let width = 100

    /// name, rows, columns, then the description and "Source: ..." wrapped under one another; a blank line between datasets.
    static func table(_ rows: [[String]]) -> String {
        let header = ["name", "rows", "columns", "description and source"]
        let lead = [header[0].count, header[1].count, header[2].count].indices.map { c in
            max(header[c].count, rows.map { $0[c].count }.max() ?? 0)
        }
        let textWidth = max(30, width - lead.reduce(0, +) - 2 * lead.count)
        var table = TextTable(header: header, alignments: [.left, .right, .right, .left])
        for (n, r) in rows.enumerated() {
            if n > 0 { table.rows.append(["", "", "", ""]) }
            let text = TextTable.wrapped(r[3], width: textWidth) + TextTable.wrapped("Source: " + r[4], width: textWidth)
            for (i, line) in text.enumerated() { table.rows.append(i == 0 ? [r[0], r[1], r[2], line] : ["", "", "", line]) }
        }
        return table.rendered()
    }
}

struct DatasetsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "What one dataset holds: source, size and columns.")

    @Argument(help: "Dataset name, as `datasets list` prints it (e.g. classic/bcg).") var name: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let dataset = try BundledDataset.named(argument: name)
        let table = try dataset.table()
        switch output.format {
        case .table:
            try output.emit("""
                \(dataset.name): \(dataset.description)
                Source: \(dataset.source)
                File: Datasets/\(dataset.path) (\(table.rowCount) rows)
                Columns: \(table.columnNames.joined(separator: ", "))

                """)
        case .csv: try output.emit(dataset.csv)
        case .json:
            try output.emit(JSONValue.object([
                ("name", .string(dataset.name)), ("path", .string("Datasets/" + dataset.path)),
                ("description", .string(dataset.description)), ("source", .string(dataset.source)),
                ("rows", .number(Double(table.rowCount))), ("columns", .array(table.columnNames.map { .string($0) })),
            ]).serialized() + "\n")
        }
    }
}

struct DatasetsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a dataset's CSV, byte for byte as in Datasets/.")

    @Argument(help: "Dataset name, as `datasets list` prints it (e.g. classic/bcg).") var name: String
    @Option(help: ArgumentHelp("Write the CSV to FILE (atomically) instead of standard output.", valueName: "FILE"))
    var out: String?

    func run() throws {
        let dataset = try BundledDataset.named(argument: name)
        if let out { try writeAtomically(dataset.csv, to: out) } else { Console.current.write(dataset.csv) }
    }
}
