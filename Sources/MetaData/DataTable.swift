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
        guard let text = String(validating: bytes[start...], as: UTF8.self) else {
            throw .notUTF8(offset: DataTable.firstInvalidUTF8(bytes))
        }
        var records = try DataTable.records(text)
        while let last = records.last, last.count == 1, last[0].isEmpty { records.removeLast() }
        guard let header = records.first, !(header.count == 1 && header[0].isEmpty) else { throw .emptyInput }
        guard records.count > 1 else { throw .noDataRows }
        let names = header.map { $0.trimmingSpaces() }
        var columns = Array(repeating: [String](), count: names.count)
        for (r, record) in records.dropFirst().enumerated() {
            guard record.count == names.count else {
                throw .wrongFieldCount(row: r + 1, expected: names.count, found: record.count)
            }
            for (c, field) in record.enumerated() { columns[c].append(field) }
        }
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
        guard !s.isEmpty, s.utf8.allSatisfy({ "+-0123456789.eE".utf8.contains($0) }) else { return nil }
        return s.withCString { p -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(p, &end)
            guard let end, end - UnsafeMutablePointer(mutating: p) == s.utf8.count else { return nil }
            return v
        }
    }

    private static func records(_ text: String) throws(InputError) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var wasQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = scalars.next()
        func endField() {
            record.append(String(field))
            field.removeAll()
            wasQuoted = false
        }
        while let c = pending {
            pending = scalars.next()
            if inQuotes {
                if c == "\"" {
                    if pending == "\"" { field.append("\""); pending = scalars.next() } else { inQuotes = false }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.allSatisfy({ $0 == " " }), !wasQuoted else { throw .malformedQuote(row: records.count) }
                field.removeAll()
                inQuotes = true
                wasQuoted = true
            case ",":
                endField()
            case "\r" where pending == "\n":
                continue
            case "\n":
                endField()
                records.append(record)
                record = []
            default:
                if wasQuoted, c != " " { throw .malformedQuote(row: records.count) }
                field.append(c)
            }
        }
        if inQuotes { throw .malformedQuote(row: records.count) }
        if !field.isEmpty || !record.isEmpty || wasQuoted { endField(); records.append(record) }
        return records
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
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
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
