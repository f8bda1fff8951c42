import ArgumentParser
import MetaAnalysis
import MetaReport

/// `metaswift sensitivity`: how much single studies, their order, or subsets drive the pooled result.
struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Leave-one-out, cumulative, influence, Baujat and GOSH analyses (metafor's leave1out, cumul, influence, baujat, gosh).",
        discussion: "Each reads --data as `pool` does and refits the same model, re-estimating tau^2 with the same method.",
        subcommands: [LeaveOneOutCommand.self, CumulativeCommand.self, InfluenceCommand.self, BaujatCommand.self, GOSHCommand.self]
    )
}

/// `--threads`, shared by the sensitivity commands.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all processors); results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }
}

/// What every per-study sensitivity subcommand shares: the model flags, `--threads` and the output flags (option
/// groups of the command itself, not of a nested group: the argument parser's debug-build checks grow about
/// fourfold with each level of nesting), and the run that fits the model, hands it to the analysis and writes the
/// analysis' report.
protocol SensitivitySubcommand: ParsableCommand {
    var input: ResamplingModelOptions { get }
    var threading: ThreadOptions { get }
    var output: OutputOptions { get }
}

extension SensitivitySubcommand {
    /// Fits the model of `--data` (provenance recording `extraOptions` too), runs `analyse` on it with the
    /// `--threads` choice, and emits the report it returns.
    func runAnalysis(extraOptions: [(String, String)] = [], _ analyse: (StudyModelInput, Int?) throws -> AnalysisReport) throws {
        let d = try StudyModelInput(input, extraOptions: extraOptions)
        try output.emit(try analyse(d, threading.threads))
    }
}

struct LeaveOneOutCommand: SensitivitySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "leave-one-out", abstract: "Refit without each study in turn (metafor's leave1out).", aliases: ["leave1out"])

    @OptionGroup var input: ResamplingModelOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runAnalysis { d, threads in
            try LeaveOneOutAnalysis(model: d.model, threads: threads).report(model: d.model, notes: d.notes, provenance: d.provenance)
        }
    }
}

struct CumulativeCommand: SensitivitySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "cumulative", abstract: "Pool the first 1, 2, ..., k studies in a chosen order (metafor's cumul).",
        aliases: ["cumul"])

    @OptionGroup var input: ResamplingModelOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("Numeric column to order the studies by (stable ascending; default: file order).", valueName: "COLUMN"))
    var order: String?

    func run() throws {
        try runAnalysis(extraOptions: [("order", order ?? "file order")]) { d, threads in
            let keys = try order.map { try d.column($0, neededBy: "--order", path: input.data) }
            return try CumulativeAnalysis(model: d.model, orderedBy: keys, threads: threads)
                .report(model: d.model, orderColumn: order, notes: d.notes, provenance: d.provenance)
        }
    }
}

struct InfluenceCommand: SensitivitySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "influence", abstract: "Case-deletion diagnostics (Viechtbauer & Cheung 2010; metafor's influence).")

    @OptionGroup var input: ResamplingModelOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runAnalysis { d, threads in
            let result = try InfluenceDiagnostics(model: d.model, threads: threads)
            let flagged = zip(result.studies, result.isInfluential).filter(\.1).map(\.0)
            let note = flagged.isEmpty ? [] : ["Influential by metafor's rule: \(flagged.joined(separator: ", "))."]
            return result.report(model: d.model, notes: d.notes + note, provenance: d.provenance)
        }
    }
}

struct BaujatCommand: SensitivitySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "baujat", abstract: "Baujat coordinates: contribution to heterogeneity vs influence on the estimate.")

    @OptionGroup var input: ResamplingModelOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runAnalysis { d, threads in
            try BaujatAnalysis(model: d.model, threads: threads).report(model: d.model, notes: d.notes, provenance: d.provenance)
        }
    }
}
