import MetaAnalysis

/// The table and CSV views of a Mantel–Haenszel, Peto or GLMM fit: every scalar of its JSON document
/// (nested objects flattened as `fit_stats.ML.AIC`), in the document's order, so the three formats can never
/// disagree. Per-study arrays are left to the JSON output.
public struct SparseFitReport: Sendable {
    public let title: String
    public let document: JSONValue
    public let notes: [String]

    public init(title: String, document: JSONValue, notes: [String] = []) {
        self.title = title
        self.document = document
        self.notes = notes
    }

    /// (name, value) for every scalar, NA for null.
    public var rows: [(String, String)] {
        var out: [(String, String)] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case let .object(pairs): for (k, v) in pairs { walk(v, path.isEmpty ? k : path + "." + k) }
            case .array: break
            case .null: out.append((path, "NA"))
            case let .number(x): out.append((path, CSVDocument.field(x)))
            case let .string(s): out.append((path, s))
            case let .bool(b): out.append((path, String(b)))
            }
        }
        walk(document, "")
        return out
    }

    public func textReport() -> String {
        let table = TextTable(header: ["quantity", "value"], rows: rows.map { [$0.0, $0.1] })
        return ([title, "", table.rendered()] + (notes.isEmpty ? [] : [""] + notes.map { "Note: " + $0 })).joined(separator: "\n") + "\n"
    }

    public func csvDocument() -> CSVDocument {
        CSVDocument(header: ["quantity", "value"], rows: rows.map { [$0.0, $0.1] })
    }
}
