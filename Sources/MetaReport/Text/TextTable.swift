#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// `x` with `digits` decimals (`NA` for NaN).
    public static func fixed(_ x: Double, digits: Int = 4) -> String {
        if x.isNaN { return "NA" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([digits, x]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // "-0.0000" reads as a sign error; print it as zero.
        return text.allSatisfy { $0 == "-" || $0 == "0" || $0 == "." } ? String(text.drop { $0 == "-" }) : text
    }

    /// A p-value with `digits` decimals, or `<.0001` (for 4 digits) below what that shows, as metafor prints it.
    public static func pValue(_ p: Double, digits: Int = 4) -> String {
        if p.isNaN { return "NA" }
        let smallest = 1 / pow(10, Double(digits))
        if p < smallest { return "<." + String(repeating: "0", count: digits - 1) + "1" }
        return fixed(p, digits: digits)
    }
}
