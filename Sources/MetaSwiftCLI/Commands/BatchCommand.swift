import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import MetaData
import MetaAnalysis
import MetaReport
import MetaNumerics

/// `metaswift batch`: the analysis of `pool` run on every analysis of a collection (a long-format CSV, a directory of
/// CSV files or a manifest), under one or several τ² estimators, streamed. Parses options, reads analyses, hands them
/// to the library, writes what it renders.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Pool every analysis of a collection (a long-format CSV grouped by --by columns, a directory of CSV files or a manifest), under one or several methods.",
        discussion: """
        Input: --data FILE --by COLUMN[,COLUMN] (one long-format CSV, analyses told apart by the --by columns), --data \
        DIR (every .csv file of the directory is one analysis, in order of the file names, its name the analysis id, \
        key column "file"), or --manifest FILE (a CSV with columns id and file, the file relative to the manifest's \
        folder: one analysis per row, in the manifest's order, key column "id"). \
        The analysis is given once, with pool's options; --method DL,REML,PM runs each method on every analysis. \
        Per analysis instead: --measure-column and --method-column name a column holding the analysis' measure or \
        methods (e.g. OR, or DL;REML): a manifest column, else a column of the analysis' rows (the same value on each). \
        Output: one JSON Lines object (--format jsonl, the default: the analysis' key values under "analysis", then the \
        fields of `pool --format json` for that analysis alone) or one CSV row (--format csv: the key columns, method, \
        pool's summary fields, error_kind, error_message) per analysis x method, analyses in the order of the input, \
        methods in the order given. An analysis that fails is a row with its error (kind and message); the run goes on. \
        Rows of one analysis must be adjacent (any order of the analyses); the input is streamed, so memory holds the \
        analyses being fitted, never the whole collection. A progress bar is drawn on standard error when it is a terminal (never on a pipe or file).
        """
    )

    @Option(help: ArgumentHelp("A long-format CSV file (one row per study; --by tells the analyses apart), or a directory whose .csv files are one analysis each.", valueName: "FILE|DIR"))
    var data: String?

    @Option(help: ArgumentHelp("A CSV file listing the analyses instead of --data: columns id (the analysis id) and file (its CSV, relative to the manifest's folder); other columns can hold per-analysis settings (--measure-column, --method-column).", valueName: "FILE"))
    var manifest: String?

    @OptionGroup var model: ModelChoiceOptions

    @Option(help: ArgumentHelp("Columns whose values tell the analyses of a --data FILE apart, e.g. review,outcome.", valueName: "COLUMN[,COLUMN]"))
    var by: String?

    @Option(help: ArgumentHelp("tau^2 estimators, comma-separated, each run on every analysis: \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: ", ")) (default REML).", valueName: "METHOD[,METHOD]"))
    var method: String?

    @Option(help: ArgumentHelp("Column holding each analysis' effect-size measure (e.g. OR, SMD), instead of --measure: a manifest column, else a column of the data (one value per analysis).", valueName: "COLUMN"))
    var measureColumn: String?

    @Option(help: ArgumentHelp("Column holding each analysis' tau^2 estimators (e.g. REML, or DL;REML), instead of --method: a manifest column, else a column of the data (one value per analysis).", valueName: "COLUMN"))
    var methodColumn: String?

    @Option(name: .customLong("tau2"),
            help: ArgumentHelp("Fix tau^2 at this value (>= 0) instead of estimating it, as pool --tau2; no tau^2 CI then.", valueName: "VALUE"))
    var fixedTauSquared: Double?

    @Flag(help: "Unweighted estimation, as pool --unweighted: tau^2 as usual, then the plain mean with Var = sum(vi + tau^2)/k^2.")
    var unweighted = false

    @OptionGroup var intervals: IntervalOptions

    @OptionGroup var threading: ThreadOptions

    @Option(help: "Output format: jsonl (JSON Lines, one object per analysis x method) or csv (one row per analysis x method).")
    var format: BatchRows.Format = .jsonLines

    @Option(help: ArgumentHelp("Write the output to FILE (atomically) instead of standard output.", valueName: "FILE"))
    var out: String?

    @Option(help: ArgumentHelp("Run only slice i of n of the analyses (in input order, contiguous, sizes differing by at most one); `metaswift merge` joins the shard files into the single run's output, byte for byte.", valueName: "i/n"))
    var shard: String?

    /// Analyses fitted at a time: enough to keep every worker busy, few enough that memory holds only them.
    static let window = 256

    /// Where the analyses come from.
    enum Input {
        /// One long-format file, grouped by key columns.
        case longFormat(path: String, keys: [String])
        /// A directory's files or a manifest's.
        case files(CSVFileCollection, path: String)
    }

    /// The input named by `--data`/`--manifest` and `--by`.
    func input() throws -> Input {
        switch (data, manifest) {
        case (nil, nil): throw ValidationError("Name the collection: --data FILE --by COLUMN, --data DIR or --manifest FILE.")
        case (.some, .some): throw ValidationError("Give --data or --manifest, not both.")
        case let (nil, manifest?):
            guard by == nil else { throw ValidationError("--by groups the rows of one --data FILE; a manifest's analyses are its rows.") }
            return .files(try CSVFileCollection(manifest: manifest), path: manifest)
        case let (data?, nil):
            var info = stat()
            if stat(data, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                guard by == nil else { throw ValidationError("--by groups the rows of one --data FILE; with a directory each .csv file is one analysis.") }
                return .files(try CSVFileCollection(directory: data), path: data)
            }
            guard let by else { throw ValidationError("--data FILE needs --by COLUMN[,COLUMN]: the columns that tell its analyses apart (or give a directory of CSV files, or --manifest).") }
            return .longFormat(path: data, keys: try keyColumns(by))
        }
    }

    /// The key columns of `--by`.
    func keyColumns(_ by: String) throws(InputError) -> [String] {
        let names = by.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        guard !names.contains(where: \.isEmpty), Set(names).count == names.count else {
            throw .invalidOption(name: "--by", value: by, expected: "distinct column names separated by commas, e.g. review,outcome")
        }
        return names
    }

    /// The estimators of `--method`, in order.
    func methods() throws(InputError) -> [TauSquaredEstimator] {
        guard let method else { return [model.modelOptions(estimator: nil).estimator] }
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

    /// The model options of every analysis: pool's (the `--preset` defaults under explicit flags).
    var modelOptions: RandomEffectsOptions {
        var options = model.modelOptions(estimator: nil)
        if let pi = intervals.predictionInterval { options.predictionInterval = pi }
        options.fixedTauSquared = fixedTauSquared
        options.weighted = !unweighted
        options.threads = 1
        return options
    }

    /// The batch: pool's options, each method in turn (or each analysis' own, from the setting columns).
    func batch() throws -> BatchAnalysis {
        if method != nil, methodColumn != nil { throw ValidationError("Give --method or --method-column, not both.") }
        if measureColumn != nil, Invocation.commandLine.contains(where: { $0 == "--measure" || $0.hasPrefix("--measure=") }) {
            throw ValidationError("Give --measure or --measure-column, not both.")
        }
        return BatchAnalysis(
            measure: model.effectSize.measure, columns: try model.effectSize.columns(), weightsColumn: model.weights,
            methods: try methods(),
            options: PoolingOptions(escalc: model.effectSize.escalcOptions, model: modelOptions, intervals: model.intervalOptions,
                                    extraIntervals: intervals.extraIntervals),
            measureColumn: measureColumn, methodColumn: methodColumn)
    }

    func run() throws {
        let input = try input()
        let batch = try batch()
        let keys: [String], inputPath: String
        switch input {
        case let .longFormat(path, k): (keys, inputPath) = (k, path)
        case let .files(collection, path): (keys, inputPath) = ([collection.keyColumn], path)
        }
        // Provenance as pool records it for each measure and method (the input's hash is set per analysis).
        let commandLine = canonicalCommandLine(Invocation.commandLine)
        let toleranceOption = ("confint_tolerance", NumberFormat.shortest(model.intervalOptions.tolerance))
        let modelOptions = batch.options.model, choices = model
        let rows = BatchRows(format: format, keyColumns: keys, batch: batch) { measure, method in
            var options = modelOptions
            options.estimator = method
            return Provenance(toolVersion: Invocation.version, commandLine: commandLine,
                              options: choices.poolProvenanceOptions(measure: measure.rawValue, options: options) + [toleranceOption],
                              inputPath: inputPath, inputSHA256: nil)
        }
        if format == .csv, let clash = keys.first(where: { (["method", "error_kind", "error_message"] + rows.csvFields).contains($0) }) {
            throw InputError.invalidOption(name: "--by", value: by ?? clash, expected: "key columns whose names differ from the CSV output's columns ('\(clash)' is one of them; rename it)")
        }
        let shard = try shard.map(parseShardSpecification)
        let sink = try StreamingOutput(path: out)
        try sink.write(rows.header)
        let threads = threading.threads ?? ParallelLoop.defaultThreadCount
        let write = { (groups: [CSVGroup]) throws in
            let text = batch.map(groups, threads: threads) { rows.lines($0, $1) }
            try sink.write(text.joined())
        }
        var total = 0, runSHA: String?
        switch input {
        case let .longFormat(path, keys):
            // A shard needs the number of analyses before it starts: one streaming pass counts them (and hashes the file).
            var countedSHA: String?
            if shard != nil {
                let counter = try CSVGroupReader(path: path, keyColumns: keys, hashing: true)
                while try counter.next() != nil { total += 1 }
                countedSHA = counter.sha256
            }
            let range = shard?.range(of: total) ?? 0..<Int.max
            // Hashed only for a shard: its record says which file it is a slice of.
            let reader = try CSVGroupReader(path: path, keyColumns: keys, hashing: shard != nil)
            // The bar follows the bytes read: the number of analyses is not known before the end.
            var info = stat()
            let progress = stat(path, &info) == 0 && info.st_size > 0 ? ProgressBar(total: Int(info.st_size), label: "batch") : nil
            defer { progress?.finish() }
            var shown = 0
            while true {
                let groups = try reader.next(Self.window).filter { range.contains($0.index) }
                if !groups.isEmpty { try write(groups) }
                progress?.advance(reader.bytesRead - shown)
                shown = reader.bytesRead
                if groups.isEmpty && reader.isFinished { break }
            }
            if shard != nil, reader.sha256 != countedSHA {
                throw DataFileError.unreadable(path: path, reason: "the file changed while the shard was read")
            }
            runSHA = reader.sha256
        case var .files(collection, _):
            total = collection.entries.count
            let range = shard?.range(of: total) ?? 0..<total
            collection.position = range.lowerBound
            let progress = ProgressBar(total: range.count, label: "batch")
            defer { progress?.finish() }
            while case let groups = collection.next(Self.window, before: range.upperBound), !groups.isEmpty {
                try write(groups)
                progress?.advance(groups.count)
            }
            runSHA = collection.listingSHA256
        }
        if let shard {
            let run = Provenance(toolVersion: Invocation.version, commandLine: commandLine,
                                 options: [], inputPath: inputPath, inputSHA256: runSHA)
            try sink.write(BatchShard(shard: shard, total: total, format: format, headerBytes: rows.header.utf8.count, provenance: run).line)
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
