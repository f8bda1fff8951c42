import ArgumentParser
import MetaReport

/// `--format` and `--out`, shared by the analysis commands.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("Write the output to FILE (atomically) instead of standard output.", valueName: "FILE"))
    var out: String?

    /// Writes `text` to `--out` or standard output.
    func emit(_ text: String) throws(OutputError) {
        guard let out else {
            Console.current.write(text)
            return
        }
        try writeAtomically(text, to: out)
    }

    /// Writes `report` in the chosen format; with CSV, the notes CSV has no place for go to standard error.
    func emit(_ report: some RenderableReport) throws {
        try emit(report.rendered(format))
        if format == .csv {
            for note in report.csvNotes.uniquedStrings() { Console.current.writeError("Note: \(note)\n") }
        }
    }
}

/// An output file that could not be written.
public enum OutputError: Error, Equatable, UserFacingError {
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "Cannot write '\(path)': \(reason)."
        }
    }
}

/// Writes to a temporary file beside `path`, then renames it over `path`, so a reader never sees half a file.
func writeAtomically(_ text: String, to path: String) throws(OutputError) {
    let output = try StreamingOutput(path: path)
    try output.write(text)
    try output.commit()
}
