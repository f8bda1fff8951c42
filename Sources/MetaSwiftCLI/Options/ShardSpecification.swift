import MetaData
import MetaAnalysis

/// The `i/n` of `--shard i/n` (bootstrap, permute, GOSH, batch): a typo is an option error, a shard outside 1...n a
/// ``ResamplingError/invalidShard(index:count:)``; each command then takes `Shard.range(of:)` of its items.
func parseShardSpecification(_ text: String) throws -> Shard {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
        throw InputError.invalidOption(name: "--shard", value: text, expected: "i/n with 1 <= i <= n, e.g. 2/8")
    }
    return try Shard(index: i, count: n)
}
