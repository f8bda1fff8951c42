import MetaData
import MetaAnalysis

/// The `i/n` of `--shard i/n` (bootstrap, permute, GOSH): a typo is an option error, a shard outside 1...n a
/// ``ResamplingError/invalidShard(index:count:)``; each analysis then maps (i, n) to its own slice.
func parseShardSpecification(_ text: String) throws -> (index: Int, count: Int) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
        throw InputError.invalidOption(name: "--shard", value: text, expected: "i/n with 1 <= i <= n, e.g. 2/8")
    }
    guard n >= 1, i >= 1, i <= n else { throw ResamplingError.invalidShard(index: i, count: n) }
    return (i, n)
}
