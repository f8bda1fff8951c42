#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV file read into named text columns, converted to numbers on request with row- and column-aware errors.
///
/// RFC 4180: `,` separators, fields optionally double-quoted with `""` for an embedded quote, `\n` or `\r\n`
/// line ends, one header row and at least one data row. A UTF-8 byte-order mark is skipped; blank lines at
/// the end are ignored. An empty or `NA` cell where a number is needed is an error, never a dropped study.
/// Row numbers in errors are 1-based data rows (the first line after the header is row 1).
public struct DataTable: Sendable, Equatable {
    /// Column names in file order.
    public let columnNames: [String]
    /// Cells by column, then row.
    private let cells: [[String]]
    public var rowCount: Int { cells.first?.count ?? 0 }

    /// Builds a table from columns of text (all the same length).
    public init(columns: [(name: String, values: [String])]) throws(InputError) {
        var seen = Set<String>()
        for (i, c) in columns.enumerated() {
            if c.name.isEmpty { throw .emptyColumnName(position: i + 1) }
            if !seen.insert(c.name).inserted { throw .duplicateColumn(name: c.name) }
        }
        precondition(Set(columns.map(\.values.count)).count <= 1, "columns must have equal length")
        columnNames = columns.map(\.name)
        cells = columns.map(\.values)
    }

    /// Parses CSV bytes.
    public init(csv bytes: [UInt8]) throws(InputError) {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        // Validate UTF-8 without building the text: a file that is all ASCII (the usual case) needs one byte scan.
        if !DataTable.isASCII(bytes, from: start), String(validating: bytes[start...], as: UTF8.self) == nil {
            throw .notUTF8(offset: DataTable.firstInvalidUTF8(bytes))
        }
        // A NUL is valid UTF-8 but never CSV text; kept, it would end up invisible inside a column name or cell.
        if let nul = bytes[start...].firstIndex(of: 0) {
            throw .nulByte(line: bytes[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }, offset: nul)
        }
        var (fields, ends) = try DataTable.records(bytes, from: start)
        // Blank lines at the end: records of one empty field.
        while let last = ends.last {
            let first = ends.count >= 2 ? ends[ends.count - 2] : 0
            guard last - first == 1, fields[first].isEmpty else { break }
            ends.removeLast()
            fields.removeLast()
        }
        guard let headerEnd = ends.first, !(headerEnd == 1 && fields[0].isEmpty) else { throw .emptyInput }
        guard ends.count > 1 else {
            throw fields[0..<headerEnd].contains { $0.utf8.contains(0x0D) } ? .carriageReturnLineEnds : .noDataRows
        }
        let names = fields[0..<headerEnd].map { $0.trimmingSpaces() }
        var columns = Array(repeating: [String](), count: names.count)
        for c in columns.indices { columns[c].reserveCapacity(ends.count - 1) }
        for r in 1..<ends.count {
            let first = ends[r - 1], count = ends[r] - first
            guard count == names.count else {
                throw .wrongFieldCount(row: r, expected: names.count, found: count)
            }
            for c in 0..<count { columns[c].append(fields[first + c]) }
        }
        fields = []
        try self.init(columns: Array(zip(names, columns)).map { (name: $0.0, values: $0.1) })
    }

    /// Parses CSV text.
    public init(csv text: String) throws(InputError) {
        try self.init(csv: Array(text.utf8))
    }

    /// Reads and parses a CSV file.
    public init(contentsOfFile path: String) throws(DataFileError) {
        let bytes: [UInt8]
        do { bytes = try readFile(path) } catch { throw error }
        do { try self.init(csv: bytes) } catch { throw .input(path: path, error) }
    }

    public func hasColumn(_ name: String) -> Bool { columnNames.contains(name) }

    /// The text of a column.
    public func strings(_ name: String, neededBy: String) throws(InputError) -> [String] {
        guard let i = columnNames.firstIndex(of: name) else { throw .missingColumn(name: name, neededBy: neededBy, present: columnNames) }
        return cells[i]
    }

    /// The labels of `rows` (0-based; all rows by default) in a category column (a factor moderator, a grouping
    /// column), trimmed. An empty or `NA` cell is a missing value: an error naming row and column, never a level
    /// of its own or a silently dropped study.
    public func labels(_ name: String, neededBy: String, rows: [Int]? = nil) throws(InputError) -> [String] {
        let text = try strings(name, neededBy: neededBy)
        var out = [String]()
        for r in rows ?? Array(text.indices) {
            let label = text[r].trimmingSpaces()
            if label.isEmpty || label == "NA" { throw .missingValue(row: r + 1, column: name, value: text[r]) }
            out.append(label)
        }
        return out
    }

    /// A column as finite doubles; an empty, non-numeric, NaN or infinite cell is an error naming row and column.
    public func numbers(_ name: String, neededBy: String) throws(InputError) -> [Double] {
        let text = try strings(name, neededBy: neededBy)
        var out = [Double]()
        out.reserveCapacity(text.count)
        for (r, raw) in text.enumerated() {
            guard let x = try Self.number(raw, row: r + 1, column: name) else {
                throw .missingValue(row: r + 1, column: name, value: raw)
            }
            out.append(x)
        }
        return out
    }

    /// A column whose empty or `NA` cells mean "not reported" (nil); any other non-number, NaN or infinity is an
    /// error naming row and column.
    public func optionalNumbers(_ name: String, neededBy: String) throws(InputError) -> [Double?] {
        let text = try strings(name, neededBy: neededBy)
        var out = [Double?]()
        out.reserveCapacity(text.count)
        for (r, raw) in text.enumerated() { out.append(try Self.number(raw, row: r + 1, column: name)) }
        return out
    }

    /// One cell (`row` 1-based) as a finite double, or nil when it is empty or `NA`.
    static func number(_ raw: String, row: Int, column: String) throws(InputError) -> Double? {
        let field = raw.trimmingSpaces()
        guard let x = parseDouble(field) else {
            let lowered = field.lowercased()
            if lowered.isEmpty || lowered == "na" { return nil }
            if ["nan", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(lowered) {
                throw .notFinite(row: row, column: column, value: raw)
            }
            throw .notANumber(row: row, column: column, value: raw)
        }
        guard x.isFinite else { throw .notFinite(row: row, column: column, value: raw) }
        return x
    }

    /// Exact decimal → double conversion by `strtod` (the whole field must be consumed).
    package static func parseDouble(_ s: String) -> Double? {
        guard !s.isEmpty, s.utf8.allSatisfy({ switch $0 {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"): true
            default: false
        } }) else { return nil }
        return s.withCString { p -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(p, &end)
            guard let end, end - UnsafeMutablePointer(mutating: p) == s.utf8.count else { return nil }
            return v
        }
    }

    private static func isASCII(_ bytes: [UInt8], from start: Int) -> Bool {
        var any: UInt8 = 0
        for i in start..<bytes.count { any |= bytes[i] }
        return any < 0x80
    }

    /// The fields of every record in file order, and after each record the number of fields so far (one pass over
    /// the bytes by the one CSV tokenizer, ``CSVRecordScanner``).
    private static func records(_ bytes: [UInt8], from start: Int) throws(InputError) -> (fields: [String], ends: [Int]) {
        var fields: [String] = []
        var ends: [Int] = []
        var scanner = CSVRecordScanner()
        let add = { (record: inout [String], _: Int) throws(InputError) -> Void in
            fields.append(contentsOf: record)
            ends.append(fields.count)
        }
        try bytes.withUnsafeBufferPointer { (all) throws(InputError) -> Void in
            try scanner.scan(UnsafeBufferPointer(rebasing: all[start...]), add)
        }
        try scanner.finish(add)
        return (fields, ends)
    }

    /// The offset of the first byte of `bytes` that is not well-formed UTF-8 (`bytes.count` when all are).
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    package func trimmingSpaces() -> String {
        let isBlank = { (b: UInt8?) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        if !isBlank(utf8.first) && !isBlank(utf8.last) { return self }
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
