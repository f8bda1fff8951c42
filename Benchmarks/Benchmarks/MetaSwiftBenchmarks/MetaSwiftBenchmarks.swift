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
    if let model {
        // The replicate loop alone, one thread: its malloc count must not grow with B (allocation-free replicates).
        let bootstrap = try? Bootstrap(model: model, type: .nonparametric, seed: 42)
        for replicates in [1_000, 10_000] {
            Benchmark("Bootstrap replicates REML B=\(replicates) k=60 one thread", configuration: configuration(10, iterations: 20)) { _ in
                blackHole(bootstrap?.run(replicates: 0..<replicates, threads: 1))
            }
        }
    }
    Benchmark("Permutation REML 1000 k=60 one moderator", configuration: configuration(10, iterations: 20)) { _ in
        blackHole(try Workloads.moderatorPermutation(k60, iterations: 1000))
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
