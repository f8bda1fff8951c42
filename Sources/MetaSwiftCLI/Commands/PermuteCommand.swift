import ArgumentParser
import MetaAnalysis
import MetaReport

/// `metaswift permute` (alias `permutest`): metafor's permutation test of a `pool` model.
struct PermuteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permute",
        abstract: "Permutation test of the pooled estimate (metafor's permutest).",
        discussion: """
        Without moderators the signs of the effect sizes are permuted; with --mods the rows of the design are \
        permuted against the effect sizes (exact when the distinct arrangements k!/prod(m_g!) <= --iterations). The test is exact (all 2^k sign patterns) \
        when 2^k <= --iterations, otherwise approximate: the observed pattern plus iterations - 1 random ones, \
        pattern b from random stream (seed, b), so the result does not depend on --threads.
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

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if iterations < 2 { throw ValidationError("--iterations must be at least 2.") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        let threads = threads ?? ParallelLoop.defaultThreadCount
        let report: (_ measure: String, _ notes: [String], _ provenance: Provenance) throws -> PermutationReport
        let measure: String, notes: [String]
        if model.moderators.isEmpty {
            let (fitted, m, n) = try model.fittedModel()
            (measure, notes) = (m, n)
            let test = try PermutationTest(model: fitted)
            let progress = ProgressBar(total: test.isExact(iterations: iterations) ? 1 << fitted.studyCount : iterations, label: "permutations")
            let result = try test.run(iterations: iterations, seed: seed, threads: threads, progress: progress?.callback)
            progress?.finish()
            report = { PermutationReport(model: fitted, measure: $0, result: result, notes: $1, provenance: $2) }
        } else {
            // With --mods: permute the rows of the design (metafor's permutest for meta-regressions).
            let (fitted, m, n) = try model.fittedRegression()
            (measure, notes) = (m, n)
            let test = try MetaRegressionPermutationTest(model: fitted)
            let progress = ProgressBar(total: test.distinctArrangements(upTo: iterations) ?? iterations, label: "permutations")
            let result = try test.run(iterations: iterations, seed: seed, threads: threads, progress: progress?.callback)
            progress?.finish()
            report = { PermutationReport(model: fitted, measure: $0, result: result, notes: $1, provenance: $2) }
        }
        let canonical = ["metaswift", "permute"] + model.canonicalArguments(measure: measure)
            + ["--iterations", String(iterations), "--seed", String(seed)]
        let provenance = Provenance(
            toolVersion: MetaSwiftCommand.version, commandLine: canonical,
            options: model.provenanceOptions(measure: measure) + [("iterations", String(iterations)), ("seed", String(seed))],
            inputPath: model.data, inputSHA256: try fileSHA256(model.data))
        let permutation = try report(measure, notes, provenance)
        switch output.format {
        case .json: try output.emit(permutation.jsonValue().serialized() + "\n")
        case .csv, .table: try output.emit(permutation.textReport())
        }
    }
}
