import MetaAnalysis
import MetaData

/// How a batch run writes its results: one JSON Lines object or one CSV row per analysis × method, analyses in the
/// order read and methods in the order given.
///
/// A JSON line holds `analysis` (the key columns and their values), then exactly the fields of `pool`'s JSON for that
/// analysis alone (the conformance names, `diagnostics`, `provenance`); an analysis that failed holds `analysis`,
/// `method`, `error` (`kind`, the error's type and case, and `message`, its sentence) and `provenance`. A CSV row holds
/// the key columns, `method`, pool's scalar summary fields under the names of pool's CSV (``csvFields``; `NA` where a
/// field does not apply or the analysis failed), then `error_kind` and `error_message`.
///
/// `provenance.input_sha256` is the SHA-256 of the analysis' own CSV (the header line and its rows, byte for byte as
/// in the collection): what `pool` reports for a file holding only that analysis.
public struct BatchRows: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        /// JSON Lines: one compact JSON object per line.
        case jsonLines = "jsonl"
        case csv
    }

    public let format: Format
    public let keyColumns: [String]
    /// Whether the measure has a back-transformation (the CSV then has pool's `predict_transf` fields).
    public let backTransforms: Bool
    /// The heterogeneity intervals asked for besides the default one (their CSV fields follow `confint`).
    public let extraIntervals: [HeterogeneityConfidenceIntervals.Method]
    /// Whether any method gives the Q-profile intervals besides its own (GENQ, GENQM: pool's `confint_QP`).
    public let qProfileIntervals: Bool
    /// Each of ``csvFields``' position, worked out once for every row.
    private var csvIndex: [String: Int] = [:]
    /// ``csvFields``, worked out once.
    private var fieldList: [String] = []
    /// The provenance of the rows of one measure and method (the input hash is set per analysis).
    public var provenance: @Sendable (EffectMeasure, TauSquaredEstimator) -> Provenance?

    /// Rows for `batch`: with a measure column the CSV has the `predict_transf` fields (NA for measures without a
    /// back-transformation); with a method column and user weights, the `confint_QP` ones (NA but for GENQ, GENQM).
    public init(format: Format, keyColumns: [String], batch: BatchAnalysis,
                provenance: @escaping @Sendable (EffectMeasure, TauSquaredEstimator) -> Provenance?) {
        self.format = format
        self.keyColumns = keyColumns
        backTransforms = batch.measureColumn != nil || batch.measure.backTransformation(harmonicMeanSampleSize: 1) != nil
        extraIntervals = batch.options.intervals == nil ? [] : batch.options.extraIntervals
        qProfileIntervals = batch.options.intervals != nil
            && (batch.methods.contains { $0.needsUserWeights } || (batch.methodColumn != nil && batch.weightsColumn != nil))
        self.provenance = provenance
        fieldList = csvFields
        for (i, name) in fieldList.enumerated() where csvIndex[name] == nil { csvIndex[name] = i }
    }

    /// The summary fields of a CSV row, between `method` and the error columns: pool's CSV field names.
    public var csvFields: [String] {
        var fields = ["k", "p", "test", "measure", "level", "beta", "se", "zval", "pval", "ci_lb", "ci_ub", "dfs", "tau2",
                      "se_tau2", "tau", "QE", "QEp", "QEdf", "I2", "H2", "s2w", "iterations"]
        fields += ["pred", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub"].map { "predict." + $0 }
        if backTransforms { fields += ["transf", "pred", "ci_lb", "ci_ub", "pi_lb", "pi_ub"].map { "predict_transf." + $0 } }
        var intervals = ["confint"]
        if qProfileIntervals { intervals.append("confint_QP") }
        intervals += extraIntervals.map { "confint_" + $0.rawValue }
        for name in intervals {
            for quantity in ["tau2", "tau", "I2", "H2"] {
                fields += ["", ".lb", ".ub"].map { name + "." + quantity + $0 }
            }
        }
        return fields
    }

    /// The CSV header line (nothing for JSON Lines).
    public var header: String {
        guard format == .csv else { return "" }
        return CSVDocument.line(keyColumns + ["method"] + csvFields + ["error_kind", "error_message"])
    }

    /// The lines of one analysis: one per method.
    public func lines(_ group: CSVGroup, _ outcomes: [BatchAnalysis.Outcome]) -> String {
        var out = ""
        // Only JSON lines carry provenance: the CSV needs no hash of the analysis' bytes.
        let sha = format == .jsonLines ? group.sha256 : nil
        for outcome in outcomes {
            var provenance = format == .jsonLines ? self.provenance(outcome.measure, outcome.method) : nil
            provenance?.inputSHA256 = sha
            switch format {
            case .jsonLines: out += jsonLine(group, outcome, provenance: provenance)
            case .csv: out += csvRow(group, outcome, provenance: provenance)
            }
        }
        return out
    }

    /// The report `pool` prints for this outcome, or the error.
    private func report(_ outcome: BatchAnalysis.Outcome, provenance: Provenance?) -> Result<RandomEffectsReport, any Error> {
        outcome.result.map { RandomEffectsReport($0, measureCode: outcome.measure.rawValue, provenance: provenance) }
    }

    private func jsonLine(_ group: CSVGroup, _ outcome: BatchAnalysis.Outcome, provenance: Provenance?) -> String {
        var fields: [(String, JSONValue)] = [("analysis", .object(zip(keyColumns, group.key).map { ($0, .string($1)) }))]
        switch report(outcome, provenance: provenance) {
        case let .success(report):
            if case let .object(pool) = report.jsonValue() { fields += pool }
        case let .failure(error):
            fields.append(("method", .string(outcome.method.rawValue)))
            fields.append(("error", .object([("kind", .string(Self.kind(of: error))), ("message", .string(String(describing: error)))])))
            if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        }
        return JSONValue.object(fields).serialized(indent: nil) + "\n"
    }

    private func csvRow(_ group: CSVGroup, _ outcome: BatchAnalysis.Outcome, provenance: Provenance?) -> String {
        var values = [String](repeating: "NA", count: fieldList.count)
        var error = ["", ""]
        // The row holds pool's scalar fields only: the per-study arrays and the provenance are left out of the report.
        switch outcome.result.map({ RandomEffectsReport($0, measureCode: outcome.measure.rawValue, provenance: nil, includesStudyValues: false) }) {
        case let .success(report):
            // pool's CSV fields come in csvFields' order (some absent): matched in turn, looked up when out of turn.
            var next = 0
            let fields = fieldList
            report.forEachScalarField { name, value in
                if next < fields.count, fields[next] == name {
                    values[next] = value
                    next += 1
                } else if let i = csvIndex[name] {
                    values[i] = value
                    next = i + 1
                }
            }
        case let .failure(e):
            error = [Self.kind(of: e), String(describing: e)]
        }
        return CSVDocument.line(group.key + [outcome.method.rawValue] + values + error)
    }

    /// An error's type and case, e.g. `InputError.missingValue`, `EstimationError.didNotConverge`.
    public static func kind(of error: any Error) -> String {
        let type = String(describing: Swift.type(of: error))
        if let label = Mirror(reflecting: error).children.first?.label { return type + "." + label }
        let text = String(reflecting: error)
        if let dot = text.lastIndex(of: "."), !text.contains(" ") { return type + "." + text[text.index(after: dot)...] }
        return type
    }
}

extension RandomEffectsReport {
    /// What `pool` prints for a pooled analysis: the model, its intervals, the back-transformation, the input's notes.
    public init(_ analysis: PooledAnalysis, measureCode: String, provenance: Provenance?, includesStudyValues: Bool = true) {
        self.init(model: analysis.model, measureCode: measureCode, backTransformation: analysis.backTransformation,
                  intervals: analysis.heterogeneityIntervals, qProfileIntervals: analysis.qProfileIntervals,
                  extraIntervals: analysis.extraIntervals, includesStudyValues: includesStudyValues, inputNotes: analysis.inputNotes,
                  provenance: provenance)
    }
}
