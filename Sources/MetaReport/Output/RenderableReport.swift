/// The rendering contract: every result report renders as text, CSV and JSON, and `rendered(_:)` is the one
/// place that picks among them, so no command chooses a format by hand.
public protocol RenderableReport {
    /// The JSON document (conformance field names, `diagnostics`, `provenance`).
    func jsonValue() -> JSONValue
    /// The CSV document: a header and at least one row.
    func csvDocument() -> CSVDocument
    /// Prose and aligned tables for a reader.
    func textReport() -> String
    /// Notes that CSV has no place for (the text and JSON carry them): shown apart from the document, on
    /// standard error.
    var csvNotes: [String] { get }
}

extension RenderableReport {
    public var csvNotes: [String] { [] }

    /// The document in `format`, ending in a newline.
    public func rendered(_ format: OutputFormat) -> String {
        switch format {
        case .json: return jsonValue().serialized() + "\n"
        case .csv: return csvDocument().serialized()
        case .table: return textReport()
        }
    }
}
