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
        // Most tables have a handful of columns: a scan of the earlier names is cheaper than hashing them.
        var seen = columns.count > 16 ? Set<String>() : nil
        for (i, c) in columns.enumerated() {
            if c.name.isEmpty { throw .emptyColumnName(position: i + 1) }
            let repeated = if let seen { seen.contains(c.name) } else { columns[..<i].contains { $0.name == c.name } }
            if repeated { throw .duplicateColumn(name: c.name) }
            seen?.insert(c.name)
        }
        precondition(columns.allSatisfy { $0.values.count == columns[0].values.count }, "columns must have equal length")
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

    /// Exact decimal → double conversion (the whole field must be consumed): optional sign, digits with at most one
    /// point, optional exponent — `strtod`'s decimal form; nil for anything else (hex, `inf`, `nan`, spaces).
    package static func parseDouble(_ s: String) -> Double? {
        var s = s
        return s.withUTF8 { bytes -> Double? in
            guard let syntax = DecimalSyntax(bytes) else { return nil }
            if let x = syntax.exactValue { return x }
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text -> Double? in
                for i in 0..<bytes.count { text[i] = CChar(bitPattern: bytes[i]) }
                text[bytes.count] = 0
                var end: UnsafeMutablePointer<CChar>? = nil
                let v = strtod(text.baseAddress!, &end)
                guard let end, end - text.baseAddress! == bytes.count else { return nil }
                return v
            }
        }
    }

    /// A decimal number's text split into sign, significant digits and power of ten, for Clinger's fast path
    /// (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990): an integer mantissa below 2^53
    /// times or divided by an exact power of ten up to 10^22 is one correctly rounded operation, so the result is the
    /// correctly rounded double, as `strtod` gives; other numbers go to `strtod`.
    private struct DecimalSyntax {
        var negative = false
        var mantissa: UInt64 = 0
        /// Significant digits beyond what `mantissa` can hold exactly (then `strtod` decides).
        var overflow = false
        var exponent = 0

        /// Nil unless `bytes` is `[+-]digits[.digits][(e|E)[+-]digits]` with at least one mantissa digit.
        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            var i = 0
            let n = bytes.count
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { negative = bytes[i] == UInt8(ascii: "-"); i += 1 }
            var digits = 0, point = false
            while i < n {
                let b = bytes[i]
                if b >= 0x30 && b <= 0x39 {
                    digits += 1
                    if mantissa < 100_000_000_000_000_000 { mantissa = mantissa * 10 + UInt64(b - 0x30); if point { exponent -= 1 } }
                    else { overflow = true; if !point { exponent += 1 } }
                } else if b == UInt8(ascii: "."), !point {
                    point = true
                } else {
                    break
                }
                i += 1
            }
            guard digits > 0 else { return nil }
            if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                var exponentNegative = false
                if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { exponentNegative = bytes[i] == UInt8(ascii: "-"); i += 1 }
                var e = 0, exponentDigits = 0
                while i < n, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                    if e < 100_000 { e = e * 10 + Int(bytes[i] - 0x30) }
                    exponentDigits += 1
                    i += 1
                }
                guard exponentDigits > 0 else { return nil }
                exponent += exponentNegative ? -e : e
            }
            guard i == n else { return nil }
        }

        private static let powers: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { x, _ in x * 10 } }

        /// The value when the fast path is exact, else nil.
        var exactValue: Double? {
            guard !overflow, mantissa < 1 << 53, abs(exponent) <= 22 else { return mantissa == 0 && !overflow ? (negative ? -0.0 : 0) : nil }
            let m = Double(mantissa)
            let x = exponent >= 0 ? m * Self.powers[exponent] : m / Self.powers[-exponent]
            return negative ? -x : x
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
        let add = { (record: inout [String], _: Int) -> Void in
            fields.append(contentsOf: record)
            ends.append(fields.count)
        }
        do {
            try bytes.withUnsafeBufferPointer { all in try scanner.scan(UnsafeBufferPointer(rebasing: all[start...]), add) }
            try scanner.finish(add)
        } catch let error as InputError {
            throw error
        } catch {
            preconditionFailure("the tokenizer throws only InputError: \(error)")
        }
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
