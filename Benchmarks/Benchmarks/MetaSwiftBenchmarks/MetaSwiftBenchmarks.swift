import Benchmark
import BenchmarkSupport
import MetaAnalysis

/// Suites named by operation and size. Inputs are loaded or simulated here, outside the measured closures.
/// Wall-clock numbers are for reading; only `mallocCountTotal` is stable enough to gate CI.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident]
    func configuration(_ seconds: Int = 2, iterations: Int = 1000) -> Benchmark.Configuration {
        .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(seconds), maxIterations: iterations)
    }

    for k in [60, 1_000, 100_000, 1_000_000] {
        let data = SimulatedData.load(k: k)
        for estimator in [TauSquaredEstimator.restrictedMaximumLikelihood, .derSimonianLaird] {
            Benchmark("\(estimator.rawValue) fit k=\(k)", configuration: configuration(k >= 100_000 ? 5 : 2)) { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try Workloads.fit(data, estimator))
                }
            }
        }
    }

    let k60 = SimulatedData.load(k: 60)
    let model = try? Workloads.fit(k60, .restrictedMaximumLikelihood)
    Benchmark("Bootstrap REML B=10000 k=60", configuration: configuration(10, iterations: 20)) { _ in
        blackHole(try Workloads.bootstrap(k60, replicates: 10_000))
    }
    /// The replicate loops allocate per run (result buffers, one workspace per worker), never per replicate, so
    /// their malloc count must not grow with the number of replicates: the same static threshold
    /// (`Thresholds/`, checked by `swift package benchmark thresholds check`) holds at 1,000 and 10,000. The
    /// malloc counter sees every thread, so these benchmarks leave out `peakMemoryResident`: package-benchmark
    /// samples it by reading /proc/self/stat every ~5 ms on a background thread, which allocates, and made the
    /// count grow with the run's duration (the "rare allocating path" of earlier runs). Their names use
    /// underscores: package-benchmark 1.38 writes threshold files with spaces replaced but reads them back by the
    /// raw name, so a name with spaces never finds its threshold.
    func allocationGated(_ seconds: Int = 10, iterations: Int = 20) -> Benchmark.Configuration {
        .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], warmupIterations: 1, maxDuration: .seconds(seconds),
              maxIterations: iterations, thresholds: [.mallocCountTotal: .init(absolute: [.p90: 20])])
    }
    if let model {
        let bootstrap = try? Bootstrap(model: model, type: .nonparametric, seed: 42)
        for replicates in [1_000, 10_000] {
            Benchmark("Bootstrap_replicates_REML_B=\(replicates)_k=60_one_thread", configuration: allocationGated()) { _ in
                blackHole(bootstrap?.run(replicates: 0..<replicates, threads: 1))
            }
        }
    }
    Benchmark("Permutation REML 1000 k=60 one moderator", configuration: configuration(10, iterations: 20)) { _ in
        blackHole(try Workloads.moderatorPermutation(k60, iterations: 1000))
    }
    if let design = try? DesignMatrix(continuous: [("xi", k60.xi)]),
       let regression = try? MetaRegressionModel.fit(effectSizes: k60.yi, samplingVariances: k60.vi, design: design, options: .metafor),
       let permutation = try? MetaRegressionPermutationTest(model: regression) {
        for iterations in [1_000, 10_000] {
            Benchmark("Permutation_replicates_REML_\(iterations)_k=60_one_moderator_one_thread", configuration: allocationGated()) { _ in
                blackHole(try permutation.run(iterations: iterations, seed: 42, threads: 1))
            }
        }
    }
    let k1000 = SimulatedData.load(k: 1_000)
    for estimator in [TauSquaredEstimator.restrictedMaximumLikelihood, .derSimonianLaird] {
        Benchmark("Leave-one-out \(estimator.rawValue) k=1000", configuration: configuration(10, iterations: 50)) { _ in
            blackHole(try Workloads.leaveOneOut(k1000, estimator))
        }
    }
    for k in [15, 20] {
        let data = SimulatedData.load(k: k)
        Benchmark("GOSH DL k=\(k) all subsets", configuration: configuration(10, iterations: 50)) { _ in
            blackHole(try Workloads.gosh(data))
        }
    }
    // Issue 9: k = 30 exhaustive (EE/DL) in under 60 s on 2 cores; the first 30 studies of sim_k60.csv.
    let k30 = Workloads.firstStudies(30, of: k60)
    for estimator in [TauSquaredEstimator.commonEffect, .derSimonianLaird] {
        Benchmark("GOSH \(estimator.rawValue) k=30 all subsets summary",
                  configuration: .init(metrics: metrics, warmupIterations: 0, maxDuration: .seconds(1), maxIterations: 1)) { _ in
            blackHole(try Workloads.goshSummary(k30, estimator))
        }
    }
    Benchmark("Permutation (sign flips) REML 1000 k=60", configuration: configuration(10, iterations: 50)) { _ in
        blackHole(try Workloads.signPermutation(k60, iterations: 1000))
    }
}
