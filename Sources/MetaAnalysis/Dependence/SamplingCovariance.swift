/// The known sampling covariance matrix V of k effect sizes, block-diagonal by cluster: effects in different
/// blocks are independent, so V is stored as its blocks and every product with V costs O(Σ n_c²), not O(k²).
///
/// Built from sampling variances (a diagonal V, one block per effect), from explicit blocks (e.g. read back from
/// `vcalc` output), or by the variance–covariance calculators. Rows are 0-based positions in the effect vector.
public struct SamplingCovariance: Sendable, Equatable {
    /// One diagonal block: the effects at `rows` (ascending) and their covariance, row-major `rows.count`².
    public struct Block: Sendable, Equatable {
        public let rows: [Int]
        public let values: [Double]

        public var size: Int { rows.count }
        public func element(_ a: Int, _ b: Int) -> Double { values[a * rows.count + b] }
    }

    /// The number of effects k.
    public let count: Int
    /// The blocks, ordered by their first row; together they cover 0..<count exactly once.
    public let blocks: [Block]
    /// For each effect, the index of its block and its position inside it.
    public let blockOfRow: [(block: Int, position: Int)]

    /// A diagonal V: effects are independent with the given sampling variances.
    /// - Throws: `SamplingCovarianceError` naming the first variance that is not finite and positive.
    public init(variances: [Double]) throws {
        for (i, v) in variances.enumerated() where !(v.isFinite && v > 0) {
            throw SamplingCovarianceError.nonPositiveVariance(row: i, value: v)
        }
        try self.init(count: variances.count, blocks: variances.enumerated().map { Block(rows: [$0.offset], values: [$0.element]) })
    }

    /// A block-diagonal V from explicit blocks; a row missing from every block is an error, not an independent effect.
    /// - Throws: `SamplingCovarianceError` for a row outside 0..<count, in two blocks or in none, a block whose
    ///   values are not `n × n`, not finite or not symmetric, or a diagonal entry that is not positive.
    ///   Positive definiteness is checked by the model that factors V, which names the block that fails.
    public init(count: Int, blocks unordered: [(rows: [Int], values: [Double])]) throws {
        try self.init(count: count, blocks: unordered.map { Block(rows: $0.rows, values: $0.values) })
    }

    init(count: Int, blocks unsorted: [Block]) throws {
        var owner = [(block: Int, position: Int)?](repeating: nil, count: count)
        let ordered = try unsorted.map { block -> Block in
            // Sort the rows of each block ascending, permuting its values to match.
            let n = block.rows.count
            guard n > 0, block.values.count == n * n else {
                throw SamplingCovarianceError.malformedBlock(rows: block.rows, values: block.values.count)
            }
            let order = block.rows.indices.sorted { block.rows[$0] < block.rows[$1] }
            var values = [Double](repeating: 0, count: n * n)
            for a in 0..<n { for b in 0..<n { values[a * n + b] = block.values[order[a] * n + order[b]] } }
            return Block(rows: order.map { block.rows[$0] }, values: values)
        }.sorted { $0.rows[0] < $1.rows[0] }
        for (index, block) in ordered.enumerated() {
            let n = block.size
            for (position, row) in block.rows.enumerated() {
                guard row >= 0 && row < count else { throw SamplingCovarianceError.rowOutOfRange(row: row, count: count) }
                guard owner[row] == nil else { throw SamplingCovarianceError.rowInTwoBlocks(row: row) }
                owner[row] = (index, position)
                let d = block.element(position, position)
                guard d.isFinite && d > 0 else { throw SamplingCovarianceError.nonPositiveVariance(row: row, value: d) }
            }
            for a in 0..<n { for b in (a + 1)..<max(n, a + 1) {
                let x = block.element(a, b), y = block.element(b, a)
                guard x.isFinite, y.isFinite, x == y else {
                    throw SamplingCovarianceError.notSymmetric(rowA: block.rows[a], rowB: block.rows[b], upper: x, lower: y)
                }
            } }
        }
        if let missing = owner.firstIndex(where: { $0 == nil }) { throw SamplingCovarianceError.rowInNoBlock(row: missing) }
        self.count = count
        self.blocks = ordered
        self.blockOfRow = owner.map { $0! }
    }

    /// V[i, j] (0 across blocks).
    public func element(_ i: Int, _ j: Int) -> Double {
        let (bi, pi) = blockOfRow[i], (bj, pj) = blockOfRow[j]
        return bi == bj ? blocks[bi].element(pi, pj) : 0
    }

    /// The sampling variances, V's diagonal.
    public var variances: [Double] { (0..<count).map { element($0, $0) } }

    public static func == (lhs: SamplingCovariance, rhs: SamplingCovariance) -> Bool {
        lhs.count == rhs.count && lhs.blocks == rhs.blocks
    }
}

/// A sampling covariance matrix that cannot be V: one sentence naming the row(s) at fault (0-based positions).
public enum SamplingCovarianceError: Error, Equatable, Sendable, CustomStringConvertible {
    case nonPositiveVariance(row: Int, value: Double)
    case malformedBlock(rows: [Int], values: Int)
    case rowOutOfRange(row: Int, count: Int)
    case rowInTwoBlocks(row: Int)
    case rowInNoBlock(row: Int)
    case notSymmetric(rowA: Int, rowB: Int, upper: Double, lower: Double)

    public var description: String {
        switch self {
        case let .nonPositiveVariance(row, value):
            return "The sampling variance of effect \(row + 1) is \(value); expected a finite number > 0."
        case let .malformedBlock(rows, values):
            return "A covariance block over \(rows.count) effects has \(values) values; expected \(rows.count * rows.count) (n × n, n ≥ 1)."
        case let .rowOutOfRange(row, count):
            return "A covariance block names effect \(row + 1); expected 1 to \(count)."
        case let .rowInTwoBlocks(row):
            return "Effect \(row + 1) is in two covariance blocks; expected each effect in exactly one."
        case let .rowInNoBlock(row):
            return "Effect \(row + 1) is in no covariance block; expected each effect in exactly one."
        case let .notSymmetric(a, b, upper, lower):
            return "The sampling covariance of effects \(a + 1) and \(b + 1) is \(upper) one way and \(lower) the other; expected a finite, symmetric value."
        }
    }
}
