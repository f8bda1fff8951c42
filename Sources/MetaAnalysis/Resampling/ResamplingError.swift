import MetaData

/// A resampling run that cannot be carried out or shard outputs that cannot be merged.
public enum ResamplingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--shard i/n` with i outside 1...n or n < 1.
    case invalidShard(index: Int, count: Int)
    /// The number of replicates or iterations must be at least `minimum`.
    case tooFewReplicates(found: Int, minimum: Int)
    /// More replicates (or permutations) than a run can hold in memory: `option` asked for `found`, each
    /// recording `statistics` values; at most `maximum` (``ResamplingLimit``).
    case tooManyReplicates(option: ArgumentName, found: Int, maximum: Int, statistics: Int)
    /// A slice of replicates or permutations that is not part of the run's 0 ..< `total`.
    case sliceOutsideRun(lower: Int, upper: Int, total: Int)
    /// The shards' replicates do not cover 0..<B exactly once.
    case shardsDoNotCover(missing: Range<Int>?, duplicated: Range<Int>?)
    /// The shards of a batch run do not hold every analysis exactly once.
    case analysesNotCovered(missing: Range<Int>?, duplicated: Range<Int>?)
    /// The shard files of a run split `count` ways are not shards 1 to `count` once each.
    case shardsIncomplete(missing: [Int], duplicated: [Int], count: Int)
    /// Shards were run with different data or settings (`field` differs: the values found).
    case shardsDisagree(field: String, values: [String])
    /// Shards were run with different command-line options (each differing option with its two values).
    case shardOptionsDiffer([ShardOptionDifference])
    /// A shard file is not a shard output of this kind (`expected` says what was looked for).
    case notAShard(path: String, expected: String)
    /// The fit to the original data failed, so there is nothing to resample from.
    case originalFitFailed(reason: String)
    /// `--type arms` on a measure without event counts (only 2×2, proportion and person-time measures have them).
    case armsNeedCounts(measure: String)

    public var description: String {
        switch self {
        case let .invalidShard(index, count):
            return "Shard \(index)/\(count) does not exist; expected \(ArgumentNaming.current(.shard)) i/n with 1 <= i <= n."
        case let .tooFewReplicates(found, minimum):
            return "Expected at least \(minimum) replicates; found \(found)."
        case let .tooManyReplicates(option, found, maximum, statistics):
            return "\(ArgumentNaming.current(option)) \(found) asks for more than a run can hold in memory; expected at most \(maximum) "
                + "(\(statistics) value\(statistics == 1 ? "" : "s") each, \(ResamplingLimit.storedValues) values in all)."
        case let .sliceOutsideRun(lower, upper, total):
            return "Replicates \(lower)..<\(upper) are not replicates of the run's 0..<\(total)."
        case let .shardsDoNotCover(missing, duplicated):
            if let missing {
                return "The shards do not cover replicates \(missing.lowerBound)..<\(missing.upperBound); merge every shard of the run once."
            }
            let d = duplicated ?? 0..<0
            return "Replicates \(d.lowerBound)..<\(d.upperBound) appear in more than one shard; merge every shard of the run once."
        case let .analysesNotCovered(missing, duplicated):
            if let missing {
                return "The shards do not hold analyses \(missing.lowerBound + 1)-\(missing.upperBound) (in file order); merge every shard of the run once."
            }
            let d = duplicated ?? 0..<0
            return "Analyses \(d.lowerBound + 1)-\(d.upperBound) (in file order) appear in more than one shard; merge every shard of the run once."
        case let .shardsIncomplete(missing, duplicated, count):
            let list = { (shards: [Int]) in shards.map { "\($0)/\(count)" }.joined(separator: ", ") }
            if !missing.isEmpty { return "Shard \(list(missing)) is missing; merge every shard of the run once." }
            return "Shard \(list(duplicated)) is given more than once; merge every shard of the run once."
        case let .shardsDisagree(field, values):
            return "The shards were run with different \(field) (\(values.joined(separator: " vs "))); merge shards of one run only."
        case let .shardOptionsDiffer(differences):
            let list = differences.map { "\($0.option) \($0.first) vs \($0.other)" }.joined(separator: ", ")
            return "The shards were run with different options (\(list)); merge shards of one run only."
        case let .notAShard(path, expected):
            return "'\(path)' is not \(expected)."
        case let .originalFitFailed(reason):
            return "The model could not be fitted to the original data: \(reason)"
        case let .armsNeedCounts(measure):
            return "Resampling arms (\(ArgumentNaming.current(.bootstrapType)) arms) needs event counts; measure \(measure) has none (expected RR, OR, RD, AS, PETO, PR, PLN, PLO, PAS, PFT, IRR, IRD, IRLN or IR)."
        }
    }
}

/// An option whose value differs between two shards of what should be one run.
public struct ShardOptionDifference: Equatable, Sendable {
    /// The option as typed, e.g. `--seed`.
    public var option: String
    /// Its value in the first shard and in the other ("not given" when absent).
    public var first: String
    public var other: String

    public init(option: String, first: String, other: String) {
        self.option = option
        self.first = first
        self.other = other
    }
}

/// The memory bound of a resampling run: every replicate's (permutation's) statistics are kept, for the
/// percentiles and for merging shards, so a run may record at most `storedValues` doubles (2 GiB).
public enum ResamplingLimit {
    public static let storedValues = 1 << 28

    /// The most replicates a run recording `statistics` values per replicate may ask for.
    public static func maximumReplicates(statistics: Int) -> Int { storedValues / max(1, statistics) }

    /// - Throws: `ResamplingError.tooManyReplicates` naming `option` when `count` replicates of `statistics`
    ///   values would exceed `storedValues`.
    public static func check(_ count: Int, statistics: Int, option: ArgumentName) throws(ResamplingError) {
        let maximum = maximumReplicates(statistics: statistics)
        guard count <= maximum else {
            throw .tooManyReplicates(option: option, found: count, maximum: maximum, statistics: statistics)
        }
    }

    /// - Throws: `ResamplingError.sliceOutsideRun` unless `range` lies in 0 ..< `total`.
    static func checkSlice(_ range: Range<Int>, total: Int) throws(ResamplingError) {
        guard range.lowerBound >= 0, range.upperBound <= total else {
            throw .sliceOutsideRun(lower: range.lowerBound, upper: range.upperBound, total: total)
        }
    }
}
