#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis
import MetaNumerics

/// Simulated meta-analytic data: the columns of the CSV files metafor was timed on.
public struct SimulatedData: Sendable {
    public var yi: [Double]
    public var vi: [Double]
    public var xi: [Double]

    public var k: Int { yi.count }

    /// The simulated files in `Benchmarks/Data` (`sim_k60.csv`, ...), the same ones metafor was timed on.
    public static func file(k: Int) throws -> SimulatedData {
        let table = try DataTable(contentsOfFile: dataDirectory + "/sim_k\(k).csv")
        return SimulatedData(yi: try table.numbers("yi", neededBy: "benchmarks"), vi: try table.numbers("vi", neededBy: "benchmarks"),
                             xi: try table.numbers("xi", neededBy: "benchmarks"))
    }

    /// k studies from metafor-baseline.md's design: v_i ~ U(0.01, 0.1), y_i ~ N(0.3, 0.04 + v_i), x_i ~ N(0, 1),
    /// drawn from random stream (seed, 0).
    public static func simulated(k: Int, seed: UInt64 = 1) -> SimulatedData {
        var stream = RandomStream(seed: seed, stream: 0)
        var d = SimulatedData(yi: [], vi: [], xi: [])
        d.yi.reserveCapacity(k)
        d.vi.reserveCapacity(k)
        d.xi.reserveCapacity(k)
        for _ in 0..<k {
            let v = 0.01 + 0.09 * stream.nextUniform()
            d.vi.append(v)
            d.yi.append(0.3 + (0.04 + v).squareRoot() * stream.nextNormal())
            d.xi.append(stream.nextNormal())
        }
        return d
    }

    /// The simulated file for k when there is one, else data simulated from seed 1.
    public static func load(k: Int) -> SimulatedData {
        (try? file(k: k)) ?? simulated(k: k)
    }

    /// `Benchmarks/Data`, found from this source file's path (benchmarks run from varying directories).
    public static var dataDirectory: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // BenchmarkSupport/Workloads.swift, Sources
        return parts.joined(separator: "/") + "/Data"
    }
}

/// The workloads of the suite and of the comparison with metafor, one function each.
public enum Workloads {
    /// One `rma(yi, vi, method = ...)`: the whole model (metafor's defaults: z test).
    public static func fit(_ d: SimulatedData, _ estimator: TauSquaredEstimator) throws -> RandomEffectsModel {
        try RandomEffectsModel.fit(effectSizes: d.yi, samplingVariances: d.vi,
                                   options: RandomEffectsOptions(estimator: estimator, test: .z))
    }

    /// `boot(d, stat, R = B)` with stat = c(beta, tau2) of an REML refit: case resampling, B replicates.
    public static func bootstrap(_ d: SimulatedData, replicates: Int, seed: UInt64 = 42, threads: Int = ParallelLoop.defaultThreadCount)
        throws -> BootstrapReplicates
    {
        let model = try fit(d, .restrictedMaximumLikelihood)
        return try Bootstrap(model: model, type: .nonparametric, seed: seed).run(replicates: 0..<replicates, threads: threads)
    }

    /// `permutest(rma(yi, vi, mods = ~ xi), iter = N)`: REML, one continuous moderator, row permutations.
    public static func moderatorPermutation(_ d: SimulatedData, iterations: Int, seed: UInt64 = 42,
                                            threads: Int = ParallelLoop.defaultThreadCount) throws -> MetaRegressionPermutationResult {
        let design = try DesignMatrix(continuous: [("xi", d.xi)])
        let model = try MetaRegressionModel.fit(effectSizes: d.yi, samplingVariances: d.vi, design: design,
                                                options: RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z))
        return try MetaRegressionPermutationTest(model: model).run(iterations: iterations, seed: seed, threads: threads)
    }

    /// `leave1out(rma(yi, vi, method = ...))`.
    public static func leaveOneOut(_ d: SimulatedData, _ estimator: TauSquaredEstimator,
                                   threads: Int = ParallelLoop.defaultThreadCount) throws -> LeaveOneOutAnalysis {
        try LeaveOneOutAnalysis(model: fit(d, estimator), threads: threads)
    }

    /// `gosh(rma(yi, vi, method = "DL"), subsets = 2^k)`: every subset fitted (the results streamed in blocks).
    public static func gosh(_ d: SimulatedData, threads: Int = ParallelLoop.defaultThreadCount) throws -> (subsets: Int, meanEstimate: Double) {
        let analysis = try GOSHAnalysis(model: fit(d, .derSimonianLaird), exhaustiveLimit: 40)
        let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: analysis.blockCount)
        defer { sums.deallocate() }
        let writer = DisjointWriter(sums)
        try analysis.forEachBlock(threads: threads) { block in
            writer[block.firstIndex / GOSHAnalysis.blockSize] = block.subsets.reduce(0) { $0 + $1.estimate }
        }
        return (analysis.subsetCount, sums.reduce(0, +) / Double(analysis.subsetCount))
    }

    /// The first k studies of `sim_k60.csv` (k = 30 for the exhaustive GOSH target of issue 9).
    public static func firstStudies(_ k: Int, of d: SimulatedData) -> SimulatedData {
        SimulatedData(yi: Array(d.yi.prefix(k)), vi: Array(d.vi.prefix(k)), xi: Array(d.xi.prefix(k)))
    }

    /// Exhaustive GOSH summarised without rows (`metaswift sensitivity gosh --exhaustive --summary-only`): all
    /// 2^k − 1 subsets, each fitted (O(1) Gray-code updates) and binned; k = 30 is about 1.07 × 10⁹ subsets.
    public static func goshSummary(_ d: SimulatedData, _ estimator: TauSquaredEstimator,
                                   threads: Int = ParallelLoop.defaultThreadCount) throws -> GOSHSummary {
        try GOSHAnalysis(model: fit(d, estimator), exhaustiveLimit: GOSHAnalysis.maximumExhaustiveStudies).summary(threads: threads)
    }

    /// `permutest(rma(yi, vi), iter = N)` without moderators (sign flipping).
    public static func signPermutation(_ d: SimulatedData, iterations: Int, seed: UInt64 = 42,
                                       threads: Int = ParallelLoop.defaultThreadCount) throws -> PermutationTestResult {
        let model = try fit(d, .restrictedMaximumLikelihood)
        return try PermutationTest(model: model).run(iterations: iterations, seed: seed, threads: threads)
    }
}
