import MetaAnalysis
import MetaData

/// The raw output of one shard of a permutation test (`metaswift permute --shard i/n`): the report's fixed part
/// (model, settings, provenance), the observed statistics the p-values compare with, and the statistics of the
/// shard's slice of permutations, written with exact doubles so that `metaswift merge` rebuilds exactly the single
/// run's report.
public struct PermutationShard: Sendable {
    /// The document's `kind`, checked when reading.
    public static let kind = "metaswift.permute.shard"

    public var index: Int
    public var count: Int
    /// The report of the run; its p-values and counts are recomputed from the merged values.
    public var report: PermutationReport
    /// The observed value of each statistic per permutation (coefficients, then QM for a meta-regression).
    public var observed: [Double]
    /// Whether each statistic's comparison is two-sided (|x*| ≥ |x|) or one-sided (QM* ≥ QM).
    public var twoSided: [Bool]
    public var values: PermutationValues

    public init(index: Int, count: Int, report: PermutationReport, observed: [Double], twoSided: [Bool], values: PermutationValues) {
        self.index = index
        self.count = count
        self.report = report
        self.observed = observed
        self.twoSided = twoSided
        self.values = values
    }

    public func jsonValue() -> JSONValue {
        let r = report, w = values.width
        let fields: [(String, JSONValue)] = [
            ("kind", .string(Self.kind)),
            ("shard", .array([.number(Double(index)), .number(Double(count))])),
            ("k", .number(Double(r.studyCount))),
            ("method", .string(r.estimator.rawValue)),
            ("test", .string(r.test.rawValue)),
            ("measure", .string(r.measure)),
            ("exact", .bool(r.exact)),
            ("iterations", .number(Double(r.permutations))),
            ("seed", r.seed.map { .string(String($0)) } ?? .null),
            ("meta_regression", .bool(r.isMetaRegression)),
            ("coef_names", .array(r.coefficients.map { .string($0.name) })),
            ("beta", .doubles(r.coefficients.map(\.estimate))),
            ("se", .doubles(r.coefficients.map(\.standardError))),
            ("zval", .doubles(r.coefficients.map(\.statistic))),
            ("ci_lb", .doubles(r.coefficients.map(\.lower))),
            ("ci_ub", .doubles(r.coefficients.map(\.upper))),
            ("QM", .double(r.omnibusStatistic)),
            ("omnibus_label", r.omnibusLabel.map { .string($0) } ?? .null),
            ("exact_description", .string(r.exactDescription)),
            ("model_description", .string(r.modelDescription)),
            ("observed", .doubles(observed)),
            ("two_sided", .array(twoSided.map { .bool($0) })),
            ("first_permutation", .number(Double(values.permutations.lowerBound))),
            ("permutation_count", .number(Double(values.permutations.count))),
            ("values", .array((0..<values.permutations.count).map { .doubles(Array(values.values[$0 * w..<($0 + 1) * w])) })),
            ("notes", .array(r.notes.map { .string($0) })),
            ("provenance", r.provenance.jsonValue),
        ]
        return .object(fields)
    }

    /// Reads a shard document.
    ///
    /// - Throws: `ResamplingError.notAShard` naming `path` when a field is missing or malformed.
    public init(json: JSONValue, path: String) throws(ResamplingError) {
        let bad = ResamplingError.notAShard(path: path, expected: "a shard written by \(ArgumentNaming.current(.permutationShards))")
        let document = ShardDocument(json, invalid: bad)
        let int = document.int, string = document.string, doubles = document.doubles, bool = document.bool
        guard json["kind"]?.stringValue == Self.kind, let shard = json["shard"]?.arrayValue, shard.count == 2,
              let estimator = TauSquaredEstimator(rawValue: try string("method")),
              let test = CoefficientTest(rawValue: try string("test")),
              let names = json["coef_names"]?.arrayValue?.compactMap(\.stringValue), !names.isEmpty,
              let twoSidedItems = json["two_sided"]?.arrayValue,
              let rows = json["values"]?.arrayValue,
              let notes = json["notes"]?.arrayValue?.compactMap(\.stringValue),
              let provenance = Provenance(json: json["provenance"])
        else { throw bad }
        index = try int(shard[0])
        count = try int(shard[1])
        var seed: UInt64?
        if json["seed"] != .null {
            guard let s = UInt64(try string("seed")) else { throw bad }
            seed = s
        }
        let beta = try doubles(json["beta"]), se = try doubles(json["se"]), z = try doubles(json["zval"])
        let lower = try doubles(json["ci_lb"]), upper = try doubles(json["ci_ub"])
        guard [beta, se, z, lower, upper].allSatisfy({ $0.count == names.count }) else { throw bad }
        let coefficients = names.indices.map { j in
            PermutationReport.Coefficient(name: names[j], estimate: beta[j], standardError: se[j], statistic: z[j], pValue: .nan,
                                          lower: lower[j], upper: upper[j])
        }
        var omnibusStatistic: Double?
        if json["QM"] != .null {
            guard let qm = json["QM"]?.doubleValue else { throw bad }
            omnibusStatistic = qm
        }
        var omnibusLabel: String?
        if json["omnibus_label"] != .null { omnibusLabel = try string("omnibus_label") }
        report = PermutationReport(
            coefficients: coefficients, isMetaRegression: try bool(json["meta_regression"]), studyCount: try int(json["k"]),
            estimator: estimator, test: test, measure: try string("measure"), exact: try bool(json["exact"]),
            permutations: try int(json["iterations"]), seed: seed, omnibusStatistic: omnibusStatistic, omnibusLabel: omnibusLabel,
            exactDescription: try string("exact_description"), modelDescription: try string("model_description"),
            notes: notes, provenance: provenance)
        observed = try doubles(json["observed"])
        var sides: [Bool] = []
        for item in twoSidedItems { sides.append(try bool(item)) }
        twoSided = sides
        let width = observed.count
        let first = try int(json["first_permutation"]), n = try int(json["permutation_count"])
        guard width >= 1, sides.count == width, rows.count == n, n >= 0, first >= 0 else { throw bad }
        var all: [Double] = []
        all.reserveCapacity(n * width)
        for row in rows {
            let v = try doubles(row)
            guard v.count == width else { throw bad }
            all += v
        }
        values = PermutationValues(width: width, permutations: first..<first + n, values: all)
    }

    /// Combines the shards of one run into the report the single run prints.
    ///
    /// - Throws: `ResamplingError.shardsDisagree` when the shards come from different runs (input data, an
    ///   option, the shard count or the fitted model), `.shardsDoNotCover` when a permutation is missing or duplicated.
    public static func merge(_ shards: [PermutationShard]) throws(ResamplingError) -> PermutationReport {
        guard let first = shards.first else { throw .shardsDoNotCover(missing: 0..<0, duplicated: nil) }
        let fixed = first.fixedPart
        for shard in shards.dropFirst() {
            try first.report.provenance.checkSameRun(as: shard.report.provenance)
            if shard.count != first.count {
                throw .shardsDisagree(field: "shard counts", values: [String(first.count), String(shard.count)])
            }
            if shard.fixedPart != fixed {
                throw .shardsDisagree(field: "fitted models", values: ["shard \(first.index)", "shard \(shard.index)"])
            }
        }
        let all = try PermutationValues.merged(shards.map(\.values), total: first.report.permutations)
        var report = first.report
        report.apply(all.tally(observed: first.observed, twoSided: first.twoSided))
        return report
    }

    /// Everything but the shard's slice: equal for every shard of one run.
    private var fixedPart: String {
        var json = jsonValue()
        if case let .object(fields) = json {
            json = .object(fields.filter { !["shard", "first_permutation", "permutation_count", "values"].contains($0.0) })
        }
        return json.serialized()
    }
}
