extension SamplingCovariance {
    /// V from its nonzero entries (the long form `row1,row2,cov`, rows 0-based): each effect's variance (row1 =
    /// row2) must be given; a covariance may be given once or both ways (then equal). The blocks are the connected
    /// groups of effects linked by a nonzero covariance.
    /// - Throws: ``SamplingCovarianceError`` naming the entry at fault: a row outside 0..<count, a variance missing
    ///   or given twice, a value that is not finite, or a covariance given twice with different values.
    public init(count: Int, entries: [(row1: Int, row2: Int, value: Double)]) throws {
        var variance = [Double?](repeating: nil, count: count)
        var off: [Int: [Int: Double]] = [:]
        var parent = Array(0..<count)
        func find(_ a: Int) -> Int {
            var a = a
            while parent[a] != a { parent[a] = parent[parent[a]]; a = parent[a] }
            return a
        }
        for (a, b, value) in entries {
            for r in [a, b] where !(r >= 0 && r < count) { throw SamplingCovarianceError.rowOutOfRange(row: r, count: count) }
            if a == b {
                guard variance[a] == nil else { throw SamplingCovarianceError.repeatedEntry(rowA: a, rowB: b) }
                guard value.isFinite && value > 0 else { throw SamplingCovarianceError.nonPositiveVariance(row: a, value: value) }
                variance[a] = value
                continue
            }
            guard value.isFinite else { throw SamplingCovarianceError.notSymmetric(rowA: a, rowB: b, upper: value, lower: value) }
            let (i, j) = (min(a, b), max(a, b))
            if let old = off[i]?[j] {
                guard old == value else { throw SamplingCovarianceError.notSymmetric(rowA: i, rowB: j, upper: old, lower: value) }
                continue
            }
            off[i, default: [:]][j] = value
            if value != 0 {
                let ri = find(i), rj = find(j)
                if ri != rj { parent[max(ri, rj)] = min(ri, rj) }
            }
        }
        if let missing = variance.firstIndex(where: { $0 == nil }) { throw SamplingCovarianceError.rowInNoBlock(row: missing) }
        var members: [Int: [Int]] = [:]
        for r in 0..<count { members[find(r), default: []].append(r) }
        let blocks = members.values.map { rows -> (rows: [Int], values: [Double]) in
            let n = rows.count
            var values = [Double](repeating: 0, count: n * n)
            for (x, a) in rows.enumerated() {
                for (y, b) in rows.enumerated() {
                    values[x * n + y] = a == b ? variance[a]! : (off[min(a, b)]?[max(a, b)] ?? 0)
                }
            }
            return (rows, values)
        }
        try self.init(count: count, blocks: blocks)
    }
}
