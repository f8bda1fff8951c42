import ArgumentParser
import MetaAnalysis
import MetaReport
import MetaNumerics

/// `metaswift bootstrap`: bootstrap intervals for μ, τ², I² and H² of a `pool` model, reproducible for any
/// thread count and splittable into shards that `metaswift merge` combines.
struct BootstrapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Bootstrap the pooled estimate (or meta-regression coefficients), tau^2, I^2 and H^2 (percentile, basic and BCa intervals).",
        discussion: """
        Replicate b draws from random stream (seed, b), so results are identical for any --threads and any split \
        into shards: --shard i/n runs replicates floor((i-1)B/n) ..< floor(iB/n) and writes them as JSON; \
        `metaswift merge` combines the n shard files into exactly the single run's output. Replicates whose refit \
        fails are counted and listed, and left out of the intervals. BCa uses the jackknife for the acceleration. A basic \
        interval for tau^2, I^2 or H^2 that leaves the parameter's range is truncated to it, with a note.
        """
    )

    @OptionGroup var model: ResamplingModelOptions

    @Option(help: "Number of bootstrap replicates B.")
    var replicates: Int = 1000

    @Option(help: "Seed of the random streams (an unsigned 64-bit integer).")
    var seed: UInt64

    @Option(help: ArgumentHelp("""
        nonparametric (resample studies), parametric (y* ~ N(mu, v + tau^2)), or arms (count data: redraw each arm's \
        events from Binomial(n, observed proportion), Poisson(observed events) for person-time, and recompute yi, vi \
        with the same --add/--to/--drop00; for RR, OR, RD, AS, PETO, PR, PLN, PLO, PAS, PFT, IRR, IRD, IRLN, IR). \
        arms holds each study's true effect at its observed value, so it reflects within-study sampling error only \
        (not between-study variation); a replicate with a table that --drop00 leaves out or a non-finite yi/vi fails \
        and is listed.
        """, valueName: "TYPE"))
    var type: BootstrapType = .nonparametric

    @Option(help: "Worker threads (default: all cores). Does not change the result.")
    var threads: Int?

    @Option(help: ArgumentHelp("Run only shard i of n (1 <= i <= n) and write its raw replicates as JSON for `metaswift merge`.", valueName: "i/n"))
    var shard: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if replicates < 2 { throw ValidationError("--replicates must be at least 2.") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        let shardSpec = try shard.map(parseShardSpecification)
        let bootstrap: Bootstrap
        let measure: String, notes: [String]
        let d = try model.studyInput()
        let counts = type == .arms ? try model.armCounts(d) : nil
        if model.moderators.isEmpty {
            let fitted: RandomEffectsModel
            (fitted, measure, notes) = try model.fittedModel(d)
            bootstrap = try Bootstrap(model: fitted, type: type, seed: seed, counts: counts)
        } else {
            let fitted: MetaRegressionModel
            (fitted, measure, notes) = try model.fittedRegression(d)
            bootstrap = try Bootstrap(model: fitted, type: type, seed: seed, counts: counts)
        }
        let threadCount = threads ?? ParallelLoop.defaultThreadCount
        let range = shardSpec?.range(of: replicates) ?? 0..<replicates

        let options = model.modelOptions
        var provenanceOptions = model.provenanceOptions(measure: measure)
        provenanceOptions += [("type", type.rawValue), ("replicates", String(replicates)), ("seed", String(seed))]
        let canonical = ["metaswift", "bootstrap"] + model.canonicalArguments(measure: measure)
            + ["--type", type.rawValue, "--replicates", String(replicates), "--seed", String(seed)]
        let settings = BootstrapSettings(
            studyCount: bootstrap.studyCount, measure: measure, method: options.estimator, test: options.test, type: type,
            replicates: replicates, seed: seed, level: options.level, notes: notes,
            provenance: Provenance(toolVersion: Invocation.version, commandLine: canonical, options: provenanceOptions,
                                   inputPath: model.data, inputSHA256: d.file.sha256))

        let progress = ProgressBar(total: range.count + bootstrap.studyCount, label: "bootstrap")
        let run = try bootstrap.run(replicateCount: replicates, slice: range, threads: threadCount, progress: progress?.callback)
        progress?.finish()

        if let shardSpec {
            let shard = BootstrapShard(index: shardSpec.index, count: shardSpec.count, settings: settings,
                                       estimates: bootstrap.originalStatistics, jackknife: run.jackknife, replicates: run.replicates)
            try output.emit(shard.jsonValue().serialized() + "\n")
            return
        }
        let summary = BootstrapSummary(estimates: bootstrap.originalStatistics, jackknife: run.jackknife,
                                       replicates: run.replicates, level: options.level, estimator: options.estimator)
        try output.emit(BootstrapReport(settings: settings, summary: summary))
    }
}

extension ResamplingError: UserFacingError {}
