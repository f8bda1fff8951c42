/// The printable result of a bias or sensitivity analysis: scalar fields, per-study (or per-step) columns,
/// notes and provenance, rendered as JSON (the conformance bank's field names, in order), CSV (the columns;
/// the scalars when there are none) or an aligned text table.
public struct AnalysisReport: Sendable, RenderableReport {
    /// One line naming the analysis and the choices made (text output only).
    public var title: String
    /// Top-level fields in output order (numbers, strings, nested objects).
    public var fields: [(String, JSONValue)]
    /// The label column of the rows (e.g. `study`), printed first; nil for none.
    public var rowLabels: (name: String, values: [String])?
    /// Per-row columns in output order; each has one value per row.
    public var columns: [(String, [JSONValue])]
    /// Notes for the user (k < 10, truncations, omitted studies): `diagnostics` in JSON.
    public var notes: [String]
    public var provenance: Provenance?
    /// Digits shown in the text table.
    public var digits: Int
    /// Whether JSON repeats the columns as arrays (false when `fields` already hold them under their own names).
    public var columnsInJSON = true
    /// The analysis in the layout of metafor's print method, when it has one: the text form then shows this and
    /// the notes instead of the list of fields.
    public var printed: String?

    public init(title: String, fields: [(String, JSONValue)] = [], rowLabels: (name: String, values: [String])? = nil,
                columns: [(String, [JSONValue])] = [], notes: [String] = [], provenance: Provenance? = nil, digits: Int = 4) {
        precondition(columns.allSatisfy { $0.1.count == (rowLabels?.values.count ?? columns.first?.1.count ?? 0) },
                     "every column needs one value per row")
        self.title = title
        self.fields = fields
        self.rowLabels = rowLabels
        self.columns = columns
        self.notes = notes
        self.provenance = provenance
        self.digits = digits
    }

    /// The JSON document: the fields, the row labels, the columns as arrays, `diagnostics`, `provenance`.
    public func jsonValue() -> JSONValue {
        var out = fields
        if let rowLabels { out.append((rowLabels.name, .array(rowLabels.values.map { .string($0) }))) }
        if columnsInJSON {
            for (name, values) in columns { out.append((name, .array(values))) }
        }
        out.append(("diagnostics", .array(notes.map { .string($0) })))
        if let provenance { out.append(("provenance", provenance.jsonValue)) }
        return .object(out)
    }

    /// The columns as CSV (one row per study or step); a report without columns gives its scalar fields as
    /// one row.
    public func csvDocument() -> CSVDocument {
        if columns.isEmpty {
            let scalars = fields.filter { Self.isScalar($0.1) }
            return CSVDocument(header: scalars.map(\.0), rows: [scalars.map { Self.csvField($0.1) }])
        }
        let rowCount = columns[0].1.count
        var header: [String] = []
        if let rowLabels { header.append(rowLabels.name) }
        header += columns.map(\.0)
        var rows: [[String]] = []
        for r in 0..<rowCount {
            var row: [String] = []
            if let rowLabels { row.append(rowLabels.values[r]) }
            row += columns.map { Self.csvField($0.1[r]) }
            rows.append(row)
        }
        return CSVDocument(header: header, rows: rows)
    }

    /// The title, the scalar fields as `name: value` lines, the column table, then the notes.
    public func textReport() -> String {
        if let printed {
            return printed + (notes.isEmpty ? "" : "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined())
        }
        var out = title + "\n\n"
        let scalars = fields.filter { Self.isScalar($0.1) }
        if !scalars.isEmpty {
            let width = scalars.map(\.0.count).max() ?? 0
            for (name, value) in scalars {
                let text = Self.isPValue(name) ? value.doubleValue.map { NumberFormat.pValue($0, digits: digits) } ?? textField(value) : textField(value)
                out += name + String(repeating: " ", count: width - name.count) + "  " + text + "\n"
            }
        }
        for (name, value) in fields where !Self.isScalar(value) && value.arrayValue == nil {
            out += "\n" + name + ":\n"
            for (key, inner) in value.objectValue ?? [] { out += "  \(key): \(textField(inner))\n" }
        }
        if !columns.isEmpty {
            if !scalars.isEmpty { out += "\n" }
            var header: [String] = []
            if let rowLabels { header.append(rowLabels.name) }
            header += columns.map(\.0)
            var table = TextTable(header: header)
            for r in 0..<columns[0].1.count {
                var row: [String] = []
                if let rowLabels { row.append(rowLabels.values[r]) }
                row += columns.map { Self.isPValue($0.0) ? $0.1[r].doubleValue.map { NumberFormat.pValue($0, digits: digits) } ?? textField($0.1[r]) : textField($0.1[r]) }
                table.rows.append(row)
            }
            out += table.rendered()
        }
        if !notes.isEmpty { out += "\n" + notes.map { "Note: \($0)\n" }.joined() }
        return out
    }

    /// p-values print as metafor prints them (`<.0001` below the digits shown).
    private static func isPValue(_ name: String) -> Bool {
        name == "pval" || name == "QEp" || name == "Qp" || name == "p_k0" || name.hasSuffix("_pval")
    }

    private static func isScalar(_ v: JSONValue) -> Bool {
        switch v {
        case .null, .bool, .number, .string: return true
        case let .array(items): return items.isEmpty
        default: return false
        }
    }

    private func textField(_ v: JSONValue) -> String {
        switch v {
        case .null: return "NA"
        case let .bool(b): return b ? "yes" : "no"
        // Whole numbers print as integers up to 2^53 (every one exact), so counts such as GOSH's 2^30 − 1 subsets
        // read as counts.
        case let .number(x): return NumberFormat.whole(x, below: 0x1p53) ?? NumberFormat.fixed(x, digits: digits)
        case let .string(s): return v.doubleValue.map { NumberFormat.fixed($0) } ?? s
        case let .array(items): return items.map(textField).joined(separator: ", ")
        case .object: return v.serialized(indent: nil)
        }
    }

    private static func csvField(_ v: JSONValue) -> String {
        switch v {
        case .null: return "NA"
        case let .bool(b): return b ? "TRUE" : "FALSE"
        case let .number(x): return NumberFormat.shortest(x)
        case let .string(s): return s
        default: return v.serialized(indent: nil)
        }
    }
}
