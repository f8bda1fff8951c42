import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

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
    let temporary = path + ".tmp-\(getpid())"
    guard let file = fopen(temporary, "wb") else {
        throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    let closed = fclose(file)
    guard written == bytes.count, closed == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw .cannotWrite(path: path, reason: reason)
    }
    guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw .cannotWrite(path: path, reason: reason)
    }
}
