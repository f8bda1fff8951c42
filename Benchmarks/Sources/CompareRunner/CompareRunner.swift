#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BenchmarkSupport
import MetaAnalysis
import MetaNumerics

/// Times each workload of compare-metafor.sh and prints, as one JSON object, per workload the median, min and
/// max wall-clock seconds, the number of runs, and the answers (to check against metafor's).
/// Usage: compare-runner [--threads N] [--filter SUBSTRING]
@main
struct CompareRunner {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// CPU seconds (user + system, all threads) used by the process so far.
    static func cpu() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    /// CPU seconds per run of the last `time` call (mean over its runs): what a run costs whatever the load.
    nonisolated(unsafe) static var lastCPUPerRun = 0.0

    /// Runs `body` at least `minRuns` times and until `budget` seconds have passed (at most `maxRuns`).
    static func time(minRuns: Int = 5, maxRuns: Int = 200, budget: Double = 2, _ body: () throws -> Void) rethrows -> [Double] {
        var times: [Double] = []
        let start = now()
        try body()  // warm-up
        let cpuStart = cpu()
        while times.count < minRuns || (times.count < maxRuns && now() - start < budget) {
            let t0 = now()
            try body()
            times.append(now() - t0)
        }
        lastCPUPerRun = (cpu() - cpuStart) / Double(times.count)
        return times.sorted()
    }

    static func json(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    static func main() throws {
        var threads = ParallelLoop.defaultThreadCount
        var filter = ""
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let a = args.next() {
            if a == "--threads", let n = args.next().flatMap({ Int($0) }) { threads = n }
            if a == "--filter", let f = args.next() { filter = f }
        }
        var entries: [String] = []
        func record(_ id: String, _ times: [Double], _ answers: [(String, Double)]) {
            let median = times.count % 2 == 1 ? times[times.count / 2] : 0.5 * (times[times.count / 2 - 1] + times[times.count / 2])
            let a = answers.map { "\"\($0.0)\": \(json($0.1))" }.joined(separator: ", ")
            entries.append("  \"\(id)\": {\"median\": \(json(median)), \"min\": \(json(times.first!)), \"max\": \(json(times.last!)), "
                + "\"runs\": \(times.count), \"cpu_per_run\": \(json(lastCPUPerRun)), \"answers\": {\(a)}}")
            let line = Array("\(id): median \(median * 1e3) ms over \(times.count) runs\n".utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        }
        func wanted(_ id: String) -> Bool { filter.isEmpty || id.contains(filter) }

        for (k, estimators) in [(60, ["REML", "DL"]), (1_000, ["REML", "DL"]), (10_000, ["DL"]), (100_000, ["REML", "DL"]), (1_000_000, ["REML", "DL"])] {
            let data = SimulatedData.load(k: k)
            for code in estimators {
                let id = "fit_\(code)_k\(k)"
                guard wanted(id), let estimator = TauSquaredEstimator(code: code) else { continue }
                var model: RandomEffectsModel?
                let times = try time(maxRuns: k >= 100_000 ? 30 : 2000) { model = try Workloads.fit(data, estimator) }
                record(id, times, [("beta", model!.estimate), ("se", model!.standardError), ("tau2", model!.tauSquared)])
            }
        }
        let k60 = SimulatedData.load(k: 60)
        if wanted("bootstrap_REML_B10000_k60") {
            var run: BootstrapReplicates?
            let times = try time(minRuns: 5, maxRuns: 50, budget: 5) { run = try Workloads.bootstrap(k60, replicates: 10_000, threads: threads) }
            let beta = run!.column(0).filter(\.isFinite), tau2 = run!.column(1).filter(\.isFinite)
            func sd(_ x: [Double]) -> Double {
                let m = x.reduce(0, +) / Double(x.count)
                return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
            }
            record("bootstrap_REML_B10000_k60", times, [
                ("mean_beta", beta.reduce(0, +) / Double(beta.count)), ("sd_beta", sd(beta)),
                ("mean_tau2", tau2.reduce(0, +) / Double(tau2.count)), ("sd_tau2", sd(tau2)),
                ("failed", Double(run!.failures.count)),
            ])
        }
        if wanted("permutest_signs_REML_1000_k60") {
            var result: PermutationTestResult?
            let times = try time(minRuns: 5, maxRuns: 100, budget: 5) { result = try Workloads.signPermutation(k60, iterations: 1000, threads: threads) }
            record("permutest_signs_REML_1000_k60", times, [("zval", result!.observed.statistic), ("pval", result!.pValue)])
        }
        if wanted("permutest_mods_REML_1000_k60") {
            var result: MetaRegressionPermutationResult?
            let times = try time(minRuns: 3, maxRuns: 20, budget: 5) { result = try Workloads.moderatorPermutation(k60, iterations: 1000, threads: threads) }
            record("permutest_mods_REML_1000_k60", times, [("zval_xi", result!.observed.statistics[1]), ("pval_xi", result!.pValues[1]),
                                                           ("QMp", result!.moderatorPValue), ("failed", Double(result!.failedPermutations.count))])
        }
        let k1000 = SimulatedData.load(k: 1_000)
        for code in ["REML", "DL"] where wanted("leave1out_\(code)_k1000") {
            var analysis: LeaveOneOutAnalysis?
            let estimator = TauSquaredEstimator(code: code)!
            let times = try time(minRuns: 3, maxRuns: 50, budget: 5) { analysis = try Workloads.leaveOneOut(k1000, estimator, threads: threads) }
            let fits = analysis!.fits
            record("leave1out_\(code)_k1000", times, [("first_beta", fits[0].estimate), ("first_tau2", fits[0].tauSquared),
                                                       ("last_beta", fits[fits.count - 1].estimate), ("last_tau2", fits[fits.count - 1].tauSquared)])
        }
        for k in [15, 20] where wanted("gosh_DL_k\(k)") {
            let data = SimulatedData.load(k: k)
            var result: (subsets: Int, meanEstimate: Double)?
            let times = try time(minRuns: 3, maxRuns: 50, budget: 5) { result = try Workloads.gosh(data, threads: threads) }
            record("gosh_DL_k\(k)", times, [("subsets", Double(result!.subsets)), ("mean_estimate", result!.meanEstimate)])
        }
        print("{\n\"threads\": \(threads),\n" + entries.joined(separator: ",\n") + "\n}")
    }
}
