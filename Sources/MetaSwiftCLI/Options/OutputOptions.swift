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
