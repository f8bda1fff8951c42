import MetaAnalysis
import MetaData

/// The raw output of one shard of a bootstrap run (`metaswift bootstrap --shard i/n`): the settings, the
/// original estimates and jackknife, and the replicate values of the shard's slice, written with exact
/// doubles so that `metaswift merge` rebuilds exactly the single run's result.
public struct BootstrapShard: Sendable, Equatable {
    /// The document's `kind`, checked when reading.
    public static let kind = "metaswift.bootstrap.shard"

    public var index: Int
    public var count: Int
    public var settings: BootstrapSettings
    public var estimates: [Double]
    /// One row per left-out study (nil where the refit failed).
    public var jackknife: [[Double]?]
    public var replicates: BootstrapReplicates

    public init(index: Int, count: Int, settings: BootstrapSettings, estimates: [Double], jackknife: [[Double]?],
                replicates: BootstrapReplicates) {
        self.index = index
        self.count = count
        self.settings = settings
        self.estimates = estimates
        self.jackknife = jackknife
        self.replicates = replicates
    }

    public func jsonValue() -> JSONValue {
        let m = replicates.statisticNames.count
        var fields: [(String, JSONValue)] = [("kind", .string(Self.kind)), ("shard", .array([.number(Double(index)), .number(Double(count))]))]
        fields += settings.jsonFields()
        fields += [
            ("notes", .array(settings.notes.map { .string($0) })),
            ("statistic_names", .array(replicates.statisticNames.map { .string($0) })),
            ("estimates", .doubles(estimates)),
            ("jackknife", .array(jackknife.map { $0.map { JSONValue.doubles($0) } ?? .null })),
            ("first_replicate", .number(Double(replicates.replicates.lowerBound))),
            ("replicate_count", .number(Double(replicates.replicates.count))),
            ("values", .array((0..<replicates.replicates.count).map { r in .doubles(Array(replicates.values[r * m..<(r + 1) * m])) })),
            ("failures", BootstrapSettings.json(replicates.failures)),
            ("provenance", settings.provenance.jsonValue),
        ]
        return .object(fields)
    }

    /// Reads a shard document.
    ///
    /// - Throws: `ResamplingError.notAShard` naming `path` when a field is missing or malformed.
    public init(json: JSONValue, path: String) throws(ResamplingError) {
        let bad = ResamplingError.notAShard(path: path, expected: "a shard written by \(ArgumentNaming.current(.bootstrapShards))")
        let document = ShardDocument(json, invalid: bad)
        let int = document.int, string = document.string, doubles = document.doubles
        guard json["kind"]?.stringValue == Self.kind, let shard = json["shard"]?.arrayValue, shard.count == 2 else { throw bad }
        index = try int(shard[0])
        count = try int(shard[1])
        guard let method = TauSquaredEstimator(rawValue: try string("method")),
              let test = CoefficientTest(rawValue: try string("test")),
              let type = BootstrapType(rawValue: try string("type")),
              let seed = UInt64(try string("seed")),
              let level = json["level"]?.doubleValue,
              let notes = json["notes"]?.arrayValue?.compactMap(\.stringValue),
              let provenance = Provenance(json: json["provenance"]),
              let names = json["statistic_names"]?.arrayValue?.compactMap(\.stringValue), !names.isEmpty,
              let jackknifeRows = json["jackknife"]?.arrayValue,
              let rows = json["values"]?.arrayValue,
              let failureItems = json["failures"]?.arrayValue
        else { throw bad }
        settings = BootstrapSettings(studyCount: try int(json["k"]), measure: try string("measure"), method: method, test: test,
                                     type: type, replicates: try int(json["replicates"]), seed: seed, level: level,
                                     notes: notes, provenance: provenance)
        estimates = try doubles(json["estimates"])
        var jack: [[Double]?] = []
        for row in jackknifeRows { jack.append(row == .null ? nil : try doubles(row)) }
        jackknife = jack
        let first = try int(json["first_replicate"])
        let n = try int(json["replicate_count"])
        guard rows.count == n, n >= 0, first >= 0 else { throw bad }
        var values: [Double] = []
        values.reserveCapacity(n * names.count)
        for row in rows {
            let v = try doubles(row)
            guard v.count == names.count else { throw bad }
            values += v
        }
        var failures: [BootstrapFailure] = []
        for item in failureItems {
            guard let reason = item["reason"]?.stringValue else { throw bad }
            failures.append(BootstrapFailure(replicate: try int(item["replicate"]), reason: reason))
        }
        guard estimates.count == names.count else { throw bad }
        replicates = BootstrapReplicates(statisticNames: names, replicates: first..<first + n, values: values, failures: failures)
    }

    /// Combines the shards of one run into the report the single run prints.
    ///
    /// - Throws: `ResamplingError.shardsDisagree` when the shards come from different runs (data, settings,
    ///   estimates or shard count), `.shardOptionsDiffer` naming the options that differ, `.shardsDoNotCover` when
    ///   a replicate is missing or duplicated.
    public static func merge(_ shards: [BootstrapShard]) throws(ResamplingError) -> BootstrapReport {
        guard let first = shards.first else { throw .shardsDoNotCover(missing: 0..<0, duplicated: nil) }
        for shard in shards.dropFirst() {
            try first.settings.provenance.checkSameRun(as: shard.settings.provenance)
            if shard.settings != first.settings {
                throw .shardsDisagree(field: "settings", values: ["shard \(first.index)", "shard \(shard.index)"])
            }
            if shard.count != first.count {
                throw .shardsDisagree(field: "shard counts", values: [String(first.count), String(shard.count)])
            }
            if shard.estimates.map(\.bitPattern) != first.estimates.map(\.bitPattern) || shard.jackknife != first.jackknife {
                throw .shardsDisagree(field: "original estimates", values: ["shard \(first.index)", "shard \(shard.index)"])
            }
        }
        let all = try BootstrapReplicates.merged(shards.map(\.replicates), total: first.settings.replicates)
        let summary = BootstrapSummary(estimates: first.estimates, jackknife: first.jackknife, replicates: all,
                                       level: first.settings.level, estimator: first.settings.method)
        return BootstrapReport(settings: first.settings, summary: summary)
    }
}

extension Provenance {
    /// Reads back `jsonValue` (nil if malformed).
    init?(json: JSONValue?) {
        guard let json, let version = json["version"]?.stringValue,
              let line = json["command_line"]?.arrayValue?.compactMap(\.stringValue),
              let options = json["options"]?.objectValue
        else { return nil }
        var pairs: [(String, String)] = []
        for (key, value) in options {
            guard let s = value.stringValue else { return nil }
            pairs.append((key, s))
        }
        self.init(toolVersion: version, commandLine: line, options: pairs, inputPath: json["input"]?.stringValue,
                  inputSHA256: json["input_sha256"]?.stringValue)
    }
}
