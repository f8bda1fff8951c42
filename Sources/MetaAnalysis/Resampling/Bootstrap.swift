import MetaNumerics

/// A bootstrap of an intercept-only random-effects (or common-effect) model: the statistics μ̂, τ̂², I², H²
/// recomputed on B resampled data sets, with the same estimator, test and solver settings as the model.
///
/// Replicate b draws only from the counter-based stream (seed, b) (``RandomStream``), so any replicate can be
/// computed anywhere: a run is bit-identical for every thread count, and shards (``run(replicates:threads:progress:)``
/// over slices of 0..<B) merge into exactly the values of one run. Each worker reuses one set of buffers, so
/// a replicate allocates nothing; a fit costs O(k).
///
/// References: Efron & Tibshirani (1993), *An Introduction to the Bootstrap*; Davison & Hinkley (1997),
/// *Bootstrap Methods and their Application*, sections 2.2–2.3 (parametric and case resampling).
public struct Bootstrap: Sendable {
    public let effects: [Double]
    public let variances: [Double]
    public let userWeights: [Double]?
    public let options: RandomEffectsOptions
    public let type: BootstrapType
    public let seed: UInt64
    /// μ̂ and τ̂² of the model fitted to the original data (the parametric bootstrap's generating values).
    public let original: InterceptOnlyRefit

    /// The statistics recorded per replicate, in column order (the conformance names of `pool`'s JSON).
    public static let statisticNames = ["beta", "tau2", "I2", "H2"]

    /// Prepares a bootstrap of `model` (k ≥ 2).
    ///
    /// - Throws: `InputError.tooFewStudies` for k < 2; `ResamplingError.originalFitFailed` when the model's
    ///   statistics cannot be recomputed (they always can when the model was fitted).
    public init(model: RandomEffectsModel, type: BootstrapType, seed: UInt64) throws {
        guard model.studyCount >= 2 else {
            throw InputError.tooFewStudies(found: model.studyCount, needed: 2, analysis: "A bootstrap")
        }
        effects = model.effectSizes
        variances = model.samplingVariances
        userWeights = model.userWeights
        options = model.options
        self.type = type
        self.seed = seed
        do {
            original = try InterceptOnlyRefit.fit(effects: effects, variances: variances, userWeights: userWeights,
                                                  options: options)
        } catch {
            throw ResamplingError.originalFitFailed(reason: error.description)
        }
    }

    public var studyCount: Int { effects.count }

    /// θ̂: the statistics on the original data, in ``statisticNames`` order.
    public var originalStatistics: [Double] { Self.row(original) }

    static func row(_ r: InterceptOnlyRefit) -> [Double] { [r.estimate, r.tauSquared, r.iSquared, r.hSquared] }

    /// Scratch buffers of one worker: a resampled data set.
    struct Workspace {
        var y: [Double]
        var v: [Double]
        var a: [Double]?
    }

    /// Computes replicates `replicates` (a slice of 0..<B) on `threads` workers.
    ///
    /// - Parameter progress: called with the number of replicates finished since the last call (from any thread).
    public func run(replicates: Range<Int>, threads: Int = ParallelLoop.defaultThreadCount,
                    progress: (@Sendable (Int) -> Void)? = nil) -> BootstrapReplicates
    {
        let m = Self.statisticNames.count
        let n = replicates.count
        var values = [Double](repeating: .nan, count: n * m)
        let errors = UnsafeMutableBufferPointer<EstimationError?>.allocate(capacity: n)
        errors.initialize(repeating: nil)
        defer { errors.deinitialize().deallocate() }
        let k = studyCount
        let y = effects, v = variances, a = options.estimator.needsUserWeights ? userWeights : nil
        let options = options, type = type, seed = seed
        let mu = original.estimate
        let sd = variances.map { ($0 + original.tauSquared).squareRoot() }
        let lower = replicates.lowerBound
        values.withUnsafeMutableBufferPointer { buffer in
            let out = DisjointWriter(buffer)
            let failed = DisjointWriter(errors)
            ParallelLoop.forEach(replicates, threads: threads,
                                 makeWorkspace: { Workspace(y: y, v: v, a: a) }, progress: progress) { ws, b in
                var stream = RandomStream(seed: seed, stream: UInt64(b))
                switch type {
                case .nonparametric:
                    for i in 0..<k {
                        let j = stream.nextIndex(below: k)
                        ws.y[i] = y[j]
                        ws.v[i] = v[j]
                        if let a { ws.a![i] = a[j] }
                    }
                case .parametric:
                    for i in 0..<k { ws.y[i] = mu + sd[i] * stream.nextNormal() }
                }
                let r = b - lower
                do throws(EstimationError) {
                    let fit = try InterceptOnlyRefit.fit(effects: ws.y, variances: ws.v, userWeights: ws.a, options: options)
                    out[r * m] = fit.estimate
                    out[r * m + 1] = fit.tauSquared
                    out[r * m + 2] = fit.iSquared
                    out[r * m + 3] = fit.hSquared
                } catch {
                    failed[r] = error
                }
            }
        }
        var failures: [BootstrapFailure] = []
        for r in 0..<n {
            if let error = errors[r] { failures.append(BootstrapFailure(replicate: lower + r, reason: error.description)) }
        }
        return BootstrapReplicates(statisticNames: Self.statisticNames, replicates: replicates, values: values, failures: failures)
    }

    /// The jackknife: the statistics with each study left out in turn (k refits of k − 1 studies), for the
    /// BCa acceleration. Rows are studies; a row is nil where that refit failed. Needs k ≥ 3.
    public func jackknife(threads: Int = ParallelLoop.defaultThreadCount) -> [[Double]?] {
        let k = studyCount
        guard k >= 3 else { return Array(repeating: nil, count: k) }
        let m = Self.statisticNames.count
        var values = [Double](repeating: .nan, count: k * m)
        let y = effects, v = variances, a = options.estimator.needsUserWeights ? userWeights : nil
        let options = options
        values.withUnsafeMutableBufferPointer { buffer in
            let out = DisjointWriter(buffer)
            ParallelLoop.forEach(0..<k, threads: threads, blockSize: 16,
                                 makeWorkspace: { Workspace(y: Array(y.dropLast()), v: Array(v.dropLast()), a: a.map { Array($0.dropLast()) }) }) { ws, left in
                var j = 0
                for i in 0..<k where i != left {
                    ws.y[j] = y[i]
                    ws.v[j] = v[i]
                    if let a { ws.a![j] = a[i] }
                    j += 1
                }
                if let fit = try? InterceptOnlyRefit.fit(effects: ws.y, variances: ws.v, userWeights: ws.a, options: options) {
                    out[left * m] = fit.estimate
                    out[left * m + 1] = fit.tauSquared
                    out[left * m + 2] = fit.iSquared
                    out[left * m + 3] = fit.hSquared
                }
            }
        }
        return (0..<k).map { i in
            let row = Array(values[i * m..<(i + 1) * m])
            return row.contains { $0.isNaN } ? nil : row
        }
    }

    /// The first and one-past-last replicate of shard `index` (1-based) of `count` over 0..<`total`:
    /// ⌊(i−1)B/n⌋ ..< ⌊iB/n⌋, so the shards tile 0..<B in order with sizes differing by at most one.
    public static func shardRange(index: Int, count: Int, total: Int) throws(ResamplingError) -> Range<Int> {
        guard count >= 1, index >= 1, index <= count else { throw .invalidShard(index: index, count: count) }
        return (index - 1) * total / count..<index * total / count
    }
}
