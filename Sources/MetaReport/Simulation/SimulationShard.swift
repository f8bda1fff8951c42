import MetaAnalysis
import MetaData

/// The raw output of one shard of a simulation study (`metaswift simulate --shard i/n`): the study's design, the
/// shard's contiguous slice of (scenario, block) items and their tallies as exact doubles, so that `merge` rebuilds
/// exactly the single run's report.
public struct SimulationShard: Sendable {
    /// The document's `kind`, checked when reading.
    public static let kind = "metaswift.simulate.shard"

    public var shard: Shard
    public var study: SimulationStudy
    /// The items of the shard (`shard.range(of: study.itemCount)`).
    public var items: Range<Int>
    /// `study.methods.count` tallies per item, item by item.
    public var tallies: [SimulationTally]
    public var provenance: Provenance

    public init(shard: Shard, study: SimulationStudy, tallies: [SimulationTally], provenance: Provenance) {
        self.shard = shard
        self.study = study
        items = shard.range(of: study.itemCount)
        self.tallies = tallies
        self.provenance = provenance
    }

    public func jsonValue() -> JSONValue {
        let s = study
        return .object([
            ("kind", .string(Self.kind)),
            ("shard", .array([.number(Double(shard.index)), .number(Double(shard.count))])),
            ("replicates", .number(Double(s.replicates))),
            ("seed", .string(String(s.seed))),
            ("methods", .array(s.methods.map { .string($0.rawValue) })),
            ("test", .string(s.options.test.rawValue)),
            ("level", .number(s.options.level)),
            ("pi", .string(s.options.predictionInterval.rawValue)),
            ("scenarios", .array(s.scenarios.map { c in
                .object([("k", .number(Double(c.studies))), ("tau2", .number(c.tauSquared)), ("effect", .number(c.effect)),
                         ("n_min", .number(Double(c.sampleSizes.lowerBound))), ("n_max", .number(Double(c.sampleSizes.upperBound))),
                         ("outcome", .string(c.outcome.rawValue)), ("baseline_risk", .number(c.baselineRisk))])
            })),
            ("first_item", .number(Double(items.lowerBound))),
            ("item_count", .number(Double(items.count))),
            ("tallies", .array(tallies.map { .doubles($0.values) })),
            ("provenance", provenance.jsonValue),
        ])
    }

    /// Reads a shard document.
    ///
    /// - Throws: `ResamplingError.notAShard` naming `path` when a field is missing or malformed.
    public init(json: JSONValue, path: String) throws(ResamplingError) {
        let bad = ResamplingError.notAShard(path: path, expected: "a simulation shard (written by simulate with a shard)")
        let document = ShardDocument(json, invalid: bad)
        guard json["kind"]?.stringValue == Self.kind, let pair = json["shard"]?.arrayValue, pair.count == 2,
              let shard = try? Shard(index: try document.int(pair[0]), count: try document.int(pair[1])),
              let methods = json["methods"]?.arrayValue?.compactMap({ $0.stringValue.flatMap(TauSquaredEstimator.init(rawValue:)) }),
              let test = CoefficientTest(rawValue: try document.string("test")),
              let pi = PredictionIntervalDistribution(rawValue: try document.string("pi")),
              let level = json["level"]?.doubleValue, let seed = UInt64(try document.string("seed")),
              let scenarioItems = json["scenarios"]?.arrayValue, let tallyItems = json["tallies"]?.arrayValue,
              let provenance = Provenance(json: json["provenance"])
        else { throw bad }
        var scenarios: [SimulationScenario] = []
        for item in scenarioItems {
            let d = ShardDocument(item, invalid: bad)
            guard let tau2 = item["tau2"]?.doubleValue, let effect = item["effect"]?.doubleValue,
                  let risk = item["baseline_risk"]?.doubleValue, let outcome = item["outcome"]?.stringValue.flatMap(SimulatedOutcome.init(rawValue:))
            else { throw bad }
            let low = try d.int(item["n_min"]), high = try d.int(item["n_max"])
            guard low <= high else { throw bad }
            scenarios.append(SimulationScenario(studies: try d.int(item["k"]), tauSquared: tau2, effect: effect,
                                                sampleSizes: low...high, outcome: outcome, baselineRisk: risk))
        }
        var options = RandomEffectsOptions(test: test, level: level)
        options.predictionInterval = pi
        guard let study = try? SimulationStudy(scenarios: scenarios, methods: methods, replicates: try document.int(json["replicates"]),
                                               seed: seed, options: options) else { throw bad }
        var tallies: [SimulationTally] = []
        for item in tallyItems {
            guard let t = SimulationTally(values: try document.doubles(item)) else { throw bad }
            tallies.append(t)
        }
        self.init(shard: shard, study: study, tallies: tallies, provenance: provenance)
        let first = try document.int(json["first_item"]), count = try document.int(json["item_count"])
        guard items == first..<first + count, tallies.count == items.count * methods.count else { throw bad }
    }

    /// The single run's report from all shards of one run (any order).
    ///
    /// - Throws: `ResamplingError.shardsDisagree` / `.shardOptionsDiffer` for shards of different runs,
    ///   `.shardsDoNotCover` when items are missing or held twice, `.shardsIncomplete` when a shard is missing.
    public static func merge(_ shards: [SimulationShard]) throws(ResamplingError) -> SimulationReport {
        guard let first = shards.first else { throw .shardsIncomplete(missing: [1], duplicated: [], count: 1) }
        for other in shards.dropFirst() {
            try first.provenance.checkSameRun(as: other.provenance)
            if other.shard.count != first.shard.count {
                throw .shardsDisagree(field: "shard counts", values: [String(first.shard.count), String(other.shard.count)])
            }
        }
        try ShardCoverage.checkComplete(shards.map(\.shard))
        let order = try ShardCoverage.order(shards.map(\.items), total: first.study.itemCount)
        let tallies = order.flatMap { shards[$0].tallies }
        return SimulationReport(study: first.study, summaries: first.study.summaries(tallies), provenance: first.provenance)
    }
}
