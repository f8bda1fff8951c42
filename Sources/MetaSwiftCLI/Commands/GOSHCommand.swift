import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// Output forms of `sensitivity gosh`: the shared three and the compact binary stream.
enum GOSHOutputFormat: String, CaseIterable, Sendable {
    /// A summary of the estimate and I² over subsets (no rows).
    case table
    /// One row per subset, streamed.
    case csv
    /// The rows and their summary (or the summary alone with --summary-only).
    case json
    /// The binary stream documented in `GOSHBinaryHeader`, streamed to --out.
    case binary
}

/// `metaswift sensitivity gosh`: the model fitted to every subset of studies, or a seeded sample of them.
struct GOSHCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gosh",
        abstract: "Fit the model to every subset of studies (a seeded random sample beyond --exhaustive-limit); metafor's gosh.",
        discussion: """
        CSV has one row per subset (incl = 0/1 per study, k, estimate, tau2, I2, H2, QE); binary holds the same \
        fields in the compact format of GOSHBinaryHeader (magic MSWGOSH, little-endian, the subset as a bitmask). \
        Both are streamed: memory stays bounded for any number of subsets. The table form and --summary-only \
        give the distribution of the estimate and I^2 without keeping rows (k = 30 exhaustive, 1.07e9 subsets, \
        works this way). --shard i/n computes the contiguous subsets floor((i-1)N/n) ..< floor(iN/n) of the N; \
        `metaswift merge` joins the n shard files into exactly the single run's file: a CSV shard starts with a line \
        "# metaswift gosh shard: ..." naming its run, range and data fingerprint, checked like the binary header.
        """)

    @OptionGroup var input: ResamplingModelOptions
    @Option(help: "Fit all 2^k - 1 subsets when k is at most this (at most 40).")
    var exhaustiveLimit: Int = GOSHAnalysis.defaultExhaustiveLimit
    @Flag(help: "Fit all 2^k - 1 subsets whatever k (up to 40). EE and DL update in O(1) per subset.")
    var exhaustive = false
    @Option(help: "Random subsets to fit when k exceeds --exhaustive-limit.")
    var subsets: Int = 100_000
    @Option(help: "Seed of the random subsets.")
    var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Compute only shard i of n (1 <= i <= n); needs --format csv or binary.", valueName: "i/n"))
    var shard: String?
    @Flag(help: "Keep no rows: report the distribution of the estimate and I^2 (JSON or table).")
    var summaryOnly = false
    @OptionGroup var threading: ThreadOptions
    @Option(help: "Output format: table (summary), csv, json or binary.")
    var format: GOSHOutputFormat = .table
    @Option(help: ArgumentHelp("Write the output to FILE (atomically) instead of standard output.", valueName: "FILE"))
    var out: String?

    /// JSON with rows holds every subset in memory: beyond this many, ask for a stream or a summary.
    static let jsonRowLimit = 1 << 22

    func validate() throws {
        if format == .binary && out == nil { throw ValidationError("--format binary needs --out FILE.") }
        if shard != nil && format != .csv && format != .binary {
            throw ValidationError("--shard needs --format csv or binary (shards are joined by `metaswift merge`).")
        }
        if summaryOnly && (format == .csv || format == .binary) {
            throw ValidationError("--summary-only gives a table or JSON; use --format table or json.")
        }
        if exhaustiveLimit > GOSHAnalysis.maximumExhaustiveStudies || exhaustiveLimit < 0 {
            throw InputError.invalidOption(name: "--exhaustive-limit", value: String(exhaustiveLimit), expected: "0 to \(GOSHAnalysis.maximumExhaustiveStudies) studies")
        }
        if subsets < 1 { throw InputError.invalidOption(name: "--subsets", value: String(subsets), expected: "at least one subset") }
    }

    func run() throws {
        let d = try StudyModelInput(input, extraOptions: [("exhaustive_limit", String(exhaustiveLimit)), ("exhaustive", String(exhaustive)),
                                                          ("subsets", String(subsets)), ("seed", String(seed))])
        if exhaustive && d.model.studyCount > GOSHAnalysis.maximumExhaustiveStudies {
            // It used to fall back to a random sample silently.
            throw OptionConflictError("--exhaustive fits all 2^k - 1 subsets for at most \(GOSHAnalysis.maximumExhaustiveStudies) studies, and these data have \(d.model.studyCount); drop --exhaustive to fit --subsets random subsets.")
        }
        let gosh = try GOSHAnalysis(model: d.model, exhaustiveLimit: exhaustive ? GOSHAnalysis.maximumExhaustiveStudies : exhaustiveLimit,
                                    sampleCount: subsets, seed: seed)
        let range = try shard.map { try parseShardSpecification($0).range(of: gosh.subsetCount) } ?? 0..<gosh.subsetCount
        let progress = ProgressBar(total: range.count, label: "gosh")
        // The bar's line ends before anything else is written, so a report on the terminal starts on its own line.
        defer { progress?.finish() }
        let threads = threading.threads
        switch format {
        case .csv:
            let sink = try StreamingOutput(path: out)
            // A shard starts with its run's fields, which `metaswift merge` checks (and drops).
            if shard != nil { try sink.write(GOSHBinaryHeader(gosh, range: range).csvShardLine()) }
            try sink.write(GOSHAnalysis.csvHeader)
            try gosh.stream(range, threads: threads, progress: progress?.callback) { batch in
                var text = ""
                gosh.appendCSVRows(batch, to: &text)
                try sink.write(text)
            }
            try sink.commit()
        case .binary:
            let sink = try StreamingOutput(path: out)
            let header = GOSHBinaryHeader(gosh, range: range)
            try sink.write(header.encoded())
            var bytes: [UInt8] = []
            try gosh.stream(range, threads: threads, progress: progress?.callback) { batch in
                bytes.removeAll(keepingCapacity: true)
                header.appendRecords(batch, to: &bytes)
                try sink.write(bytes)
            }
            try sink.commit()
        case .table:
            let summary = try gosh.summary(threads: threads, progress: progress?.callback)
            progress?.finish()
            try emit(gosh.report(summary, histograms: false, notes: d.notes, provenance: d.provenance).rendered(.table))
        case .json:
            let report: AnalysisReport
            if summaryOnly {
                report = gosh.report(try gosh.summary(threads: threads, progress: progress?.callback), notes: d.notes, provenance: d.provenance)
            } else {
                guard gosh.subsetCount <= Self.jsonRowLimit else {
                    throw InputError.invalidOption(name: "--format", value: "json", expected: "--summary-only, or --format csv|binary --out FILE, for more than \(Self.jsonRowLimit) subsets (\(gosh.subsetCount) here)")
                }
                let rows = try gosh.subsets(in: range, threads: threads, progress: progress?.callback)
                report = gosh.report(rows, notes: d.notes, provenance: d.provenance)
            }
            progress?.finish()
            try emit(report.rendered(.json))
        }
    }

    private func emit(_ text: String) throws {
        if let out { try writeAtomically(text, to: out) } else { Console.current.write(text) }
    }

}

extension GOSHFileError: UserFacingError {}

extension GOSHOutputFormat: CaseInsensitiveArgument { init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
