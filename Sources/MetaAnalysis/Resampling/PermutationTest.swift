import MetaData
import MetaNumerics

/// A permutation test of the pooled estimate of an intercept-only model, as metafor's `permutest()`: under
/// H₀: μ = 0 with effects symmetric about 0, flipping the signs of the y_i leaves their distribution
/// unchanged, so the test statistic (z, or t with Knapp–Hartung) is referred to its distribution over sign
/// patterns (Follmann & Proschan 1999; Viechtbauer, López-López, Sánchez-Meca & Marín-Martínez 2015).
///
/// The test is exact — all 2^k sign patterns — when 2^k does not exceed the iterations asked for, and
/// approximate otherwise: the observed pattern plus iterations − 1 random ones, pattern b drawn from stream
/// (seed, b), so the result is the same for any thread count. The two-sided p-value is the proportion of
/// patterns with |statistic| ≥ |observed| − 10⁻⁸·√2 (metafor's comparison tolerance √ε), the observed pattern
/// included. Refits that fail are counted and left out of the proportion.
public struct PermutationTest: Sendable {
    public let effects: [Double]
    public let variances: [Double]
    public let userWeights: [Double]?
    public let options: RandomEffectsOptions
    public let observed: InterceptOnlyRefit

    /// metafor's `comptol`: √(machine ε).
    public static let comparisonTolerance = Double.ulpOfOne.squareRoot()

    /// Prepares the test for `model` (k ≥ 2).
    public init(model: RandomEffectsModel) throws {
        guard model.studyCount >= 2 else {
            throw InputError.tooFewStudies(found: model.studyCount, needed: 2, analysis: "A permutation test")
        }
        effects = model.effectSizes
        variances = model.samplingVariances
        userWeights = model.userWeights
        options = model.options
        do {
            observed = try InterceptOnlyRefit.fit(effects: effects, variances: variances, userWeights: userWeights, options: options)
        } catch {
            throw ResamplingError.originalFitFailed(reason: error.description)
        }
    }

    public var studyCount: Int { effects.count }

    /// Whether `iterations` suffice for the exact test (2^k ≤ iterations).
    public func isExact(iterations: Int) -> Bool {
        studyCount < 62 && (1 << studyCount) <= iterations
    }

    /// The sign patterns a run with `iterations` evaluates: all 2^k when exact, else `iterations`.
    public func permutationCount(iterations: Int) -> Int {
        isExact(iterations: iterations) ? 1 << studyCount : iterations
    }

    /// Runs the test with at most `iterations` sign patterns (≥ 2).
    public func run(iterations: Int, seed: UInt64, threads: Int = ParallelLoop.defaultThreadCount,
                    progress: (@Sendable (Int) -> Void)? = nil) throws(ResamplingError) -> PermutationTestResult
    {
        let all = try statistics(0..<permutationCount(iterations: iterations), iterations: iterations, seed: seed,
                                 threads: threads, progress: progress)
        return result(all, iterations: iterations, seed: seed)
    }

    /// The statistic of sign patterns `range` of a run with `iterations` (a shard's slice, or all of them); NaN where
    /// the refit failed.
    ///
    /// - Throws: `ResamplingError.tooFewReplicates` when `iterations` < 2.
    public func statistics(_ range: Range<Int>, iterations: Int, seed: UInt64, threads: Int = ParallelLoop.defaultThreadCount,
                           progress: (@Sendable (Int) -> Void)? = nil) throws(ResamplingError) -> PermutationValues
    {
        guard iterations >= 2 else { throw .tooFewReplicates(found: iterations, minimum: 2) }
        let exact = isExact(iterations: iterations)
        try ResamplingLimit.check(permutationCount(iterations: iterations), statistics: 1, option: .permutations)
        try ResamplingLimit.checkSlice(range, total: permutationCount(iterations: iterations))
        let k = studyCount
        let y = effects, v = variances, a = userWeights
        let options = options
        var statistics = [Double](repeating: .nan, count: range.count)
        let first = range.lowerBound
        statistics.withUnsafeMutableBufferPointer { buffer in
            let out = DisjointWriter(buffer)
            ParallelLoop.forEach(range, threads: threads, blockSize: 256, makeWorkspace: { y }, progress: progress) { ws, b in
                if exact || b == 0 {
                    for i in 0..<k { ws[i] = (b >> i) & 1 == 1 ? -y[i] : y[i] }
                } else {
                    var stream = RandomStream(seed: seed, stream: UInt64(b))
                    var word: UInt64 = 0
                    for i in 0..<k {
                        if i % 64 == 0 { word = stream.next() }
                        ws[i] = word & 1 == 1 ? -y[i] : y[i]
                        word >>= 1
                    }
                }
                if let fit = try? InterceptOnlyRefit.fit(effects: ws, variances: v, userWeights: a, options: options) {
                    out[b - first] = fit.statistic
                }
            }
        }
        return PermutationValues(width: 1, permutations: range, values: statistics)
    }

    /// The test's outcome from the statistics of its sign patterns (all of them: one run or its merged shards; a
    /// shard's slice gives that slice's counts).
    public func result(_ values: PermutationValues, iterations: Int, seed: UInt64) -> PermutationTestResult {
        let exact = isExact(iterations: iterations)
        let tally = values.tally(observed: [observed.statistic], twoSided: [true])
        return PermutationTestResult(exact: exact, permutations: permutationCount(iterations: iterations), successful: tally.successful,
                                     failedPermutations: tally.failedPermutations, extremeCount: tally.extremeCounts[0],
                                     observed: observed, seed: exact ? nil : seed)
    }
}

/// The outcome of a ``PermutationTest``.
public struct PermutationTestResult: Sendable, Equatable {
    /// Whether all 2^k sign patterns were used.
    public var exact: Bool
    /// Patterns evaluated (2^k when exact, else the iterations asked for, the observed one included).
    public var permutations: Int
    /// Patterns whose refit succeeded.
    public var successful: Int
    /// Patterns whose refit failed (left out of the p-value).
    public var failedPermutations: [Int]
    /// Patterns at least as extreme as the observed one.
    public var extremeCount: Int
    public var observed: InterceptOnlyRefit
    /// The seed of the random patterns (nil for the exact test).
    public var seed: UInt64?

    /// The permutation p-value for the coefficient (and the omnibus test QM = statistic², which orders the
    /// patterns the same way).
    public var pValue: Double { Double(extremeCount) / Double(successful) }
}
