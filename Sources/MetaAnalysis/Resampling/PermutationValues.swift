/// The raw results of permutations `permutations` of a permutation test (all of them, or one shard's slice):
/// per permutation `width` statistics, NaN where the refit failed.
///
/// Permutation b's values depend only on (data, options, seed, b) — sign pattern or arrangement b is either
/// enumerated by its rank (exact test) or drawn from random stream (seed, b) — so slices computed anywhere and
/// merged in permutation order are exactly the values of one run.
public struct PermutationValues: Sendable, Equatable {
    /// Statistics per permutation: 1 for the sign-flip test (z), p + 1 for a meta-regression (p statistics, then QM).
    public var width: Int
    /// The permutation numbers held (0-based, of the whole run).
    public var permutations: Range<Int>
    /// Row-major: permutation `permutations.lowerBound + r` holds `values[r·width ..< (r+1)·width]`.
    public var values: [Double]

    public init(width: Int, permutations: Range<Int>, values: [Double]) {
        precondition(width >= 1 && values.count == permutations.count * width, "one value per permutation and statistic")
        self.width = width
        self.permutations = permutations
        self.values = values
    }

    /// Counts, over the permutations held, those at least as extreme as `observed` column by column: |x_j| ≥ |o_j| − √ε
    /// where `twoSided[j]`, x_j ≥ o_j − √ε otherwise (metafor's `comptol`); a permutation with any NaN failed.
    public func tally(observed: [Double], twoSided: [Bool]) -> PermutationTally {
        precondition(observed.count == width && twoSided.count == width, "one observed value per statistic")
        let tolerance = PermutationTest.comparisonTolerance
        let thresholds = (0..<width).map { twoSided[$0] ? abs(observed[$0]) - tolerance : observed[$0] - tolerance }
        var extreme = [Int](repeating: 0, count: width)
        var successful = 0
        var failed: [Int] = []
        for r in 0..<permutations.count {
            if values[r * width..<(r + 1) * width].contains(where: \.isNaN) {
                failed.append(permutations.lowerBound + r)
                continue
            }
            successful += 1
            for j in 0..<width where (twoSided[j] ? abs(values[r * width + j]) : values[r * width + j]) >= thresholds[j] { extreme[j] += 1 }
        }
        return PermutationTally(successful: successful, failedPermutations: failed, extremeCounts: extreme)
    }

    /// Joins slices that together hold the permutations 0..<`total` exactly once (in any order given).
    ///
    /// - Throws: `ResamplingError.shardsDoNotCover` when a permutation is missing or held twice,
    ///   `.shardsDisagree` when the slices hold different numbers of statistics.
    public static func merged(_ slices: [PermutationValues], total: Int) throws(ResamplingError) -> PermutationValues {
        guard let first = slices.first else { throw .shardsDoNotCover(missing: 0..<total, duplicated: nil) }
        for slice in slices where slice.width != first.width {
            throw .shardsDisagree(field: "statistics per permutation", values: [String(first.width), String(slice.width)])
        }
        let ordered = try ShardCoverage.order(slices.map(\.permutations), total: total).map { slices[$0] }
        return PermutationValues(width: first.width, permutations: 0..<total, values: ordered.flatMap(\.values))
    }
}

/// What a permutation p-value is made of: the permutations whose refit succeeded, those that failed, and per
/// statistic the permutations at least as extreme as the observed value.
public struct PermutationTally: Sendable, Equatable {
    public var successful: Int
    public var failedPermutations: [Int]
    public var extremeCounts: [Int]

    public init(successful: Int, failedPermutations: [Int], extremeCounts: [Int]) {
        self.successful = successful
        self.failedPermutations = failedPermutations
        self.extremeCounts = extremeCounts
    }

    /// The permutation p-value of statistic j: extreme_j / successful.
    public func pValue(_ j: Int) -> Double { Double(extremeCounts[j]) / Double(successful) }
}
