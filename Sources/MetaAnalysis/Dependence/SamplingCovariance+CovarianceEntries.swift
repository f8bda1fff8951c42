import MetaData

extension SamplingCovariance {
    /// V from the entries of a long covariance table (`row1,row2,cov`, as `metaswift vcalc` writes it).
    /// - Throws: `SamplingCovarianceError` for an effect with no entry (not even its variance), a variance that is
    ///   not positive.
    public init(_ entries: CovarianceEntries, count: Int) throws {
        try self.init(count: count, blocks: entries.blocks())
    }

    /// The nonzero entries of the upper triangle with the diagonal, block by block, rows 0-based and ascending:
    /// the lines of the long format `row1,row2,cov`.
    public var upperTriangleEntries: [(row1: Int, row2: Int, value: Double)] {
        var out = [(row1: Int, row2: Int, value: Double)]()
        for block in blocks {
            for a in 0..<block.size {
                for b in a..<block.size where block.element(a, b) != 0 {
                    out.append((block.rows[a], block.rows[b], block.element(a, b)))
                }
            }
        }
        return out.sorted { ($0.row1, $0.row2) < ($1.row1, $1.row2) }
    }
}
