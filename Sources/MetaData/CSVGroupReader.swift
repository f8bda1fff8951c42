#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One analysis of a long-format collection: the rows that share the values of the key columns, as the CSV file
/// `pool` would read for it alone.
public struct CSVGroup: Sendable {
    /// The key columns' values (trimmed), in the order the key columns were named.
    public let key: [String]
    /// The analysis' position (0-based) among the file's analyses, in file order.
    public let index: Int
    /// The file's data rows (1-based, header excluded) from the analysis' first row to its last; nil when the
    /// analysis is a whole file.
    public let rows: ClosedRange<Int>?
    /// The header line and the analysis' lines, byte for byte as they stand in the file: a CSV file of its own.
    public let csv: [UInt8]
    /// Per-analysis values given beside the data (a manifest's other columns), by column name.
    public let settings: [String: String]
    /// Where `settings` come from: the manifest and its row (1-based, header excluded).
    public let settingsOrigin: (path: String, row: Int)?
    /// Why the analysis could not be read (a file of a directory or manifest), nil when `csv` holds it.
    public let failure: DataFileError?

    public init(key: [String], index: Int, rows: ClosedRange<Int>?, csv: [UInt8], settings: [String: String] = [:],
                settingsOrigin: (path: String, row: Int)? = nil) {
        self.key = key
        self.index = index
        self.rows = rows
        self.csv = csv
        self.settings = settings
        self.settingsOrigin = settingsOrigin
        failure = nil
    }

    /// An analysis that could not be read: its rows are `failure`.
    public init(key: [String], index: Int, failure: DataFileError) {
        self.key = key
        self.index = index
        rows = nil
        csv = []
        settings = [:]
        settingsOrigin = nil
        self.failure = failure
    }

    /// The analysis' rows as a table (row numbers in its errors count from its first row, as for a file holding
    /// only this analysis).
    public func table() throws -> DataTable {
        if let failure { throw failure }
        return try DataTable(csv: csv)
    }

    /// The SHA-256 of `csv`: what `pool` reports as the input's hash for a file holding only this analysis.
    public var sha256: String { SHA256.hexDigest(csv) }
}

/// Reads a long-format CSV file (one row per study, several analyses told apart by key columns) one analysis at a
/// time, holding in memory only the analyses read and not yet taken, never the whole file. With no key columns the
/// whole file is one analysis.
///
/// The rows of one analysis must be adjacent (sorted by the key columns is one way; any order of the analyses is
/// fine); a key that comes back after another analysis is an error naming both places, since streaming cannot
/// gather it without holding the file. The file is read once, in chunks; ``sha256`` is the hash of every byte read.
/// Blank lines between analyses are skipped.
public final class CSVGroupReader {
    public let path: String
    /// The key columns, as named.
    public let keyColumns: [String]
    /// The header's column names (trimmed), once the header is read.
    public private(set) var columnNames: [String] = []

    private var file: UnsafeMutablePointer<FILE>?
    private var scanner = CSVRecordScanner()
    private var hasher = SHA256.Hasher()
    /// Bytes from the start of the current analysis (or of the header, before the first) to the end of the last chunk.
    private var pending: [UInt8] = []
    /// File offset of `pending[0]`.
    private var pendingBase = 0
    /// File offset up to which the bytes have been scanned.
    private var scanned = 0
    /// File offset where the next record starts.
    private var recordStart = 0
    private var header: [UInt8]?
    private var keyIndices: [Int] = []
    private var current: (key: [String], start: Int, end: Int, rows: ClosedRange<Int>)?
    /// The rows of every analysis already handed on, to name them when a key comes back.
    private var finished: [[String]: ClosedRange<Int>] = [:]
    private var ready: [CSVGroup] = []
    private var readyHead = 0
    private var groupCount = 0
    /// Records read, the header included.
    private var records = 0
    private var atEnd = false
    private var digest: String?

    /// Bytes read at a time.
    private let chunkSize: Int
    /// The read buffer, allocated once (a fresh zeroed megabyte per read cost more than scanning it).
    private var chunk: [UInt8] = []

    /// Opens `path`; nothing is read until the first analysis is asked for.
    ///
    /// - Parameter chunkSize: bytes read at a time (records and analyses may span any number of chunks).
    /// - Throws: `DataFileError.unreadable` when the file cannot be opened.
    public init(path: String, keyColumns: [String], chunkSize: Int = 1 << 20) throws(DataFileError) {
        precondition(chunkSize >= 1, "chunks must hold at least one byte")
        self.chunkSize = chunkSize
        guard let file = fopen(path, "rb") else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.file = file
        self.path = path
        self.keyColumns = keyColumns
    }

    deinit { if let file { fclose(file) } }

    /// Bytes of the file read so far (for a progress bar: the file's size once it is all read).
    public private(set) var bytesRead = 0

    /// The lowercase hex SHA-256 of the whole file, once every analysis has been read (nil before).
    public var sha256: String? { digest }

    /// The next analysis in file order, or nil after the last.
    ///
    /// - Throws: `DataFileError` naming the file for what ends the run: an unreadable file, a CSV that cannot be
    ///   split into records (malformed quotes), a missing key column or key value, an analysis whose rows are
    ///   not adjacent. Problems inside one analysis' rows are left to its own parse.
    public func next() throws(DataFileError) -> CSVGroup? {
        while readyHead == ready.count {
            if atEnd { return nil }
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
            do { try fill() } catch let error as DataFileError { throw error } catch let error as InputError {
                throw .input(path: path, error)
            } catch { preconditionFailure("unexpected \(error)") }
        }
        defer { readyHead += 1 }
        return ready[readyHead]
    }

    /// Up to `count` analyses (fewer only at the end of the file).
    public func next(_ count: Int) throws(DataFileError) -> [CSVGroup] {
        var out: [CSVGroup] = []
        while out.count < count, let group = try next() { out.append(group) }
        return out
    }

    /// Reads one chunk and splits what it completes; at the end of the file, the last record and analysis.
    private func fill() throws {
        guard let file else { return }
        if chunk.isEmpty { chunk = [UInt8](repeating: 0, count: chunkSize) }
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n < chunk.count, ferror(file) != 0 { throw DataFileError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        pending.append(contentsOf: chunk[0..<n])
        bytesRead += n
        chunk.withUnsafeBufferPointer { hasher.update(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        if scanned == 0 {
            // The byte-order mark may straddle chunks: decide once three bytes (or the whole file) are in.
            if n > 0 && pending.count < 3 { return }
            if pending.starts(with: [0xEF, 0xBB, 0xBF]) {
                scanned = 3
                recordStart = 3
            }
        }
        let scanStart = scanned
        scanned = pendingBase + pending.count
        var scanner = self.scanner
        if scanStart < scanned {
            try pending.withUnsafeBufferPointer { (all) throws(InputError) -> Void in
                try scanner.scan(UnsafeBufferPointer(rebasing: all[(scanStart - pendingBase)...])) { (fields, end) throws(InputError) -> Void in
                    try self.record(fields, end: scanStart + end)
                }
            }
        }
        if n == 0 {
            let end = pendingBase + pending.count
            try scanner.finish { (fields, _) throws(InputError) -> Void in try self.record(fields, end: end) }
        }
        if header != nil, scanner.keptFields == nil { scanner.keptFields = Set(keyIndices) }
        self.scanner = scanner
        if n == 0 {
            if header == nil { throw InputError.emptyInput }
            if let c = current { emit(c) }
            current = nil
            if groupCount == 0 { throw InputError.noDataRows }
            atEnd = true
            fclose(file)
            self.file = nil
            digest = hasher.finalize()
            pending = []
            chunk = []
            return
        }
        if header != nil {
            let keep = current?.start ?? recordStart
            pending.removeFirst(keep - pendingBase)
            pendingBase = keep
        }
    }

    /// One record ending at file offset `end`.
    private func record(_ fields: [String], end: Int) throws(InputError) {
        records += 1
        defer { recordStart = end }
        guard let header else {
            header = Array(pending[0..<(end - pendingBase)])
            columnNames = fields.map { $0.trimmingSpaces() }
            for name in keyColumns {
                guard let i = columnNames.firstIndex(of: name) else {
                    throw .missingColumn(name: name, neededBy: "the analysis key (\(ArgumentNaming.current(.analysisKeys)))", present: columnNames)
                }
                keyIndices.append(i)
            }
            return
        }
        _ = header
        let row = records - 1
        if fields.count == 1, pending[(recordStart - pendingBase)..<(end - pendingBase)].allSatisfy({ $0 == 0x0A || $0 == 0x0D }) { return }
        if let last = keyIndices.max(), last >= fields.count {
            throw .wrongFieldCount(row: row, expected: columnNames.count, found: fields.count)
        }
        var key: [String] = []
        key.reserveCapacity(keyIndices.count)
        for (c, i) in keyIndices.enumerated() {
            let value = fields[i].trimmingSpaces()
            if value.isEmpty || value == "NA" { throw .missingValue(row: row, column: keyColumns[c], value: fields[i]) }
            key.append(value)
        }
        if let c = current, c.key == key {
            current = (key, c.start, end, c.rows.lowerBound...row)
            return
        }
        if let c = current { emit(c) }
        if let earlier = finished[key] {
            throw .analysisNotAdjacent(columns: keyColumns, key: key, rows: earlier, row: row)
        }
        current = (key, recordStart, end, row...row)
    }

    private func emit(_ c: (key: [String], start: Int, end: Int, rows: ClosedRange<Int>)) {
        finished[c.key] = c.rows
        ready.append(CSVGroup(key: c.key, index: groupCount, rows: c.rows,
                              csv: header! + pending[(c.start - pendingBase)..<(c.end - pendingBase)]))
        groupCount += 1
    }
}
