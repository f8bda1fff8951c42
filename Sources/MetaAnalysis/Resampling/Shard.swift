/// Slice `index` (1-based) of `count` of a run's items 0..<N: the one split every sharded run uses (bootstrap,
/// permutation tests, GOSH, batch), so that `--shard i/n` runs on separate machines and a merge in shard order
/// rebuild the single run.
public struct Shard: Sendable, Equatable {
    public let index: Int
    public let count: Int

    /// - Throws: `ResamplingError.invalidShard` unless 1 ≤ index ≤ count.
    public init(index: Int, count: Int) throws(ResamplingError) {
        guard count >= 1, index >= 1, index <= count else { throw .invalidShard(index: index, count: count) }
        self.index = index
        self.count = count
    }

    /// ⌊(i−1)N/n⌋ ..< ⌊iN/n⌋: the shards tile 0..<N in order with sizes differing by at most one (full-width
    /// products, so any N works).
    public func range(of total: Int) -> Range<Int> {
        precondition(total >= 0, "a run has a non-negative number of items")
        let lower = count.dividingFullWidth(total.multipliedFullWidth(by: index - 1)).quotient
        let upper = count.dividingFullWidth(total.multipliedFullWidth(by: index)).quotient
        return lower..<upper
    }
}
