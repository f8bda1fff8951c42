import MetaData
import MetaNumerics

/// A bootstrap of a random-effects (or common-effect) model, with or without moderators: the statistics —
/// μ̂ (or every coefficient), τ̂², I², H² — recomputed on B resampled data sets with the same estimator, test
/// and solver settings as the model.
///
/// Replicate b draws only from the counter-based stream (seed, b) (``RandomStream``), so any replicate can be
/// computed anywhere: a run is bit-identical for every thread count, and shards (``run(replicates:threads:progress:)``
/// over slices of 0..<B) merge into exactly the values of one run. Without moderators each worker reuses one
/// set of buffers, so a replicate allocates nothing and a fit costs O(k); a meta-regression replicate refits
/// through the general-design kernel (O(k p²) with small matrices).
///
/// Three ways of drawing a data set (``BootstrapType``): studies with replacement, effects from the fitted
/// normal model, or each arm's events from its binomial (Poisson) distribution at the observed proportion
/// (rate), rescored by escalc's rules (``ArmCounts``).
///
/// References: Efron & Tibshirani (1993), *An Introduction to the Bootstrap*; Davison & Hinkley (1997),
/// *Bootstrap Methods and their Application*, sections 2.2–2.3 (parametric and case resampling); Viechtbauer
/// (2010, metafor's documentation of `boot` with `rma`).
public struct Bootstrap: Sendable {
    public let effects: [Double]
    public let variances: [Double]
    public let userWeights: [Double]?
    /// The design of a meta-regression (nil: intercept only).
    public let design: Matrix?
    /// The coefficients of the omnibus test (meta-regression).
    let tested: [Int]
    public let options: RandomEffectsOptions
    public let type: BootstrapType
    public let seed: UInt64
    /// The statistics recorded per replicate, in column order: `beta` (or the coefficient names), `tau2`, `I2`, `H2`.
    public let statisticNames: [String]
    /// θ̂: the statistics on the original data, in ``statisticNames`` order.
    public let originalStatistics: [Double]
    /// The parametric bootstrap's generating means (μ̂ or x_iᵀβ̂) and τ̂².
    let fittedMeans: [Double]
    let fittedTauSquared: Double
    /// The counts that ``BootstrapType/arms`` redraws (nil for the other types).
    public let counts: ArmCounts?

    /// The statistic names without moderators.
    public static let interceptOnlyStatisticNames = ["beta", "tau2", "I2", "H2"]

    /// Prepares a bootstrap of `model` (k ≥ 2).
    ///
    /// - Parameter counts: the model's studies' counts, needed by (and only used by) ``BootstrapType/arms``.
    /// - Throws: `InputError.tooFewStudies` for k < 2; `ResamplingError.originalFitFailed` when the model's
    ///   statistics cannot be recomputed (they always can when the model was fitted);
    ///   `ResamplingError.armsNeedCounts` for `.arms` without counts.
    public init(model: RandomEffectsModel, type: BootstrapType, seed: UInt64, counts: ArmCounts? = nil) throws {
        guard model.studyCount >= 2 else {
            throw InputError.tooFewStudies(found: model.studyCount, needed: 2, analysis: "A bootstrap")
        }
        effects = model.effectSizes
        variances = model.samplingVariances
        userWeights = model.userWeights
        design = nil
        tested = []
        options = model.options
        self.type = type
        self.seed = seed
        self.counts = try Self.counts(counts, for: type, studyCount: model.studyCount)
        statisticNames = Self.interceptOnlyStatisticNames
        let original: InterceptOnlyRefit
        do {
            original = try InterceptOnlyRefit.fit(effects: effects, variances: variances, userWeights: userWeights, options: options)
        } catch {
            throw ResamplingError.originalFitFailed(reason: error.description)
        }
        originalStatistics = [original.estimate, original.tauSquared, original.iSquared, original.hSquared]
        fittedMeans = Array(repeating: original.estimate, count: model.studyCount)
        fittedTauSquared = original.tauSquared
    }

    /// Prepares a bootstrap of a meta-regression: case resampling keeps each study's (y_i, v_i, x_i) together;
    /// the parametric bootstrap draws y*_i ~ N(x_iᵀβ̂, v_i + τ̂²). A resample whose design is singular (a level
    /// of a categorical moderator not drawn, say) fails and is reported like any other failed refit.
    public init(model: MetaRegressionModel, type: BootstrapType, seed: UInt64, counts: ArmCounts? = nil) throws {
        effects = model.effectSizes
        variances = model.samplingVariances
        userWeights = model.userWeights
        design = model.design.matrix
        tested = model.design.moderatorCoefficientIndices
        options = model.options
        self.type = type
        self.seed = seed
        self.counts = try Self.counts(counts, for: type, studyCount: model.effectSizes.count)
        statisticNames = model.coefficientNames + ["tau2", "I2", "H2"]
        let original: MetaRegressionRefit
        do {
            original = try MetaRegressionRefit.fit(effects: effects, variances: variances, design: model.design.matrix,
                                                   userWeights: userWeights, tested: tested, options: options)
        } catch {
            throw ResamplingError.originalFitFailed(reason: "\(error)")
        }
        originalStatistics = original.coefficients + [original.tauSquared, original.iSquared, original.hSquared]
        fittedMeans = model.fittedValues
        fittedTauSquared = original.tauSquared
    }

    public var studyCount: Int { effects.count }

    private static func counts(_ counts: ArmCounts?, for type: BootstrapType, studyCount k: Int) throws -> ArmCounts? {
        guard type == .arms else { return nil }
        guard let counts else { throw ResamplingError.armsNeedCounts(measure: "GEN") }
        precondition(counts.studyCount == k, "one count record per study of the model")
        return counts
    }

    /// Scratch buffers of one worker: a resampled data set.
    struct Workspace {
        var y: [Double]
        var v: [Double]
        var a: [Double]?
        var x: Matrix?
        /// The meta-regression's rows in the allocation-free kernel (nil: intercept only, or the QR path applies).
        var kernel: SmallDesignKernel?
        var beta: [Double] = []
        var statistics: [Double] = []
        /// The drawn events of ``BootstrapType/arms`` (2 per study).
        var drawn: [Double] = []
    }

    /// The design in ``SmallDesignKernel`` form when replicates can take the allocation-free path.
    private var smallDesignTemplate: SmallDesignKernel? {
        // Redrawn counts change the variances too, which the kernel holds fixed: those replicates take the QR path.
        guard type != .arms, let design, MetaRegressionRefit.smallDesignPathApplies(options: options, coefficientCount: design.columns, hasUserWeights: userWeights != nil),
              design.columns < design.rows else { return nil }
        return SmallDesignKernel(effects: effects, variances: variances, design: design)
    }

    /// The options of a replicate: ML/REML/EB start from the full-data τ̂² (a warm start: the same root, fewer
    /// steps).
    private var replicateOptions: RandomEffectsOptions {
        var o = options
        o.control.start = fittedTauSquared
        return o
    }

    /// Refits `ws` and writes the statistics at `out[offset...]`.
    private func refit(_ ws: inout Workspace, options: RandomEffectsOptions, into out: DisjointWriter<Double>, at offset: Int) throws {
        if let kernel = ws.kernel, kernel.isWellConditioned {
            let p = kernel.coefficientCount
            let summary = try ws.beta.withUnsafeMutableBufferPointer { beta in
                try ws.statistics.withUnsafeMutableBufferPointer { z in
                    try MetaRegressionRefit.fit(kernel: kernel, tested: tested, options: options,
                                                coefficients: beta.baseAddress!, statistics: z.baseAddress!)
                }
            }
            for j in 0..<p { out[offset + j] = ws.beta[j] }
            out[offset + p] = summary.tauSquared
            out[offset + p + 1] = summary.iSquared
            out[offset + p + 2] = summary.hSquared
        } else if let x = ws.x {
            let fit = try MetaRegressionRefit.fit(effects: ws.y, variances: ws.v, design: x, userWeights: ws.a, tested: tested, options: options)
            let p = fit.coefficients.count
            for j in 0..<p { out[offset + j] = fit.coefficients[j] }
            out[offset + p] = fit.tauSquared
            out[offset + p + 1] = fit.iSquared
            out[offset + p + 2] = fit.hSquared
        } else {
            let fit = try InterceptOnlyRefit.fit(effects: ws.y, variances: ws.v, userWeights: ws.a, options: options)
            out[offset] = fit.estimate
            out[offset + 1] = fit.tauSquared
            out[offset + 2] = fit.iSquared
            out[offset + 3] = fit.hSquared
        }
    }

    /// Computes replicates `replicates` (a slice of 0..<B) on `threads` workers.
    ///
    /// - Parameter progress: called with the number of replicates finished since the last call (from any thread).
    ///
    /// - Throws: `ResamplingError.tooManyReplicates` when the run (0 ..< `replicates.upperBound` at least) could not
    ///   be held in memory (``ResamplingLimit``), `.sliceOutsideRun` for a negative lower bound.
    public func run(replicates: Range<Int>, threads: Int = ParallelLoop.defaultThreadCount,
                    progress: (@Sendable (Int) -> Void)? = nil) throws(ResamplingError) -> BootstrapReplicates
    {
        try checkReplicateCount(replicates.upperBound)
        try ResamplingLimit.checkSlice(replicates, total: replicates.upperBound)
        let m = statisticNames.count
        let n = replicates.count
        var values = [Double](repeating: .nan, count: n * m)
        let reasons = UnsafeMutableBufferPointer<String?>.allocate(capacity: n)
        reasons.initialize(repeating: nil)
        defer { reasons.deinitialize().deallocate() }
        let k = studyCount
        let y = effects, v = variances, a = userWeights, x = design
        let type = type, seed = seed
        let means = fittedMeans
        let sd = variances.map { ($0 + fittedTauSquared).squareRoot() }
        let lower = replicates.lowerBound
        let template = smallDesignTemplate
        let p = design?.columns ?? 1
        let replicateOptions = replicateOptions
        let counts = counts
        values.withUnsafeMutableBufferPointer { buffer in
            let out = DisjointWriter(buffer)
            let failed = DisjointWriter(reasons)
            ParallelLoop.forEach(replicates, threads: threads,
                                 makeWorkspace: { Workspace(y: y, v: v, a: a, x: x, kernel: template, beta: .init(repeating: 0, count: p),
                                                            statistics: .init(repeating: 0, count: p),
                                                            drawn: .init(repeating: 0, count: counts == nil ? 0 : 2 * k)) },
                                 progress: progress) { ws, b in
                var stream = RandomStream(seed: seed, stream: UInt64(b))
                switch type {
                case .nonparametric:
                    for i in 0..<k {
                        let j = stream.nextIndex(below: k)
                        ws.y[i] = y[j]
                        ws.v[i] = v[j]
                        if let a { ws.a![i] = a[j] }
                        if let x { for c in 0..<x.columns { ws.x![i, c] = x[j, c] } }
                        if let template { ws.kernel!.setStudy(i, from: template, study: j) }
                    }
                    // Drawing with replacement changes X̃ᵀX̃ (a resample may even be singular: then the QR path).
                    ws.kernel?.refreshConditioning()
                case .parametric:
                    for i in 0..<k {
                        ws.y[i] = means[i] + sd[i] * stream.nextNormal()
                        ws.kernel?.setEffect(i, ws.y[i])
                    }
                case .arms:
                    if let reason = counts!.drawReplicate(&stream, y: &ws.y, v: &ws.v, drawn: &ws.drawn) {
                        failed[b - lower] = reason
                        return
                    }
                }
                do {
                    try refit(&ws, options: replicateOptions, into: out, at: (b - lower) * m)
                } catch let error as EstimationError {
                    failed[b - lower] = error.description
                } catch {
                    failed[b - lower] = "\(error)"
                }
            }
        }
        var failures: [BootstrapFailure] = []
        for r in 0..<n {
            if let reason = reasons[r] {
                for j in 0..<m { values[r * m + j] = .nan }
                failures.append(BootstrapFailure(replicate: lower + r, reason: reason))
            }
        }
        return BootstrapReplicates(statisticNames: statisticNames, replicates: replicates, values: values, failures: failures)
    }

    /// The jackknife: the statistics with each study left out in turn (k refits of k − 1 studies), for the
    /// BCa acceleration. Rows are studies; a row is nil where that refit failed. Needs k ≥ 3 (and k − 1 > p).
    public func jackknife(threads: Int = ParallelLoop.defaultThreadCount) -> [[Double]?] {
        let k = studyCount
        guard k >= 3, k - 1 > (design?.columns ?? 1) else { return Array(repeating: nil, count: k) }
        let m = statisticNames.count
        var values = [Double](repeating: .nan, count: k * m)
        var ok = [Bool](repeating: false, count: k)
        let y = effects, v = variances, a = userWeights, x = design
        values.withUnsafeMutableBufferPointer { buffer in
            ok.withUnsafeMutableBufferPointer { okBuffer in
                let out = DisjointWriter(buffer)
                let succeeded = DisjointWriter(okBuffer)
                ParallelLoop.forEach(0..<k, threads: threads, blockSize: 16, makeWorkspace: {
                    Workspace(y: Array(y.dropLast()), v: Array(v.dropLast()), a: a.map { Array($0.dropLast()) },
                              x: x.map { Matrix(rows: k - 1, columns: $0.columns) })
                }) { ws, left in
                    var r = 0
                    for i in 0..<k where i != left {
                        ws.y[r] = y[i]
                        ws.v[r] = v[i]
                        if let a { ws.a![r] = a[i] }
                        if let x { for c in 0..<x.columns { ws.x![r, c] = x[i, c] } }
                        r += 1
                    }
                    if (try? refit(&ws, options: options, into: out, at: left * m)) != nil { succeeded[left] = true }
                }
            }
        }
        return (0..<k).map { i in ok[i] ? Array(values[i * m..<(i + 1) * m]) : nil }
    }

    /// The replicates of shard `index` (1-based) of `count` over 0..<`total` (``Shard/range(of:)``).
    public static func shardRange(index: Int, count: Int, total: Int) throws(ResamplingError) -> Range<Int> {
        guard total >= 0 else { throw .tooFewReplicates(found: total, minimum: 0) }
        return try Shard(index: index, count: count).range(of: total)
    }

    /// - Throws: `ResamplingError.tooManyReplicates` when `replicates` replicates of this bootstrap's statistics
    ///   could not be held in memory (``ResamplingLimit``).
    public func checkReplicateCount(_ replicates: Int) throws(ResamplingError) {
        try ResamplingLimit.check(replicates, statistics: statisticNames.count, option: .replicates)
    }
}
