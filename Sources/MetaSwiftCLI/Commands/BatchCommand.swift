import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// `metaswift batch`: the analysis of `pool` run on every analysis of a long-format collection, under one or several
/// τ² estimators, streamed. Parses options, reads analyses, hands them to the library, writes what it renders.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Pool every analysis of a long-format CSV collection (rows grouped by --by columns), under one or several methods.",
        discussion: """
        The analysis is given once, with pool's options; --method DL,REML,PM runs each method on every analysis. \
        Output: one JSON Lines object (--format jsonl, the default: the analysis' key values under "analysis", then the \
        fields of `pool --format json` for that analysis alone) or one CSV row (--format csv: the key columns, method, \
        pool's summary fields, error_kind, error_message) per analysis x method, analyses in the order of the file, \
        methods in the order given. An analysis that fails is a row with its error (kind and message); the run goes on. \
        Rows of one analysis must be adjacent (any order of the analyses); the file is streamed, so memory holds the \
        analyses being fitted, never the whole collection. A progress line is drawn on standard error when it is a terminal.
        """
    )

    @OptionGroup var input: ModelInputOptions

    @Option(help: ArgumentHelp("Columns whose values tell the analyses apart, e.g. review,outcome.", valueName: "COLUMN[,COLUMN]"))
    var by: String

    @Option(help: ArgumentHelp("tau^2 estimators, comma-separated, each run on every analysis: \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: ", ")) (default REML).", valueName: "METHOD[,METHOD]"))
    var method: String?

    @OptionGroup var intervals: IntervalOptions

    @OptionGroup var threading: ThreadOptions

    @Option(help: "Output format: jsonl (JSON Lines, one object per analysis x method) or csv (one row per analysis x method).")
    var format: BatchRows.Format = .jsonLines

    @Option(help: ArgumentHelp("Write the output to FILE (atomically) instead of standard output.", valueName: "FILE"))
    var out: String?

    /// Analyses fitted at a time: enough to keep every worker busy, few enough that memory holds only them.
    static let window = 256

    /// The key columns of `--by`.
    func keyColumns() throws(InputError) -> [String] {
        let names = by.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        guard !names.contains(where: \.isEmpty), Set(names).count == names.count else {
            throw .invalidOption(name: "--by", value: by, expected: "distinct column names separated by commas, e.g. review,outcome")
        }
        return names
    }

    /// The estimators of `--method`, in order.
    func methods() throws(InputError) -> [TauSquaredEstimator] {
        guard let method else { return [input.modelOptions(estimator: nil).estimator] }
        var out: [TauSquaredEstimator] = []
        for code in method.split(separator: ",", omittingEmptySubsequences: false).map({ String($0).trimmingSpaces() }) {
            guard let estimator = TauSquaredEstimator(argument: code), !out.contains(estimator) else {
                throw .invalidOption(name: "--method", value: method,
                                     expected: "distinct tau^2 estimators separated by commas, each one of \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            out.append(estimator)
        }
        return out
    }

    /// The batch: pool's options (the `--preset` defaults under explicit flags), each method in turn.
    func batch() throws -> BatchAnalysis {
        var model = input.modelOptions(estimator: nil)
        if let pi = intervals.predictionInterval { model.predictionInterval = pi }
        model.threads = 1
        return BatchAnalysis(
            measure: input.effectSize.measure, columns: try input.effectSize.columns(), weightsColumn: input.weights,
            methods: try methods(),
            options: PoolingOptions(escalc: input.effectSize.escalcOptions, model: model, intervals: input.intervalOptions,
                                    extraIntervals: intervals.extraIntervals.map(\.method)))
    }

    /// The command line a row records: this one without the options that do not change a row (where it is written,
    /// how many threads), so that every split of a run records the same line.
    static func canonicalCommandLine(_ line: [String]) -> [String] {
        var out: [String] = []
        var skip = false
        for word in line {
            if skip { skip = false; continue }
            if ["--out", "--threads", "--shard"].contains(word) { skip = true; continue }
            if ["--out=", "--threads=", "--shard="].contains(where: word.hasPrefix) { continue }
            out.append(word)
        }
        return out
    }

    func run() throws {
        let keys = try keyColumns()
        let batch = try batch()
        var provenance: [TauSquaredEstimator: Provenance] = [:]
        for method in batch.methods {
            let model = batch.options(for: method).model
            provenance[method] = Provenance(
                toolVersion: MetaSwiftCommand.version, commandLine: Self.canonicalCommandLine(MetaSwiftCommand.commandLine),
                options: input.poolProvenanceOptions(measure: batch.measure.rawValue, options: model)
                    + [("confint_tolerance", NumberFormat.shortest(input.intervalOptions.tolerance))],
                inputPath: input.data, inputSHA256: nil)
        }
        let rows = BatchRows(format: format, keyColumns: keys, batch: batch, provenance: provenance)
        if format == .csv, let clash = keys.first(where: { (["method", "error_kind", "error_message"] + rows.csvFields).contains($0) }) {
            throw InputError.invalidOption(name: "--by", value: by, expected: "key columns whose names differ from the CSV output's columns ('\(clash)' is one of them; rename it)")
        }
        let reader = try CSVGroupReader(path: input.data, keyColumns: keys)
        let sink = try StreamingOutput(path: out)
        let progress = ProgressCounter(label: "batch", unit: "analyses")
        defer { progress?.finish() }
        try sink.write(rows.header)
        let threads = threading.threads ?? ParallelLoop.defaultThreadCount
        while true {
            let groups = try reader.next(Self.window)
            if groups.isEmpty { break }
            let text = batch.map(groups, threads: threads) { rows.lines($0, $1) }
            try sink.write(text.joined())
            progress?.advance(groups.count)
        }
        try sink.commit()
    }
}

extension BatchRows.Format: CaseInsensitiveArgument {
    public init?(argument: String) {
        if argument.lowercased() == "json" { self = .jsonLines; return }
        guard let v = Self.matching(argument) else { return nil }
        self = v
    }
}
