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

/// The command line a sharded run records: `line` without the options that do not change the results (where and in
/// which format they are written, how many threads, which shard), so that every shard of a run and the run itself
/// record the same line (a merge may print another format than the shards were written in).
func canonicalCommandLine(_ line: [String]) -> [String] {
    var out: [String] = []
    var skip = false
    for word in line {
        if skip { skip = false; continue }
        if ["--out", "--threads", "--shard", "--format"].contains(word) { skip = true; continue }
        if ["--out=", "--threads=", "--shard=", "--format="].contains(where: word.hasPrefix) { continue }
        out.append(word)
    }
    return out
}
