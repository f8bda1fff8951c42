import MetaAnalysis

/// V as `metaswift vcalc` prints it. CSV: the long format `row1,row2,cov` (1-based effect numbers, the upper
/// triangle with the diagonal, nonzero entries only), which `CovarianceEntries` reads back. JSON: `k` and `blocks`
/// (`cluster`, `rows` 1-based, `matrix`), the field names of the conformance bank's vcalc cases, and `provenance`.
/// Text: each cluster's block.
public struct SamplingCovarianceReport: RenderableReport, Sendable {
    public let covariance: SamplingCovariance
    /// The cluster label of each block (in block order).
    public let clusterLabels: [String]
    public let provenance: Provenance?

    /// - Parameter clusters: the cluster label of each effect; a block takes the label of its first effect.
    public init(covariance: SamplingCovariance, clusters: [String], provenance: Provenance? = nil) {
        self.covariance = covariance
        self.clusterLabels = covariance.blocks.map { clusters[$0.rows[0]] }
        self.provenance = provenance
    }

    public func csvDocument() -> CSVDocument {
        CSVDocument(header: ["row1", "row2", "cov"], rows: covariance.upperTriangleEntries.map {
            [String($0.row1 + 1), String($0.row2 + 1), NumberFormat.shortest($0.value)]
        })
    }

    public func jsonValue() -> JSONValue {
        let blocks: [JSONValue] = zip(covariance.blocks, clusterLabels).map { block, label in
            .object([
                ("cluster", .string(label)),
                ("rows", .array(block.rows.map { .number(Double($0 + 1)) })),
                ("matrix", .array((0..<block.size).map { a in
                    .array((0..<block.size).map { b in .number(block.element(a, b)) })
                })),
            ])
        }
        var fields: [(String, JSONValue)] = [("k", .number(Double(covariance.count))), ("blocks", .array(blocks))]
        if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        return .object(fields)
    }

    public func textReport() -> String {
        var out = "Sampling covariance matrix V: \(covariance.count) effects in \(covariance.blocks.count) clusters\n"
        for (block, label) in zip(covariance.blocks, clusterLabels) {
            let rowNames = block.rows.map { String($0 + 1) }
            let table = TextTable(header: ["row"] + rowNames, rows: (0..<block.size).map { a in
                [rowNames[a]] + (0..<block.size).map { b in NumberFormat.significant(block.element(a, b), 6) }
            })
            out += "\nCluster \(label)\n" + table.rendered()
        }
        return out
    }
}
