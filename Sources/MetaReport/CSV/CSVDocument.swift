/// A CSV document to write: a header and rows of text fields (RFC 4180 quoting where needed, `\n` line ends).
public struct CSVDocument: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    public func serialized() -> String {
        var out = ""
        for record in [header] + rows { out += Self.line(record) }
        return out
    }

    /// One record: its fields quoted where needed, joined by commas, and a line end.
    public static func line(_ fields: [String]) -> String {
        var out = ""
        out.reserveCapacity(fields.reduce(fields.count) { $0 + $1.utf8.count })
        for (i, field) in fields.enumerated() {
            if i > 0 { out += "," }
            out += quoted(field)
        }
        out += "\n"
        return out
    }

    private static func quoted(_ field: String) -> String {
        // Bytes, not Characters: faster, and a "\r\n" inside a field (one Character) is quoted too.
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
