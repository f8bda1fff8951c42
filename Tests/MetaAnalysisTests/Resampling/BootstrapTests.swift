import MetaData
import MetaAnalysis
import MetaNumerics
import Testing

extension BootstrapType {
    /// The types that resample effect sizes (``BootstrapType/arms`` needs counts: ArmBootstrapTests).
    static let effectLevel: [BootstrapType] = [.nonparametric, .parametric]
}

@Suite("Bootstrap: reproducibility, sharding, agreement with a direct implementation, failures")
struct BootstrapTests {
    static func model(_ estimator: TauSquaredEstimator = .restrictedMaximumLikelihood, test: CoefficientTest = .z) throws -> RandomEffectsModel {
        let (y, v) = ResamplingTestData.bcg
        return try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, userWeights: v.map { 1 / $0 },
                                          options: RandomEffectsOptions(estimator: estimator, test: test))
    }

    @Test("Bit-identical results for 1, 2 and 4 threads", arguments: BootstrapType.effectLevel)
    func threadCounts(type: BootstrapType) throws {
        let bootstrap = try Bootstrap(model: Self.model(), type: type, seed: 20_240_601)
        let one = try bootstrap.run(replicates: 0..<500, threads: 1)
        for threads in [2, 4] {
            let other = try bootstrap.run(replicates: 0..<500, threads: threads)
            #expect(other.values.map(\.bitPattern) == one.values.map(\.bitPattern))
            #expect(other.failures == one.failures)
        }
        #expect(bootstrap.jackknife(threads: 1) == bootstrap.jackknife(threads: 3))
    }

    @Test("Shards merged in any order equal one run bit for bit", arguments: [1, 3, 4, 7])
    func shards(count: Int) throws {
        let bootstrap = try Bootstrap(model: Self.model(), type: .nonparametric, seed: 7)
        let total = 301
        let whole = try bootstrap.run(replicates: 0..<total, threads: 2)
        let slices = try (1...count).reversed().map { i in
            try bootstrap.run(replicates: Bootstrap.shardRange(index: i, count: count, total: total), threads: 1)
        }
        let merged = try BootstrapReplicates.merged(slices, total: total)
        #expect(merged.replicates == whole.replicates)
        #expect(merged.values.map(\.bitPattern) == whole.values.map(\.bitPattern))
    }

    @Test("Merging refuses a missing or duplicated shard")
    func mergeChecks() throws {
        let bootstrap = try Bootstrap(model: Self.model(.derSimonianLaird), type: .nonparametric, seed: 1)
        let a = try bootstrap.run(replicates: 0..<10, threads: 1)
        let b = try bootstrap.run(replicates: 10..<20, threads: 1)
        #expect(throws: ResamplingError.shardsDoNotCover(missing: 10..<20, duplicated: nil)) {
            try BootstrapReplicates.merged([a], total: 20)
        }
        #expect(throws: ResamplingError.shardsDoNotCover(missing: nil, duplicated: 0..<10)) {
            try BootstrapReplicates.merged([a, a, b], total: 20)
        }
        #expect(throws: ResamplingError.invalidShard(index: 5, count: 4)) { try Bootstrap.shardRange(index: 5, count: 4, total: 100) }
    }

    /// The slow path: draw replicate b's data from stream (seed, b) as documented, fit the full
    /// `RandomEffectsModel` and read its statistics.
    static func direct(_ model: RandomEffectsModel, type: BootstrapType, seed: UInt64, replicate b: Int) -> [Double]? {
        var stream = RandomStream(seed: seed, stream: UInt64(b))
        let k = model.studyCount
        var y = model.effectSizes, v = model.samplingVariances, a = model.userWeights
        switch type {
        case .nonparametric:
            for i in 0..<k {
                let j = ResamplingTestData.index(below: k, &stream)
                y[i] = model.effectSizes[j]
                v[i] = model.samplingVariances[j]
                a?[i] = model.userWeights![j]
            }
        case .parametric:
            for i in 0..<k {
                y[i] = model.estimate + (v[i] + model.tauSquared).squareRoot() * stream.nextNormal()
            }
        case .arms:
            preconditionFailure("arms needs counts: ArmBootstrapTests")
        }
        guard let refit = try? RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, userWeights: a, options: model.options)
        else { return nil }
        return [refit.estimate, refit.tauSquared, refit.iSquared!, refit.hSquared!]
    }

    @Test("Replicates equal full RandomEffectsModel fits of the same resampled data",
          arguments: TauSquaredEstimator.allCases, BootstrapType.effectLevel)
    func agreesWithDirectFits(estimator: TauSquaredEstimator, type: BootstrapType) throws {
        let model = try Self.model(estimator)
        let bootstrap = try Bootstrap(model: model, type: type, seed: 99)
        #expect(bootstrap.originalStatistics == [model.estimate, model.tauSquared, model.iSquared!, model.hSquared!])
        let replicates = try bootstrap.run(replicates: 0..<40, threads: 2)
        for b in 0..<40 {
            let fast = Array(replicates.values[b * 4..<(b + 1) * 4])
            guard let slow = Self.direct(model, type: type, seed: 99, replicate: b) else {
                #expect(replicates.failures.contains { $0.replicate == b })
                continue
            }
            for (x, y) in zip(fast, slow) {
                #expect(abs(x - y) <= 1e-12 * max(1, abs(y)), "replicate \(b): \(fast) vs \(slow)")
            }
        }
    }

    @Test("Jackknife rows equal leave-one-out RandomEffectsModel fits")
    func jackknife() throws {
        let model = try Self.model()
        let rows = try Bootstrap(model: model, type: .nonparametric, seed: 0).jackknife(threads: 2)
        for left in 0..<model.studyCount {
            var y = model.effectSizes, v = model.samplingVariances, a = model.userWeights!
            y.remove(at: left)
            v.remove(at: left)
            a.remove(at: left)
            // User weights weight the estimate under every estimator (as metafor's rma with `weights`).
            let m = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, userWeights: a, options: model.options)
            #expect(rows[left] == [m.estimate, m.tauSquared, m.iSquared!, m.hSquared!])
        }
    }

    @Test("Replicates whose refit fails are counted, listed with the reason, and left out of the summary")
    func failures() throws {
        // REML limited to the number of Fisher-scoring steps the original data need: resamples that need
        // more fail, the others succeed.
        let (y, v) = ResamplingTestData.bcg
        var options = RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z)
        let steps = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: options).tauSquaredEstimate!.iterations
        options.control.maxIterations = steps
        let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: options)
        let bootstrap = try Bootstrap(model: model, type: .nonparametric, seed: 5)
        let run = try bootstrap.run(replicates: 0..<200, threads: 2)
        let nanRows = (0..<200).filter { run.values[$0 * 4].isNaN }
        #expect(!run.failures.isEmpty && run.failures.count < 200)
        #expect(run.failures.map(\.replicate) == nanRows)
        #expect(run.failures.allSatisfy { $0.reason.contains("did not converge") })
        let summary = BootstrapSummary(estimates: bootstrap.originalStatistics, jackknife: bootstrap.jackknife(threads: 1),
                                       replicates: run, level: 95)
        #expect(summary.failures.count == run.failures.count)
        #expect(summary.statistics.allSatisfy { $0.successful == 200 - run.failures.count })
    }

    @Test("A bootstrap needs two studies")
    func tooFew() throws {
        let model = try RandomEffectsModel.fit(effectSizes: [0.3], samplingVariances: [0.1])
        #expect(throws: InputError.tooFewStudies(found: 1, needed: 2, analysis: "A bootstrap")) {
            try Bootstrap(model: model, type: .nonparametric, seed: 1)
        }
    }
}

@Suite("Bootstrap of a meta-regression")
struct MetaRegressionBootstrapTests {
    static let latitude: [Double] = [44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33]

    @Test("Replicates equal full MetaRegressionModel fits of the same resampled rows; threads do not matter",
          arguments: BootstrapType.effectLevel)
    func agreesWithDirectFits(type: BootstrapType) throws {
        let (y, v) = ResamplingTestData.bcg
        let design = try DesignMatrix(continuous: [("ablat", Self.latitude)])
        let model = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, options: .metafor)
        let bootstrap = try Bootstrap(model: model, type: type, seed: 3)
        #expect(bootstrap.statisticNames == ["intrcpt", "ablat", "tau2", "I2", "H2"])
        #expect(bootstrap.originalStatistics == model.coefficients + [model.tauSquared, model.iSquared, model.hSquared])
        let run = try bootstrap.run(replicates: 0..<30, threads: 2)
        #expect(try run.values.map(\.bitPattern) == bootstrap.run(replicates: 0..<30, threads: 1).values.map(\.bitPattern))
        for b in 0..<30 {
            var stream = RandomStream(seed: 3, stream: UInt64(b))
            var ys = y, vs = v, xs = Self.latitude
            for i in 0..<y.count {
                switch type {
                case .nonparametric:
                    let j = ResamplingTestData.index(below: y.count, &stream)
                    (ys[i], vs[i], xs[i]) = (y[j], v[j], Self.latitude[j])
                case .parametric:
                    ys[i] = model.fittedValues[i] + (v[i] + model.tauSquared).squareRoot() * stream.nextNormal()
                case .arms:
                    preconditionFailure("arms needs counts: ArmBootstrapTests")
                }
            }
            let row = Array(run.values[b * 5..<(b + 1) * 5])
            guard let direct = try? MetaRegressionModel.fit(effectSizes: ys, samplingVariances: vs,
                                                            design: DesignMatrix(continuous: [("ablat", xs)]), options: .metafor)
            else {
                #expect(run.failures.contains { $0.replicate == b })
                continue
            }
            let expected = direct.coefficients + [direct.tauSquared, direct.iSquared, direct.hSquared]
            for (x, e) in zip(row, expected) { #expect(abs(x - e) <= 1e-12 * max(1, abs(e)), "replicate \(b)") }
        }
        let summary = BootstrapSummary(estimates: bootstrap.originalStatistics, jackknife: bootstrap.jackknife(threads: 2),
                                       replicates: try bootstrap.run(replicates: 0..<200, threads: 2), level: 95)
        #expect(summary.statistics.map(\.name) == bootstrap.statisticNames)
        #expect(summary.statistics[1].bca != nil)
    }
}
