/// An aligned plain-text table: the first column left-aligned (labels), the others right-aligned (numbers),
/// unless `alignments` says otherwise.
public struct TextTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    /// Per-column alignment; columns beyond its end use the default (see `alignment(ofColumn:)`).
    public var alignments: [Alignment]

    public init(header: [String], rows: [[String]] = [], alignments: [Alignment] = []) {
        self.header = header
        self.rows = rows
        self.alignments = alignments
    }

    public func rendered() -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        var out = ""
        for record in all {
            var line = ""
            for (c, width) in widths.enumerated() {
                let cell = record.indices.contains(c) ? record[c] : ""
                let padding = String(repeating: " ", count: width - cell.count)
                if c > 0 { line += "  " }
                line += alignment(ofColumn: c) == .left ? cell + padding : padding + cell
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
