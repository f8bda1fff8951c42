import ArgumentParser
import MetaAnalysis
import MetaReport
import MetaNumerics

/// `metaswift permute` (alias `permutest`): metafor's permutation test of a `pool` model.
struct PermuteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permute",
        abstract: "Permutation test of the pooled estimate (metafor's permutest).",
        discussion: """
        Without moderators the signs of the effect sizes are permuted; with --mods the rows of the design are \
        permuted against the effect sizes (exact when the distinct arrangements k!/prod(m_g!) <= --iterations). The test is exact (all 2^k sign patterns) \
        when 2^k <= --iterations, otherwise approximate: the observed pattern plus iterations - 1 random ones, \
        pattern b from random stream (seed, b), so the result does not depend on --threads. --shard i/n evaluates \
        permutations floor((i-1)N/n) ..< floor(iN/n) of the run's N (exact tests too: pattern b is the b-th in \
        enumeration order) and writes their statistics as JSON; `metaswift merge` combines the n shard files into \
        exactly the single run's output.
        """,
        aliases: ["permutest"]
    )

    @OptionGroup var model: ResamplingModelOptions

    @Option(help: "Number of permutations for the approximate test (the observed one included).")
    var iterations: Int = 1000

    @Option(help: "Seed of the random streams (an unsigned 64-bit integer).")
    var seed: UInt64

    @Option(help: "Worker threads (default: all cores). Does not change the result.")
    var threads: Int?

    @Option(help: ArgumentHelp("Run only shard i of n (1 <= i <= n) and write its raw permutation statistics as JSON for `metaswift merge`.", valueName: "i/n"))
    var shard: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if iterations < 2 { throw ValidationError("--iterations must be at least 2.") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        let shardSpec = try shard.map(parseShardSpecification)
        let threads = threads ?? ParallelLoop.defaultThreadCount
        // The permutations of the run (or of this shard) and the report of the model, with the observed statistics
        // the p-values compare with.
        let report: (_ measure: String, _ notes: [String], _ provenance: Provenance) throws -> PermutationShard
        let measure: String, notes: [String]
        let d = try model.studyInput()
        if model.moderators.isEmpty {
            let (fitted, m, n) = try model.fittedModel(d)
            (measure, notes) = (m, n)
            let test = try PermutationTest(model: fitted)
            let range = slice(shardSpec, total: test.permutationCount(iterations: iterations))
            let progress = ProgressBar(total: range.count, label: "permutations")
            let values = try test.statistics(range, iterations: iterations, seed: seed, threads: threads, progress: progress?.callback)
            progress?.finish()
            let result = test.result(values, iterations: iterations, seed: seed)
            report = {
                PermutationShard(index: shardSpec?.index ?? 1, count: shardSpec?.count ?? 1,
                                 report: PermutationReport(model: fitted, measure: $0, result: result, notes: $1, provenance: $2),
                                 observed: [test.observed.statistic], twoSided: [true], values: values)
            }
        } else {
            // With --mods: permute the rows of the design (metafor's permutest for meta-regressions).
            let (fitted, m, n) = try model.fittedRegression(d)
            (measure, notes) = (m, n)
            let test = try MetaRegressionPermutationTest(model: fitted)
            let range = slice(shardSpec, total: test.permutationCount(iterations: iterations))
            let progress = ProgressBar(total: range.count, label: "permutations")
            let values = try test.statistics(range, iterations: iterations, seed: seed, threads: threads, progress: progress?.callback)
            progress?.finish()
            let result = test.result(values, iterations: iterations, seed: seed)
            let (observed, twoSided) = test.observedStatistics
            report = {
                PermutationShard(index: shardSpec?.index ?? 1, count: shardSpec?.count ?? 1,
                                 report: PermutationReport(model: fitted, measure: $0, result: result, notes: $1, provenance: $2),
                                 observed: observed, twoSided: twoSided, values: values)
            }
        }
        let canonical = ["metaswift", "permute"] + model.canonicalArguments(measure: measure)
            + ["--iterations", String(iterations), "--seed", String(seed)]
        let provenance = Provenance(
            toolVersion: Invocation.version, commandLine: canonical,
            options: model.provenanceOptions(measure: measure) + [("iterations", String(iterations)), ("seed", String(seed))],
            inputPath: model.data, inputSHA256: d.file.sha256)
        let permutation = try report(measure, notes, provenance)
        if shardSpec != nil {
            try output.emit(permutation.jsonValue().serialized() + "\n")
            return
        }
        try output.emit(permutation.report)
    }

    /// The permutations of shard `spec` of a run of `total` (all of them without --shard).
    private func slice(_ spec: Shard?, total: Int) -> Range<Int> {
        spec?.range(of: total) ?? 0..<total
    }
}
