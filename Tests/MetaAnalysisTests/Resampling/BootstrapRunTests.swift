import MetaAnalysis
import MetaNumerics
import Synchronization
import Testing

/// `Bootstrap.run(replicateCount:slice:)`: the whole pipeline a front end runs (jackknife, replicates, summary).
@Suite("Bootstrap.run: jackknife and replicates of a run or a shard")
struct BootstrapRunTests {
    static func bootstrap() throws -> Bootstrap {
        let (y, v) = ResamplingTestData.bcg
        let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: RandomEffectsOptions(test: .z))
        return try Bootstrap(model: model, type: .nonparametric, seed: 11)
    }

    @Test("A run is the jackknife and the replicates of its slice; progress counts both")
    func runIsJackknifeAndReplicates() throws {
        let bootstrap = try Self.bootstrap()
        let counter = Counter()
        let run = try bootstrap.run(replicateCount: 200, slice: 50..<120, threads: 2, progress: { counter.add($0) })
        #expect(run.jackknife == bootstrap.jackknife(threads: 1))
        #expect(run.replicates == (try bootstrap.run(replicates: 50..<120, threads: 1)))
        #expect(counter.total == bootstrap.studyCount + 70)
        let whole = try bootstrap.run(replicateCount: 200, threads: 2)
        #expect(whole.replicates.replicates == 0..<200)
        let summary = BootstrapSummary(estimates: bootstrap.originalStatistics, jackknife: whole.jackknife,
                                       replicates: whole.replicates, level: 95, estimator: .restrictedMaximumLikelihood)
        #expect(summary == BootstrapSummary(estimates: bootstrap.originalStatistics, jackknife: whole.jackknife,
                                            replicates: whole.replicates, level: 95,
                                            ranges: [nil, 0...Double.infinity, 0...100, 1...Double.infinity]))
    }

    @Test("A run too large to hold is refused before any refit")
    func tooLargeRefusedFirst() throws {
        let counter = Counter()
        #expect(throws: ResamplingError.self) {
            try Self.bootstrap().run(replicateCount: Int.max / 2, slice: 0..<10, threads: 1, progress: { counter.add($0) })
        }
        #expect(counter.total == 0)
    }
}

private final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ n: Int) { value.wrappingAdd(n, ordering: .relaxed) }
    var total: Int { value.load(ordering: .relaxed) }
}
