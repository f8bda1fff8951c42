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
}
