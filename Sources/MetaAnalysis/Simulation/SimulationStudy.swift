import MetaData
import MetaNumerics

/// A simulation study of estimator performance (the design of Langan et al. 2019, Res Syn Meth 10:83, and Veroniki
/// et al. 2016): for each scenario, `replicates` datasets are generated and every method is fitted to each; the
/// summaries give bias, MSE, coverage of the CI and PI, mean CI width and the rate of errors per scenario × method.
///
/// Replicate r of scenario s draws from random stream (seed, s·2⁴⁰ + r), so it is the same dataset whatever the thread
/// count or sharding. Replicates are tallied in blocks of ``blockSize``; the work items are (scenario, block) pairs in
/// scenario-major order, and a summary adds its blocks' tallies in block order, so one run, any thread count and any
/// merge of shards (each a contiguous range of items) give bit-identical summaries.
public struct SimulationStudy: Sendable {
    public var scenarios: [SimulationScenario]
    public var methods: [TauSquaredEstimator]
    public var replicates: Int
    public var seed: UInt64
    /// Test, level and prediction interval of every fit; the estimator is replaced by each method.
    public var options: RandomEffectsOptions

    /// Replicates per scenario the streams can index (s·2⁴⁰ + r must not reach the next scenario's streams).
    public static let maximumReplicates = 1 << 40
    /// Scenarios the streams can index.
    public static let maximumScenarios = 1 << 24
    /// Replicates tallied together.
    public static let blockSize = 256

    /// - Throws: `InputError.invalidOption` when a scenario cannot generate data, or the replicates or scenarios are
    ///   more than the random streams can index (naming the limit), or there is no method.
    public init(scenarios: [SimulationScenario], methods: [TauSquaredEstimator], replicates: Int, seed: UInt64,
                options: RandomEffectsOptions = RandomEffectsOptions()) throws(InputError) {
        guard replicates >= 1, replicates <= Self.maximumReplicates else {
            throw .invalidOption(name: "replicates", value: String(replicates),
                                 expected: "between 1 and \(Self.maximumReplicates) (2^40, the replicates per scenario the random streams can index)")
        }
        guard !scenarios.isEmpty, scenarios.count <= Self.maximumScenarios else {
            throw .invalidOption(name: "scenarios", value: String(scenarios.count),
                                 expected: "between 1 and \(Self.maximumScenarios) (2^24) scenarios")
        }
        guard !methods.isEmpty else { throw .invalidOption(name: "methods", value: "", expected: "at least one method") }
        for scenario in scenarios { try scenario.validate() }
        self.scenarios = scenarios
        self.methods = methods
        self.replicates = replicates
        self.seed = seed
        self.options = options
    }

    /// Blocks of replicates per scenario.
    public var blockCount: Int { (replicates + Self.blockSize - 1) / Self.blockSize }
    /// Work items: (scenario, block) pairs.
    public var itemCount: Int { scenarios.count * blockCount }

    /// The random stream of replicate `r` of scenario `s`.
    public func stream(scenario s: Int, replicate r: Int) -> RandomStream {
        RandomStream(seed: seed, stream: UInt64(s) << 40 | UInt64(r))
    }

    /// The dataset of replicate `r` of scenario `s`.
    public func data(scenario s: Int, replicate r: Int) -> StudyData {
        var stream = stream(scenario: s, replicate: r)
        return scenarios[s].data(&stream)
    }

    /// The tallies of `items` (a slice of 0..<itemCount): `methods.count` per item, item by item.
    public func run(items: Range<Int>, threads: Int, progress: (@Sendable (Int) -> Void)? = nil) -> [SimulationTally] {
        let perItem = ParallelLoop.map(items.count, threads: threads, blockSize: 1) { j in
            let tallies = tally(item: items.lowerBound + j)
            progress?(1)
            return tallies
        }
        return perItem.flatMap { $0 }
    }

    /// One item's tallies, one per method.
    func tally(item: Int) -> [SimulationTally] {
        let s = item / blockCount, b = item % blockCount
        let scenario = scenarios[s]
        var tallies = [SimulationTally](repeating: SimulationTally(), count: methods.count)
        let options = methods.map { m -> PoolingOptions in
            var model = self.options
            model.estimator = m
            model.threads = 1
            return PoolingOptions(model: model, intervals: nil)
        }
        for r in b * Self.blockSize..<min(replicates, (b + 1) * Self.blockSize) {
            let data = data(scenario: s, replicate: r)
            let sizes = try? EffectSizes.compute(measure: scenario.measure, data: data)
            for m in methods.indices {
                guard let sizes, let fit = try? PooledAnalysis.pool(sizes, of: data, options: options[m]) else {
                    tallies[m].failed += 1
                    continue
                }
                tallies[m].add(fit.prediction, tauSquared: fit.model.tauSquared, scenario: scenario)
            }
        }
        return tallies
    }

    /// The summaries of every scenario × method (scenario-major) from the tallies of all items in order.
    public func summaries(_ tallies: [SimulationTally]) -> [SimulationSummary] {
        precondition(tallies.count == itemCount * methods.count, "one tally per item and method")
        var out: [SimulationSummary] = []
        for s in scenarios.indices {
            for m in methods.indices {
                var total = SimulationTally()
                for b in 0..<blockCount { total.add(tallies[(s * blockCount + b) * methods.count + m]) }
                out.append(SimulationSummary(scenario: scenarios[s], method: methods[m], tally: total))
            }
        }
        return out
    }
}

/// Sums over some replicates of one scenario × method: what the summaries are computed from (exact doubles, so shards
/// can carry them).
public struct SimulationTally: Sendable, Equatable {
    /// Replicates fitted, and replicates whose data or fit failed.
    public var fitted = 0.0, failed = 0.0
    /// Σ (μ̂ − μ), Σ (μ̂ − μ)².
    public var error = 0.0, squaredError = 0.0
    /// Replicates whose CI holds μ; Σ P(θ_new ∈ PI) with θ_new ~ N(μ, τ²).
    public var ciCovered = 0.0, piCoverage = 0.0
    /// Σ CI width; Σ (τ̂² − τ²).
    public var ciWidth = 0.0, tauSquaredError = 0.0

    public init() {}

    /// The sums in a fixed order (for shard files).
    public var values: [Double] { [fitted, failed, error, squaredError, ciCovered, piCoverage, ciWidth, tauSquaredError] }

    public init?(values v: [Double]) {
        guard v.count == 8 else { return nil }
        (fitted, failed, error, squaredError, ciCovered, piCoverage, ciWidth, tauSquaredError) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
    }

    mutating func add(_ other: SimulationTally) {
        fitted += other.fitted; failed += other.failed
        error += other.error; squaredError += other.squaredError
        ciCovered += other.ciCovered; piCoverage += other.piCoverage
        ciWidth += other.ciWidth; tauSquaredError += other.tauSquaredError
    }

    /// Adds one fitted replicate.
    mutating func add(_ p: Prediction, tauSquared: Double, scenario: SimulationScenario) {
        let mu = scenario.effect, d = p.estimate - mu
        fitted += 1
        error += d
        squaredError += d * d
        if p.confidenceLower <= mu && mu <= p.confidenceUpper { ciCovered += 1 }
        ciWidth += p.confidenceUpper - p.confidenceLower
        tauSquaredError += tauSquared - scenario.tauSquared
        let tau = scenario.tauSquared.squareRoot()
        if tau > 0 {
            piCoverage += Normal.cdf((p.predictionUpper - mu) / tau) - Normal.cdf((p.predictionLower - mu) / tau)
        } else if p.predictionLower <= mu && mu <= p.predictionUpper {
            piCoverage += 1
        }
    }
}

/// The performance of one method in one scenario (Morris, White & Crowther 2019, Stat Med 38:2074, Table 6).
public struct SimulationSummary: Sendable, Equatable {
    public var scenario: SimulationScenario
    public var method: TauSquaredEstimator
    public var tally: SimulationTally

    public var replicates: Int { Int(tally.fitted + tally.failed) }
    public var errors: Int { Int(tally.failed) }
    public var errorRate: Double { tally.failed / (tally.fitted + tally.failed) }
    /// mean(μ̂) − μ over the fitted replicates.
    public var bias: Double { tally.error / tally.fitted }
    /// Monte Carlo SE of the bias: SD(μ̂)/√n.
    public var biasMCSE: Double {
        let n = tally.fitted
        guard n > 1 else { return .nan }
        return (max(0, tally.squaredError - n * bias * bias) / (n - 1) / n).squareRoot()
    }
    /// mean((μ̂ − μ)²).
    public var mse: Double { tally.squaredError / tally.fitted }
    /// Share of CIs holding μ.
    public var ciCoverage: Double { tally.ciCovered / tally.fitted }
    /// √(c(1 − c)/n).
    public var ciCoverageMCSE: Double { (ciCoverage * (1 - ciCoverage) / tally.fitted).squareRoot() }
    /// Mean probability that a new study's true effect falls in the PI.
    public var piCoverage: Double { tally.piCoverage / tally.fitted }
    public var meanCIWidth: Double { tally.ciWidth / tally.fitted }
    /// mean(τ̂²) − τ².
    public var tauSquaredBias: Double { tally.tauSquaredError / tally.fitted }
}
