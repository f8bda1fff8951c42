#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
        if isPValue { return TextTable.pValue(x) }
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        if x.isFinite, x != 0, abs(x) < 1e-4 {
            var buffer = [CChar](repeating: 0, count: 32)
            _ = withVaList([x]) { vsnprintf(&buffer, buffer.count, "%.4g", $0) }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return TextTable.fixed(x)
    }

    public func textReport() -> String {
        let table = TextTable(header: ["quantity", "value"], rows: roundedRows.map { [$0.0, $0.1] })
        return ([title, "", table.rendered()] + (notes.isEmpty ? [] : [""] + notes.map { "Note: " + $0 })).joined(separator: "\n") + "\n"
    }

    public func csvDocument() -> CSVDocument {
        CSVDocument(header: ["quantity", "value"], rows: rows.map { [$0.0, $0.1] })
    }
}
