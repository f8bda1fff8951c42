/// The check every shard merge makes: the slices of a run, each holding a range of its items, cover 0..<total exactly once.
public enum ShardCoverage {
    /// The slices' indices in item order.
    ///
    /// - Throws: `ResamplingError.shardsDoNotCover` naming the first items missing or held twice.
    public static func order(_ ranges: [Range<Int>], total: Int) throws(ResamplingError) -> [Int] {
        let order = ranges.indices.sorted { ranges[$0].lowerBound < ranges[$1].lowerBound }
        var next = 0
        for range in order.map({ ranges[$0] }) where !range.isEmpty {
            if range.lowerBound > next { throw .shardsDoNotCover(missing: next..<range.lowerBound, duplicated: nil) }
            if range.lowerBound < next { throw .shardsDoNotCover(missing: nil, duplicated: range.lowerBound..<next) }
            next = range.upperBound
        }
        if next < total { throw .shardsDoNotCover(missing: next..<total, duplicated: nil) }
        if next > total { throw .shardsDoNotCover(missing: nil, duplicated: total..<next) }
        return order
    }

    /// Checks that `shards` are shards 1 to n of a run split n ways, once each (an empty shard holds no items but
    /// still belongs to the run).
    ///
    /// - Throws: `ResamplingError.shardsIncomplete` naming the shards missing or given twice.
    public static func checkComplete(_ shards: [Shard]) throws(ResamplingError) {
        guard let n = shards.first?.count else { throw .shardsIncomplete(missing: [1], duplicated: [], count: 1) }
        let indices = shards.map(\.index)
        let missing = (1...n).filter { !indices.contains($0) }
        let duplicated = (1...n).filter { i in indices.filter { $0 == i }.count > 1 }
        if !missing.isEmpty || !duplicated.isEmpty { throw .shardsIncomplete(missing: missing, duplicated: duplicated, count: n) }
    }
}
