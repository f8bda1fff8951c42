extension TextTable {
    /// How a column's cells are padded to its width.
    public enum Alignment: String, CaseIterable, Sendable {
        case left, right
    }

    /// The alignment of column `c`: as set in `alignments`, else left for the first column (labels) and
    /// right for the others (numbers), the layout of metafor's printed tables.
    public func alignment(ofColumn c: Int) -> Alignment {
        c < alignments.count ? alignments[c] : (c == 0 ? .left : .right)
    }
}
