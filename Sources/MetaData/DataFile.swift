/// Whole-file reads for callers outside the data layer (the CLI's inputs), with the data layer's errors.
public enum DataFile {
    /// The bytes of the file at `path`.
    public static func bytes(_ path: String) throws(DataFileError) -> [UInt8] { try readFile(path) }
}
