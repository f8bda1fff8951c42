import MetaData
import MetaNumerics

/// A permutation test of the coefficients and of the omnibus test of a meta-regression, as metafor's
/// `permutest()`: the rows of the design are permuted against (y_i, v_i), the model refitted, and each
/// statistic referred to its permutation distribution (Higgins & Thompson 2004; Viechtbauer,
/// López-López, Sánchez-Meca & Marín-Martínez 2015, Psychological Methods 20:360).
///
/// Exact when the number of distinct row arrangements, k!/∏ m_g! for groups of m_g identical rows, does not
/// exceed the iterations asked for: every arrangement is enumerated (by unranking multiset permutations).
/// Otherwise approximate: the observed arrangement plus iterations − 1 random permutations, permutation b by a
/// Fisher–Yates shuffle on stream (seed, b). p_j = #{|z*_j| ≥ |z_j| − √ε}/N and p_QM = #{QM* ≥ QM − √ε}/N over the
/// N arrangements whose refit succeeded; failed refits are counted and reported.
public struct MetaRegressionPermutationTest: Sendable {
    public let effects: [Double]
    public let variances: [Double]
    public let userWeights: [Double]?
    public let design: DesignMatrix
    public let options: RandomEffectsOptions
    public let observed: MetaRegressionRefit

    /// Prepares the test of `model` (at least one moderator).
    public init(model: MetaRegressionModel) throws {
        effects = model.effectSizes
        variances = model.samplingVariances
        userWeights = model.userWeights
        design = model.design
        options = model.options
        guard !design.moderatorCoefficientIndices.isEmpty else {
            throw InputError.invalidOption(name: ArgumentNaming.current(.moderators), value: "", expected: "at least one moderator for a permutation test of a meta-regression")
        }
        rowGroups = Self.rowGroups(of: design.matrix)
        do {
            observed = try MetaRegressionRefit.fit(effects: effects, variances: variances, design: design.matrix,
                                                   userWeights: userWeights, tested: design.moderatorCoefficientIndices, options: options)
        } catch {
            throw ResamplingError.originalFitFailed(reason: "\(error)")
        }
    }

    /// The groups of identical design rows: a representative row and the multiplicity of each, in first-seen order.
    let rowGroups: [(row: Int, count: Int)]

    private static func rowGroups(of x: Matrix) -> [(row: Int, count: Int)] {
        var groups: [(row: Int, count: Int)] = []
        var index: [[UInt64]: Int] = [:]
        for i in 0..<x.rows {
            let key = (0..<x.columns).map { x[i, $0].bitPattern }
            if let g = index[key] { groups[g].count += 1 } else {
                index[key] = groups.count
                groups.append((i, 1))
            }
        }
        return groups
    }

    /// The number of distinct arrangements of the rows, if at most `limit`; nil when larger.
    public func distinctArrangements(upTo limit: Int) -> Int? {
        var total = 1, placed = 0
        for group in rowGroups {
            var binomial = 1
            for j in 1...group.count {
                placed += 1
                let (product, overflow) = binomial.multipliedReportingOverflow(by: placed)
                if overflow { return nil }
                binomial = product / j
            }
            let (product, overflow) = total.multipliedReportingOverflow(by: binomial)
            if overflow || product > limit { return nil }
            total = product
        }
        return total
    }

    /// The arrangements a run with `iterations` evaluates: all distinct ones when there are at most `iterations`,
    /// else `iterations`.
    public func permutationCount(iterations: Int) -> Int {
        distinctArrangements(upTo: iterations) ?? iterations
    }

    /// Runs the test with at most `iterations` arrangements (≥ 2).
    public func run(iterations: Int, seed: UInt64, threads: Int = ParallelLoop.defaultThreadCount,
                    progress: (@Sendable (Int) -> Void)? = nil) throws(ResamplingError) -> MetaRegressionPermutationResult
    {
        let all = try statistics(0..<permutationCount(iterations: iterations), iterations: iterations, seed: seed,
                                 threads: threads, progress: progress)
        return result(all, iterations: iterations, seed: seed)
    }

    /// The statistics of arrangements `range` of a run with `iterations` (a shard's slice, or all of them): per
    /// arrangement the p coefficient statistics then QM, NaN where the refit failed.
    ///
    /// - Throws: `ResamplingError.tooFewReplicates` when `iterations` < 2.
    public func statistics(_ range: Range<Int>, iterations: Int, seed: UInt64, threads: Int = ParallelLoop.defaultThreadCount,
                           progress: (@Sendable (Int) -> Void)? = nil) throws(ResamplingError) -> PermutationValues
    {
        guard iterations >= 2 else { throw .tooFewReplicates(found: iterations, minimum: 2) }
        let exactCount = distinctArrangements(upTo: iterations)
        let count = exactCount ?? iterations
        let k = effects.count, p = design.coefficientCount, first = range.lowerBound
        try ResamplingLimit.check(count, statistics: p + 1, option: .permutations)
        try ResamplingLimit.checkSlice(range, total: count)
        let x = design.matrix, y = effects, v = variances, a = userWeights, options = options
        let tested = design.moderatorCoefficientIndices
        let groups = rowGroups
        var values = [Double](repeating: .nan, count: range.count * (p + 1))
        // Permuting rows leaves X̃ᵀX̃ and the weights' spread unchanged, so one conditioning check serves all.
        var template: SmallDesignKernel?
        if MetaRegressionRefit.smallDesignPathApplies(options: options, coefficientCount: p, hasUserWeights: a != nil) {
            let candidate = SmallDesignKernel(effects: y, variances: v, design: x)
            if candidate.isWellConditioned { template = candidate }
        }
        if let template {
            // ML/REML/EB start from the observed τ̂² (the same root in fewer steps) and skip SE(τ̂²), which no
            // permutation statistic uses.
            var warm = options
            warm.control.start = observed.tauSquared
            warm.control.computesStandardError = false
            let refitOptions = warm
            values.withUnsafeMutableBufferPointer { buffer in
                let out = DisjointWriter(buffer)
                ParallelLoop.forEach(range, threads: threads, blockSize: 16,
                                     makeWorkspace: { PermutationWorkspace(kernel: template, rows: k, groups: groups.count, coefficients: p) },
                                     progress: progress) { ws, b in
                    Self.arrangement(b, exact: exactCount != nil, total: count, seed: seed, groups: groups, into: &ws.order, counts: &ws.counts)
                    for i in 0..<k { ws.kernel.setDesignRow(i, from: template, row: ws.order[i]) }
                    ws.beta.withUnsafeMutableBufferPointer { beta in
                        ws.statistics.withUnsafeMutableBufferPointer { z in
                            guard let (_, qm) = try? MetaRegressionRefit.testStatistics(
                                kernel: ws.kernel, tested: tested, options: refitOptions, coefficients: beta.baseAddress!, statistics: z.baseAddress!)
                            else { return }
                            let row = (b - first) * (p + 1)
                            for j in 0..<p { out[row + j] = z[j] }
                            out[row + p] = qm
                        }
                    }
                }
            }
            return PermutationValues(width: p + 1, permutations: range, values: values)
        }
        values.withUnsafeMutableBufferPointer { buffer in
            let out = DisjointWriter(buffer)
            ParallelLoop.forEach(range, threads: threads, blockSize: 16,
                                 makeWorkspace: { (Matrix(rows: k, columns: p), [Int](repeating: 0, count: k), [Int](repeating: 0, count: groups.count)) },
                                 progress: progress) { ws, b in
                Self.arrangement(b, exact: exactCount != nil, total: count, seed: seed, groups: groups, into: &ws.1, counts: &ws.2)
                for i in 0..<k {
                    for j in 0..<p { ws.0[i, j] = x[ws.1[i], j] }
                }
                if let fit = try? MetaRegressionRefit.fit(effects: y, variances: v, design: ws.0, userWeights: a, tested: tested, options: options) {
                    let row = (b - first) * (p + 1)
                    for j in 0..<p { out[row + j] = fit.statistics[j] }
                    out[row + p] = fit.moderatorStatistic
                }
            }
        }
        return PermutationValues(width: p + 1, permutations: range, values: values)
    }

    /// The observed statistics the permutation values are compared with (p coefficient statistics, then QM) and
    /// whether each comparison is two-sided (|z*| ≥ |z|) or one-sided (QM* ≥ QM).
    public var observedStatistics: (values: [Double], twoSided: [Bool]) {
        (observed.statistics + [observed.moderatorStatistic], Array(repeating: true, count: observed.statistics.count) + [false])
    }

    /// The test's outcome from the statistics of its arrangements (all of them: one run or its merged shards; a
    /// shard's slice gives that slice's counts).
    public func result(_ values: PermutationValues, iterations: Int, seed: UInt64) -> MetaRegressionPermutationResult {
        let exact = distinctArrangements(upTo: iterations) != nil
        let (o, twoSided) = observedStatistics
        let tally = values.tally(observed: o, twoSided: twoSided)
        let p = design.coefficientCount
        return MetaRegressionPermutationResult(exact: exact, permutations: permutationCount(iterations: iterations),
                                               successful: tally.successful, failedPermutations: tally.failedPermutations,
                                               extremeCounts: Array(tally.extremeCounts.prefix(p)), extremeModeratorCount: tally.extremeCounts[p],
                                               observed: observed, seed: exact ? nil : seed)
    }

    /// Scratch of one worker on the small-design path.
    struct PermutationWorkspace {
        var kernel: SmallDesignKernel
        var order: [Int]
        var counts: [Int]
        var beta: [Double]
        var statistics: [Double]

        init(kernel: SmallDesignKernel, rows: Int, groups: Int, coefficients: Int) {
            self.kernel = kernel
            order = [Int](repeating: 0, count: rows)
            counts = [Int](repeating: 0, count: groups)
            beta = [Double](repeating: 0, count: coefficients)
            statistics = [Double](repeating: 0, count: coefficients)
        }
    }

    /// Arrangement b: the b-th distinct arrangement when enumerating exactly; otherwise the identity for b = 0 and
    /// a Fisher–Yates shuffle on stream (seed, b).
    static func arrangement(_ b: Int, exact: Bool, total: Int, seed: UInt64, groups: [(row: Int, count: Int)],
                            into order: inout [Int], counts: inout [Int]) {
        let k = order.count
        if exact {
            unrank(b, groups: groups, total: total, into: &order, counts: &counts)
        } else if b == 0 {
            for i in 0..<k { order[i] = i }
        } else {
            var stream = RandomStream(seed: seed, stream: UInt64(b))
            for i in 0..<k { order[i] = i }
            for i in stride(from: k - 1, to: 0, by: -1) { order.swapAt(i, stream.nextIndex(below: i + 1)) }
        }
    }

    /// Arrangement `rank` (0-based, lexicographic in group order) of the multiset of row groups: position i gets
    /// the representative row of the group chosen there.
    static func unrank(_ rank: Int, groups: [(row: Int, count: Int)], total: Int, into rows: inout [Int], counts: inout [Int]) {
        var r = rank
        var remaining = rows.count
        var arrangements = total  // arrangements of the remaining multiset
        for g in groups.indices { counts[g] = groups[g].count }
        for position in 0..<rows.count {
            for g in groups.indices where counts[g] > 0 {
                let starting = arrangements / remaining * counts[g] + arrangements % remaining * counts[g] / remaining
                if r < starting {
                    rows[position] = groups[g].row
                    arrangements = starting
                    counts[g] -= 1
                    break
                }
                r -= starting
            }
            remaining -= 1
        }
    }
}

/// The outcome of a ``MetaRegressionPermutationTest``.
public struct MetaRegressionPermutationResult: Sendable, Equatable {
    public var exact: Bool
    public var permutations: Int
    public var successful: Int
    public var failedPermutations: [Int]
    /// Per coefficient: arrangements with |z*_j| ≥ |z_j| (within tolerance).
    public var extremeCounts: [Int]
    /// Arrangements with QM* ≥ QM (within tolerance).
    public var extremeModeratorCount: Int
    public var observed: MetaRegressionRefit
    public var seed: UInt64?

    /// Permutation p-values per coefficient.
    public var pValues: [Double] { extremeCounts.map { Double($0) / Double(successful) } }
    /// Permutation p-value of the omnibus test.
    public var moderatorPValue: Double { Double(extremeModeratorCount) / Double(successful) }
}
