import ArgumentParser
import MetaData
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
        commandName: "influence", abstract: "Case-deletion diagnostics (Viechtbauer & Cheung 2010; metafor's influence; with --random, metafor's cooks.distance, dfbetas, rstudent and hatvalues for rma.mv).")

    @OptionGroup var input: ResamplingModelOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup(title: "Multilevel model (as pool --random fits it)") var multilevel: MultilevelOptions

    @Option(help: ArgumentHelp("With --random: delete all effects of one level of this column at a time (a study, a district; metafor's cluster argument) instead of one effect at a time.", valueName: "COLUMN"))
    var cluster: String?

    func validate() throws {
        if cluster != nil && !multilevel.isRequested { throw ValidationError("--cluster needs --random (a multilevel model).") }
    }

    func run() throws {
        if multilevel.isRequested { return try runMultilevel() }
        try runAnalysis { d, threads in
            let result = try InfluenceDiagnostics(model: d.model, threads: threads)
            let flagged = zip(result.studies, result.isInfluential).filter(\.1).map(\.0)
            let note = flagged.isEmpty ? [] : ["Influential by metafor's rule: \(flagged.joined(separator: ", "))."]
            return result.report(model: d.model, notes: d.notes + note, provenance: d.provenance)
        }
    }

    /// `--random`: refits the multilevel model without each case (an effect, or a level of `--cluster`).
    private func runMultilevel() throws {
        let d = try input.studyInput()
        let fitted = try multilevel.fitted(d, design: try input.multilevelDesign(d), estimator: input.method, test: input.test,
                                           preset: input.preset, level: input.effectSize.level, dataPath: input.data)
        var labels: [String]?
        if let cluster {
            do { labels = try d.table.labels(cluster, neededBy: "--cluster", rows: d.rows) } catch {
                throw DataFileError.input(path: input.data, error)
            }
        }
        let influence = fitted.fit.influence(clusterName: cluster, clusterLabels: labels, threads: threading.threads)
        var settings: [(String, String)] = [
            ("measure", d.measure.rawValue), ("method", fitted.estimator.rawValue), ("test", fitted.test.rawValue),
            ("level", NumberFormat.shortest(input.effectSize.level)), ("preset", input.preset.rawValue),
            ("random", multilevel.random.joined(separator: "; ")), ("V", multilevel.covarianceFile ?? "diagonal"),
            ("cluster", cluster ?? "none (one effect at a time)"),
        ]
        if !fitted.structures.isEmpty { settings.append(("struct", fitted.structures.map(\.rawValue).joined(separator: ", "))) }
        if !multilevel.fixedValues.isEmpty { settings.append(("fix", multilevel.fixedValues.joined(separator: "; "))) }
        if let mods = input.mods { settings.append(("mods", mods)) }
        try output.emit(influence.report(fit: fitted.fit, measureCode: d.measure.rawValue, notes: d.notes,
                                         provenance: input.input.provenance(settings, file: d.file)))
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
