/// A CSV file read once: its table and the SHA-256 of the very bytes parsed (for provenance).
public struct CSVFile: Sendable {
    public let path: String
    public let table: DataTable
    /// Lowercase hex SHA-256 of the file's bytes.
    public let sha256: String

    /// Reads `path` and parses it.
    ///
    /// - Throws: `DataFileError.unreadable` when the file cannot be read, `.input(path:, InputError)` when its
    ///   content is not a valid CSV table.
    public init(path: String) throws(DataFileError) {
        let bytes = try readFile(path)
        do { table = try DataTable(csv: bytes) } catch { throw .input(path: path, error) }
        self.path = path
        sha256 = SHA256.hexDigest(bytes)
    }

    /// A table read from another kind of file (a RevMan review's outcome), with the SHA-256 of that file's bytes.
    public init(path: String, table: DataTable, sha256: String) {
        self.path = path
        self.table = table
        self.sha256 = sha256
    }
}
