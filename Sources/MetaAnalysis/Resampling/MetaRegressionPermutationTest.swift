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
            throw InputError.invalidOption(name: "--mods", value: "", expected: "at least one moderator for a permutation test of a meta-regression")
        }
        do {
            observed = try MetaRegressionRefit.fit(effects: effects, variances: variances, design: design.matrix,
                                                   userWeights: userWeights, tested: design.moderatorCoefficientIndices, options: options)
        } catch {
            throw ResamplingError.originalFitFailed(reason: "\(error)")
        }
    }

    /// The groups of identical design rows: a representative row and the multiplicity of each, in first-seen order.
    var rowGroups: [(row: Int, count: Int)] {
        let x = design.matrix
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

    /// Runs the test with at most `iterations` arrangements (≥ 2).
    public func run(iterations: Int, seed: UInt64, threads: Int = ParallelLoop.defaultThreadCount,
                    progress: (@Sendable (Int) -> Void)? = nil) throws(ResamplingError) -> MetaRegressionPermutationResult
    {
        guard iterations >= 2 else { throw .tooFewReplicates(found: iterations, minimum: 2) }
        let exactCount = distinctArrangements(upTo: iterations)
        let count = exactCount ?? iterations
        let k = effects.count, p = design.coefficientCount
        let x = design.matrix, y = effects, v = variances, a = userWeights, options = options
        let tested = design.moderatorCoefficientIndices
        let groups = rowGroups
        // Per arrangement: p statistics then QM; NaN where the refit failed.
        var values = [Double](repeating: .nan, count: count * (p + 1))
        // Permuting rows leaves X̃ᵀX̃ and the weights' spread unchanged, so one conditioning check serves all.
        var template: SmallDesignKernel?
        if MetaRegressionRefit.smallDesignPathApplies(options: options, coefficientCount: p) {
            let candidate = SmallDesignKernel(effects: y, variances: v, design: x)
            if candidate.isWellConditioned { template = candidate }
        }
        if let template {
            values.withUnsafeMutableBufferPointer { buffer in
                let out = DisjointWriter(buffer)
                ParallelLoop.forEach(0..<count, threads: threads, blockSize: 16,
                                     makeWorkspace: { PermutationWorkspace(kernel: template, rows: k, groups: groups.count, coefficients: p) },
                                     progress: progress) { ws, b in
                    Self.arrangement(b, exact: exactCount != nil, total: count, seed: seed, groups: groups, into: &ws.order, counts: &ws.counts)
                    for i in 0..<k { ws.kernel.setDesignRow(i, from: template, row: ws.order[i]) }
                    ws.beta.withUnsafeMutableBufferPointer { beta in
                        ws.statistics.withUnsafeMutableBufferPointer { z in
                            guard let summary = try? MetaRegressionRefit.fit(kernel: ws.kernel, tested: tested, options: options,
                                                                             coefficients: beta.baseAddress!, statistics: z.baseAddress!)
                            else { return }
                            for j in 0..<p { out[b * (p + 1) + j] = z[j] }
                            out[b * (p + 1) + p] = summary.moderatorStatistic
                        }
                    }
                }
            }
            return summarize(values, count: count, exact: exactCount != nil, seed: seed)
        }
        values.withUnsafeMutableBufferPointer { buffer in
            let out = DisjointWriter(buffer)
            ParallelLoop.forEach(0..<count, threads: threads, blockSize: 16,
                                 makeWorkspace: { (Matrix(rows: k, columns: p), [Int](repeating: 0, count: k), [Int](repeating: 0, count: groups.count)) },
                                 progress: progress) { ws, b in
                Self.arrangement(b, exact: exactCount != nil, total: count, seed: seed, groups: groups, into: &ws.1, counts: &ws.2)
                for i in 0..<k {
                    for j in 0..<p { ws.0[i, j] = x[ws.1[i], j] }
                }
                if let fit = try? MetaRegressionRefit.fit(effects: y, variances: v, design: ws.0, userWeights: a, tested: tested, options: options) {
                    for j in 0..<p { out[b * (p + 1) + j] = fit.statistics[j] }
                    out[b * (p + 1) + p] = fit.moderatorStatistic
                }
            }
        }
        return summarize(values, count: count, exact: exactCount != nil, seed: seed)
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

    /// Counts the extreme arrangements of `values` (p statistics then QM per arrangement; NaN = failed refit).
    func summarize(_ values: [Double], count: Int, exact: Bool, seed: UInt64) -> MetaRegressionPermutationResult {
        let p = design.coefficientCount
        let tolerance = PermutationTest.comparisonTolerance
        var extreme = [Int](repeating: 0, count: p)
        var extremeQM = 0, successful = 0
        var failed: [Int] = []
        for b in 0..<count {
            let row = values[b * (p + 1)..<(b + 1) * (p + 1)]
            if row.contains(where: \.isNaN) { failed.append(b); continue }
            successful += 1
            for j in 0..<p where abs(row[row.startIndex + j]) >= abs(observed.statistics[j]) - tolerance { extreme[j] += 1 }
            if row[row.startIndex + p] >= observed.moderatorStatistic - tolerance { extremeQM += 1 }
        }
        return MetaRegressionPermutationResult(exact: exact, permutations: count, successful: successful,
                                               failedPermutations: failed, extremeCounts: extreme, extremeModeratorCount: extremeQM,
                                               observed: observed, seed: exact ? nil : seed)
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
