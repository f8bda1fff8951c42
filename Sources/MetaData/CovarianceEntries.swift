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

    /// Reads the entries of `table` (columns `row1`, `row2`, `cov`) for `count` effects, one per data row.
    /// - Throws: as ``init(table:effectRows:)``.
    public init(table: DataTable, count: Int) throws(InputError) {
        try self.init(table: table, effectRows: Array(0..<count))
    }

    /// Reads the entries of `table` (columns `row1`, `row2`, `cov`) for the effects at `effectRows` (0-based data
    /// rows of the effects' file, ascending, one per effect): `row1`/`row2` name data rows (1-based) and the
    /// entries hold positions in `effectRows`. The one place that maps the file's rows to effects.
    /// - Throws: `InputError` naming the data row and column of a missing column, a cell that is not a number, a
    ///   row number that is not a data row with an effect, a variance that is not positive, a pair given twice with
    ///   two values, or an effect whose variance no line gives.
    public init(table: DataTable, effectRows: [Int]) throws(InputError) {
        let neededBy = "a covariance file (row1, row2, cov)"
        let first = try table.numbers("row1", neededBy: neededBy)
        let second = try table.numbers("row2", neededBy: neededBy)
        let values = try table.numbers("cov", neededBy: neededBy)
        var position = [Int: Int](minimumCapacity: effectRows.count)
        for (i, r) in effectRows.enumerated() { position[r] = i }
        let expected = effectRows.last.map { $0 + 1 == effectRows.count } ?? true
            ? "an effect number from 1 to \(effectRows.count) (a data row of the effects' file)"
            : "a data row of the effects' file that has an effect size (\(effectRows.count) of rows 1 to \((effectRows.last ?? 0) + 1))"
        func effect(_ x: Double, column: String, line: Int) throws(InputError) -> Int {
            guard x == x.rounded(), x >= 1, x <= 1e15, let p = position[Int(x) - 1] else {
                throw .outOfRange(row: line, column: column, value: x, expected: expected)
            }
            return p
        }
        var seen = [Pair: (value: Double, line: Int)]()
        var hasVariance = [Bool](repeating: false, count: effectRows.count)
        var entries = [Entry]()
        entries.reserveCapacity(values.count)
        for line in 0..<values.count {
            let a = try effect(first[line], column: "row1", line: line + 1)
            let b = try effect(second[line], column: "row2", line: line + 1)
            if a == b {
                guard values[line] > 0 else {
                    throw .outOfRange(row: line + 1, column: "cov", value: values[line], expected: "a sampling variance > 0 (row1 = row2)")
                }
                hasVariance[a] = true
            }
            let key = Pair(min(a, b), max(a, b))
            if let earlier = seen[key] {
                guard earlier.value == values[line] else {
                    throw .inconsistent(row: line + 1, columns: Self.columns,
                                        rule: "the covariance of data rows \(effectRows[key.low] + 1) and \(effectRows[key.high] + 1) is \(NumberText.plain(values[line])) here and \(NumberText.plain(earlier.value)) in row \(earlier.line); expected one value (V is symmetric)")
                }
                continue
            }
            seen[key] = (values[line], line + 1)
            entries.append(Entry(row1: a, row2: b, value: values[line], line: line + 1))
        }
        if let missing = hasVariance.firstIndex(of: false) { throw .missingVariance(dataRow: effectRows[missing] + 1) }
        self.entries = entries
    }

    /// The blocks of V: effects linked by nonzero entries, each block's rows ascending and its values row-major
    /// (zero where no entry is given). An effect with only its variance is a block of one.
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
}
