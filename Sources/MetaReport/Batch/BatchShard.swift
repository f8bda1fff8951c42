import MetaAnalysis

/// The last line of a batch shard file (`batch --shard i/n`): which analyses the lines above it hold, of how many, and
/// of which run. The lines above are exactly the single run's output for those analyses (a CSV shard repeats the
/// header line), so `merge` rebuilds the single run by concatenating the shards in order, byte for byte.
public struct BatchShard: Sendable, Equatable {
    /// The trailer's `kind`, checked when reading.
    public static let kind = "metaswift.batch.shard"

    public var shard: Shard
    /// The analyses (0-based, file order) the shard holds: `shard.range(of: total)`.
    public var analyses: Range<Int>
    /// The collection's number of analyses.
    public var total: Int
    public var format: BatchRows.Format
    /// Bytes of the header line at the start of the file (0 for JSON Lines).
    public var headerBytes: Int
    /// The run: its canonical command line (without the shard) and the SHA-256 of the whole collection.
    public var provenance: Provenance

    public init(shard: Shard, total: Int, format: BatchRows.Format, headerBytes: Int, provenance: Provenance) {
        self.shard = shard
        analyses = shard.range(of: total)
        self.total = total
        self.format = format
        self.headerBytes = headerBytes
        self.provenance = provenance
    }

    /// The trailer line (compact JSON and a line end).
    public var line: String {
        JSONValue.object([
            ("kind", .string(Self.kind)),
            ("shard", .array([.number(Double(shard.index)), .number(Double(shard.count))])),
            ("first_analysis", .number(Double(analyses.lowerBound))),
            ("analysis_count", .number(Double(analyses.count))),
            ("total_analyses", .number(Double(total))),
            ("format", .string(format.rawValue)),
            ("header_bytes", .number(Double(headerBytes))),
            ("provenance", provenance.jsonValue),
        ]).serialized(indent: nil) + "\n"
    }

    /// Reads a trailer line of the file at `path`.
    ///
    /// - Throws: `ResamplingError.notAShard` when the line is not a batch shard's trailer.
    public init(line: String, path: String) throws(ResamplingError) {
        let bad = ResamplingError.notAShard(path: path, expected: "a batch shard (its last line is written by batch with a shard)")
        guard let json = try? JSONValue(parsing: line), json["kind"]?.stringValue == Self.kind else { throw bad }
        let document = ShardDocument(json, invalid: bad)
        guard let pair = json["shard"]?.arrayValue, pair.count == 2,
              let format = BatchRows.Format(rawValue: try document.string("format")),
              let provenance = Provenance(json: json["provenance"]),
              let shard = try? Shard(index: try document.int(pair[0]), count: try document.int(pair[1]))
        else { throw bad }
        let first = try document.int(json["first_analysis"]), count = try document.int(json["analysis_count"])
        let total = try document.int(json["total_analyses"]), header = try document.int(json["header_bytes"])
        guard first >= 0, count >= 0, total >= 0, header >= 0 else { throw bad }
        self.init(shard: shard, total: total, format: format, headerBytes: header, provenance: provenance)
        guard analyses == first..<first + count else { throw bad }
    }

    /// The order (indices into `shards`) in which their bodies make the single run's output.
    ///
    /// - Throws: `ResamplingError.shardsDisagree` / `.shardOptionsDiffer` when the shards come from different runs
    ///   (input bytes, options, shard or analysis counts, format), `.analysesNotCovered` when an analysis is missing
    ///   or in two shards.
    public static func mergeOrder(_ shards: [BatchShard]) throws(ResamplingError) -> [Int] {
        guard let first = shards.first else { throw .analysesNotCovered(missing: 0..<0, duplicated: nil) }
        for other in shards.dropFirst() {
            try first.provenance.checkSameRun(as: other.provenance)
            if other.shard.count != first.shard.count {
                throw .shardsDisagree(field: "shard counts", values: [String(first.shard.count), String(other.shard.count)])
            }
            if other.total != first.total || other.format != first.format || other.headerBytes != first.headerBytes {
                throw .shardsDisagree(field: "collections or formats", values: ["shard \(first.shard.index)", "shard \(other.shard.index)"])
            }
        }
        let order: [Int]
        do {
            order = try ShardCoverage.order(shards.map(\.analyses), total: first.total)
        } catch {
            guard case let .shardsDoNotCover(missing, duplicated) = error else { throw error }
            throw .analysesNotCovered(missing: missing, duplicated: duplicated)
        }
        // Empty shards (more shards than analyses) hold no analysis, but a run is still all of its shards.
        try ShardCoverage.checkComplete(shards.map(\.shard))
        return order
    }
}
