/// A sampling covariance matrix written as a long table with columns `row1`, `row2`, `cov`: one line per nonzero
/// entry, rows 1-based effect numbers (the data rows of the effects' CSV). The format `metaswift vcalc` writes;
/// either triangle may be given, and a pair given both ways must carry the same value.
///
/// The data layer reads the table and groups the entries into blocks (effects linked by a nonzero covariance,
/// directly or through others); the analysis layer turns the blocks into V (`SamplingCovariance`).
public struct CovarianceEntries: Sendable, Equatable {
    /// One entry: 0-based effect positions and the covariance (a variance when `row1 == row2`).
    public struct Entry: Sendable, Equatable {
        public let row1: Int
        public let row2: Int
        public let value: Double
        /// The data row of the table it came from (1-based), for errors.
        public let line: Int
    }

    /// The column names, in the order `metaswift vcalc` writes them.
    public static let columns = ["row1", "row2", "cov"]

    public let entries: [Entry]

    /// Reads the entries of `table` (columns `row1`, `row2`, `cov`) for `count` effects.
    /// - Throws: `InputError` naming the data row and column of a missing column, a cell that is not a number,
    ///   an effect number that is not a whole number from 1 to `count`, or a pair given twice with two values.
    public init(table: DataTable, count: Int) throws(InputError) {
        let neededBy = "a covariance file (row1, row2, cov)"
        let first = try table.numbers("row1", neededBy: neededBy)
        let second = try table.numbers("row2", neededBy: neededBy)
        let values = try table.numbers("cov", neededBy: neededBy)
        var seen = [Pair: (value: Double, line: Int)]()
        var entries = [Entry]()
        entries.reserveCapacity(values.count)
        for line in 0..<values.count {
            let a = try Self.effect(first[line], column: "row1", line: line + 1, count: count)
            let b = try Self.effect(second[line], column: "row2", line: line + 1, count: count)
            let key = Pair(min(a, b), max(a, b))
            if let earlier = seen[key] {
                guard earlier.value == values[line] else {
                    throw .inconsistent(row: line + 1, columns: Self.columns,
                                        rule: "the covariance of effects \(key.low + 1) and \(key.high + 1) is \(NumberText.plain(values[line])) here and \(NumberText.plain(earlier.value)) in row \(earlier.line); expected one value (V is symmetric)")
                }
                continue
            }
            seen[key] = (values[line], line + 1)
            entries.append(Entry(row1: a, row2: b, value: values[line], line: line + 1))
        }
        self.entries = entries
    }

    /// The blocks of V: effects linked by nonzero entries, each block's rows ascending and its values row-major
    /// (zero where no entry is given). An effect with only its variance is a block of one; an effect with no
    /// entry at all is in no block (the analysis layer reports it).
    public func blocks() -> [(rows: [Int], values: [Double])] {
        var parent = [Int: Int]()
        func root(_ x: Int) -> Int {
            var r = x
            while let p = parent[r], p != r { r = p }
            var y = x
            while let p = parent[y], p != r { parent[y] = r; y = p }
            return r
        }
        for e in entries {
            if parent[e.row1] == nil { parent[e.row1] = e.row1 }
            if parent[e.row2] == nil { parent[e.row2] = e.row2 }
            guard e.value != 0 || e.row1 == e.row2 else { continue }
            let a = root(e.row1), b = root(e.row2)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var members = [Int: [Int]]()
        for row in parent.keys { members[root(row), default: []].append(row) }
        var blocks = [(rows: [Int], values: [Double])]()
        var blockOf = [Int: (block: Int, position: Int)]()
        for key in members.keys.sorted() {
            let rows = members[key]!.sorted()
            for (position, row) in rows.enumerated() { blockOf[row] = (blocks.count, position) }
            blocks.append((rows, [Double](repeating: 0, count: rows.count * rows.count)))
        }
        for e in entries {
            let (block, a) = blockOf[e.row1]!, (other, b) = blockOf[e.row2]!
            guard block == other else { continue }
            let n = blocks[block].rows.count
            blocks[block].values[a * n + b] = e.value
            blocks[block].values[b * n + a] = e.value
        }
        return blocks
    }

    private struct Pair: Hashable {
        let low: Int, high: Int
        init(_ low: Int, _ high: Int) { self.low = low; self.high = high }
    }

    private static func effect(_ x: Double, column: String, line: Int, count: Int) throws(InputError) -> Int {
        guard x == x.rounded(), x >= 1, x <= Double(count) else {
            throw .outOfRange(row: line, column: column, value: x, expected: "an effect number from 1 to \(count) (a data row of the effects' file)")
        }
        return Int(x) - 1
    }
}
