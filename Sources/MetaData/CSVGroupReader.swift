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
/// gather it without holding the file. The file is read once, in chunks; with `hashing`, ``sha256`` is the hash of
/// every byte read. Blank lines between analyses are skipped.
///
/// Memory follows the largest analysis, not the file, when the analyses come in ascending key order (no key to
/// remember: see ``AnalysisKeyHistory``); otherwise it holds 8 bytes of fingerprint and a row range per analysis.
public final class CSVGroupReader {
    public let path: String
    /// The key columns, as named.
    public let keyColumns: [String]
    /// The header's column names (trimmed), once the header is read.
    public private(set) var columnNames: [String] = []

    private var file: UnsafeMutablePointer<FILE>?
    private var scanner = CSVRecordScanner()
    /// Nil when the file is not hashed.
    private var hasher: SHA256.Hasher?
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
    /// The analyses already handed on, to name them when a key comes back.
    private var history: AnalysisKeyHistory
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
    /// - Parameters:
    ///   - chunkSize: bytes read at a time (records and analyses may span any number of chunks).
    ///   - hashing: whether to compute ``sha256`` (a sharded run checks with it that the file did not change).
    /// - Throws: `DataFileError.unreadable` when the file cannot be opened.
    public convenience init(path: String, keyColumns: [String], chunkSize: Int = 1 << 20, hashing: Bool = false) throws(DataFileError) {
        try self.init(path: path, keyColumns: keyColumns, chunkSize: chunkSize, hashing: hashing, checksKeys: true)
    }

    /// `checksKeys` false: a reader that trusts the analyses to be adjacent (rereading a prefix already checked).
    private init(path: String, keyColumns: [String], chunkSize: Int, hashing: Bool, checksKeys: Bool) throws(DataFileError) {
        precondition(chunkSize >= 1, "chunks must hold at least one byte")
        self.chunkSize = chunkSize
        hasher = hashing ? SHA256.Hasher() : nil
        guard let file = fopen(path, "rb") else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        // Only a regular file can be read again (to recover the keys of the analyses before an out-of-order one).
        var info = stat()
        let regular = fstat(fileno(file), &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        history = AnalysisKeyHistory(mode: !checksKeys ? .unchecked : regular ? .ordered : .exact)
        self.file = file
        self.path = path
        self.keyColumns = keyColumns
    }

    deinit { if let file { fclose(file) } }

    /// Bytes of the file read so far (for a progress bar: the file's size once it is all read).
    public private(set) var bytesRead = 0

    /// The lowercase hex SHA-256 of the whole file, once every analysis has been read (nil before, and without
    /// `hashing`).
    public var sha256: String? { digest }

    /// Whether every analysis has been read.
    public var isFinished: Bool { atEnd }

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
        if hasher != nil { chunk.withUnsafeBufferPointer { hasher!.update(UnsafeBufferPointer(rebasing: $0[0..<n])) } }
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
            try pending.withUnsafeBufferPointer { all in
                try scanner.scan(UnsafeBufferPointer(rebasing: all[(scanStart - pendingBase)...])) { fields, end in
                    try self.record(fields, end: scanStart + end)
                }
            }
        }
        if n == 0 {
            let end = pendingBase + pending.count
            try scanner.finish { fields, _ in try self.record(fields, end: end) }
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
            digest = hasher?.finalize()
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
    private func record(_ fields: [String], end: Int) throws {
        records += 1
        defer { recordStart = end }
        guard let header else {
            header = Array(pending[0..<(end - pendingBase)])
            columnNames = fields.map { $0.trimmingSpaces() }
            for name in keyColumns {
                guard let i = columnNames.firstIndex(of: name) else {
                    throw InputError.missingColumn(name: name, neededBy: "the analysis key (\(ArgumentNaming.current(.analysisKeys)))", present: columnNames)
                }
                keyIndices.append(i)
            }
            return
        }
        _ = header
        let row = records - 1
        if fields.count == 1, pending[(recordStart - pendingBase)..<(end - pendingBase)].allSatisfy({ $0 == 0x0A || $0 == 0x0D }) { return }
        if let last = keyIndices.max(), last >= fields.count {
            throw InputError.wrongFieldCount(row: row, expected: columnNames.count, found: fields.count)
        }
        // The usual record continues the current analysis: compared in place, no key built.
        if let c = current, keyIndices.indices.allSatisfy({ fields[keyIndices[$0]].trimmingSpaces() == c.key[$0] }) {
            current = (c.key, c.start, end, c.rows.lowerBound...row)
            return
        }
        var key: [String] = []
        key.reserveCapacity(keyIndices.count)
        for (c, i) in keyIndices.enumerated() {
            let value = fields[i].trimmingSpaces()
            if value.isEmpty || value == "NA" { throw InputError.missingValue(row: row, column: keyColumns[c], value: fields[i]) }
            key.append(value)
        }
        if let c = current { emit(c) }
        if let earlier = try history.earlierRows(of: key, reread: reread) {
            throw InputError.analysisNotAdjacent(columns: keyColumns, key: key, rows: earlier, row: row)
        }
        current = (key, recordStart, end, row...row)
    }

    private func emit(_ c: (key: [String], start: Int, end: Int, rows: ClosedRange<Int>)) {
        history.insert(c.key, index: groupCount, rows: c.rows)
        ready.append(CSVGroup(key: c.key, index: groupCount, rows: c.rows,
                              csv: header! + pending[(c.start - pendingBase)..<(c.end - pendingBase)]))
        groupCount += 1
    }

    /// The keys and rows of the first `count` analyses of the file, read again (for ``AnalysisKeyHistory``).
    private func reread(_ count: Int) throws(DataFileError) -> [(key: [String], rows: ClosedRange<Int>)] {
        let again = try CSVGroupReader(path: path, keyColumns: keyColumns, chunkSize: chunkSize, hashing: false, checksKeys: false)
        var out: [(key: [String], rows: ClosedRange<Int>)] = []
        out.reserveCapacity(count)
        while out.count < count {
            guard let group = try again.next(), let rows = group.rows else {
                throw .unreadable(path: path, reason: "the file changed while it was read (it ended before analysis \(out.count + 1))")
            }
            out.append((group.key, rows))
        }
        return out
    }
}

/// What a ``CSVGroupReader`` remembers of the analyses it has handed on, to tell when a key comes back (the rows of
/// an analysis not adjacent) and name where it was.
///
/// While the keys come in ascending order (``precedes(_:_:)``) no earlier key can come back, so only the last is
/// kept: memory does not grow with the file. At the first key out of order the earlier analyses' keys are read again
/// from the file and kept as 64-bit fingerprints (with their rows); a fingerprint that matches is confirmed by
/// reading that analysis' key again, so two keys that share a fingerprint are never taken for one. A file that
/// cannot be read twice (a pipe) keeps every key from the start.
struct AnalysisKeyHistory {
    enum Mode {
        /// Keys ascending so far: only the last is kept.
        case ordered
        /// Fingerprints of every key (and exact keys for fingerprints shared by two).
        case fingerprints
        /// Every key, exactly (input that cannot be read again).
        case exact
        /// Nothing kept, nothing checked (a reader rereading what was checked).
        case unchecked
    }

    private(set) var mode: Mode
    private var last: (key: [String], rows: ClosedRange<Int>)?
    private var count = 0
    /// Fingerprint → the analysis' position and rows.
    private var byFingerprint: [UInt64: (index: Int, rows: ClosedRange<Int>)] = [:]
    /// Keys kept exactly: every key in `.exact` mode; in `.fingerprints` mode, those whose fingerprint an earlier key had.
    private var exact: [[String]: ClosedRange<Int>] = [:]

    init(mode: Mode) { self.mode = mode }

    /// The rows of the earlier analysis with this key, nil when it is new. `reread(n)` gives the keys and rows of
    /// the first n analyses again (called at most once per key out of order, and to confirm a fingerprint match).
    mutating func earlierRows(of key: [String], reread: (Int) throws(DataFileError) -> [(key: [String], rows: ClosedRange<Int>)])
        throws(DataFileError) -> ClosedRange<Int>?
    {
        switch mode {
        case .unchecked: return nil
        case .exact: return exact[key]
        case .ordered:
            guard let last else { return nil }
            if Self.precedes(last.key, key) { return nil }
            if last.key == key { return last.rows }
            // Out of order: from here on every key is remembered.
            mode = .fingerprints
            for (i, earlier) in try reread(count).enumerated() { store(earlier.key, index: i, rows: earlier.rows) }
            return try earlierRows(of: key, reread: reread)
        case .fingerprints:
            if let rows = exact[key] { return rows }
            guard let entry = byFingerprint[Self.fingerprint(key)] else { return nil }
            let earlier = try reread(entry.index + 1)[entry.index]
            return earlier.key == key ? entry.rows : nil
        }
    }

    /// Records the analysis at `index` (0-based, in file order) after ``earlierRows(of:reread:)`` found it new.
    mutating func insert(_ key: [String], index: Int, rows: ClosedRange<Int>) {
        count += 1
        switch mode {
        case .unchecked: return
        case .ordered: last = (key, rows)
        case .exact: exact[key] = rows
        case .fingerprints: store(key, index: index, rows: rows)
        }
    }

    private mutating func store(_ key: [String], index: Int, rows: ClosedRange<Int>) {
        let f = Self.fingerprint(key)
        if byFingerprint[f] == nil { byFingerprint[f] = (index, rows) } else { exact[key] = rows }
    }

    /// A strict total order on keys: column by column, all-digit values before others and ordered as numbers
    /// (then by their text, so `01` and `1` differ), others by their UTF-8 bytes. Numbered analyses 1, 2, …, 10 and
    /// zero-padded or alphabetical ids are all ascending.
    static func precedes(_ a: [String], _ b: [String]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            let xDigits = x.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, yDigits = y.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            if xDigits != yDigits { return xDigits }
            if xDigits {
                let xs = x.utf8.drop { $0 == 0x30 }, ys = y.utf8.drop { $0 == 0x30 }
                if xs.count != ys.count { return xs.count < ys.count }
                if !xs.elementsEqual(ys) { return xs.lexicographicallyPrecedes(ys) }
            }
            return x.utf8.lexicographicallyPrecedes(y.utf8)
        }
        return a.count < b.count
    }

    /// 64-bit FNV-1a over the values' bytes, each followed by 0xFF (never a UTF-8 byte), then mixed (SplitMix64's
    /// finaliser) — stable across runs, unlike `Hasher`.
    static func fingerprint(_ key: [String]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in key {
            for b in value.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            h = (h ^ 0xFF) &* 0x0000_0100_0000_01B3
        }
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 31)
    }
}
