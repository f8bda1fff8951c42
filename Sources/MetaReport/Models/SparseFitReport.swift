import MetaAnalysis

/// The table and CSV views of a Mantel–Haenszel, Peto or GLMM fit: every scalar of its JSON document
/// (nested objects flattened as `fit_stats.ML.AIC`), in the document's order, so the three formats can never
/// disagree. Per-study arrays are left to the JSON output.
public struct SparseFitReport: Sendable, RenderableReport {
    public let title: String
    /// The fit's JSON document without provenance.
    public let document: JSONValue
    public let notes: [String]
    public let provenance: Provenance?
    /// The fit in the layout of metafor's print method; the text form shows it (then `title` and the notes)
    /// instead of the list of quantities.
    public let printed: String?
    /// Top-level keys of `document` that are settings (the conventions in force): the text form lists them
    /// left-aligned under the title, apart from the table of numbers, so that a long setting (a source) does not
    /// widen the table. CSV and JSON keep them in place.
    public let settingKeys: [String]

    public init(title: String, document: JSONValue, notes: [String] = [], provenance: Provenance? = nil, printed: String? = nil,
                settingKeys: [String] = []) {
        self.title = title
        self.document = document
        self.notes = notes
        self.provenance = provenance
        self.printed = printed
        self.settingKeys = settingKeys
    }

    /// The fit's document followed by `provenance`.
    public func jsonValue() -> JSONValue {
        guard let provenance, case let .object(fields) = document else { return document }
        return .object(fields + [("provenance", provenance.jsonValue)])
    }

    /// (name, value) for every scalar, NA for null.
    public var rows: [(String, String)] {
        var out: [(String, String)] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case let .object(pairs): for (k, v) in pairs { walk(v, path.isEmpty ? k : path + "." + k) }
            case .array: break
            case .null: out.append((path, "NA"))
            case let .number(x): out.append((path, NumberFormat.shortest(x)))
            case let .string(s): out.append((path, s))
            case let .bool(b): out.append((path, String(b)))
            }
        }
        walk(document, "")
        return out
    }

    /// Like `rows`, with numbers as metafor prints them (4 decimals, p-values `<.0001` below that, counts whole);
    /// the CSV and JSON keep every digit.
    var roundedRows: [(String, String)] {
        var out: [(String, String)] = []
        func walk(_ value: JSONValue, _ path: String, _ key: String) {
            switch value {
            case let .object(pairs): for (k, v) in pairs { walk(v, path.isEmpty ? k : path + "." + k, k) }
            case .array: break
            case .null: out.append((path, "NA"))
            case let .number(x): out.append((path, Self.rounded(x, key: key)))
            case let .string(s): out.append((path, s))
            case let .bool(b): out.append((path, String(b)))
            }
        }
        walk(document, "", "")
        return out
    }

    static func rounded(_ x: Double, key: String) -> String {
        let isPValue = key.hasPrefix("pval") || key.hasPrefix("QEp") || key.hasPrefix("QMp") || key.hasSuffix("_pval")
        if isPValue { return NumberFormat.pValue(x) }
        if let whole = NumberFormat.whole(x) { return whole }
        if x.isFinite, x != 0, abs(x) < 1e-4 { return NumberFormat.significant(x, 4) }
        return NumberFormat.fixed(x)
    }

    public func textReport() -> String {
        if let printed {
            return printed + "\n" + title + "\n" + (notes.isEmpty ? "" : "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined())
        }
        let all = roundedRows
        let settings = all.filter { settingKeys.contains($0.0) }
        let table = TextTable(header: ["quantity", "value"], rows: all.filter { !settingKeys.contains($0.0) }.map { [$0.0, $0.1] })
        let block = settings.isEmpty ? []
            : [TextTable(header: ["setting", "value"], rows: settings.map { [$0.0, $0.1] }, alignments: [.left, .left]).rendered()]
        return ([title, ""] + block + [table.rendered()] + (notes.isEmpty ? [] : [""] + notes.map { "Note: " + $0 })).joined(separator: "\n") + "\n"
    }

    public func csvDocument() -> CSVDocument {
        CSVDocument(header: ["quantity", "value"], rows: rows.map { [$0.0, $0.1] })
    }
}
