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
