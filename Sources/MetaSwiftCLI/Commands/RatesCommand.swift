import ArgumentParser
import MetaAnalysis
import MetaReport
import TRDReview

/// `metaswift rates`: response and remission aggregation of the TRD review's evidence (bundled by default).
struct RatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates",
        abstract: "Pooled response/remission rates, controlled comparisons (RR, OR, RD, NNT) and SMDs for the TRD review's evidence.",
        discussion: """
        Reads the bundled TRD review data (Datasets/trd-review/) unless --data/--studies name other files. Single-arm \
        proportions of the review's treatments are pooled per group with the binomial-normal GLMM (falling back to logit \
        random effects, PLO, REML, Knapp-Hartung, when it cannot be fitted, and saying so); --model logit gives logit \
        random effects, --model ft Freeman-Tukey with a warning. Each sample is counted once (sample_group; the fullest report is used). Controlled \
        comparisons give RR, OR and RD with 95% CIs and the NNT (Altman 1998), pooled by Mantel-Haenszel and random \
        effects within class when two independent comparisons of the same kind exist. Percentages without denominators \
        are listed, not pooled.
        """
    )

    @Option(help: "Binary outcome: response or remission.")
    var outcome: RateOutcome = .response

    @Option(help: "Group single-arm rates by class, agent or route (agent and route).")
    var by: RateGrouping = .class

    @Option(help: "Model for single-arm rates: glmm (default; logit random effects when it cannot be fitted), logit, or ft (Freeman-Tukey, with a warning).")
    var model: RateModel = .default

    @OptionGroup var input: TRDDataOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let (evidence, inputs) = try input.load()
        let analysis = try RateAnalysis.run(evidence: evidence, outcome: outcome, grouping: by, model: model)
        let provenance = trdProvenance(inputs: inputs, options: [
                ("outcome", outcome.rawValue), ("by", by.rawValue), ("model", model.rawValue),
                ("models_used", analysis.modelsUsed.map(\.rawValue).joined(separator: ",")), ("measure", model.measure.rawValue),
                ("fallback_method", analysis.options.estimator.rawValue), ("fallback_test", analysis.options.test.rawValue),
                ("level", NumberFormat.shortest(analysis.options.level)),
            ])
        try output.emit(RateReport(analysis: analysis, provenance: provenance))
    }
}

/// Provenance for the TRD commands: the inputs' paths and SHA-256 digests, joined with `;`.
func trdProvenance(inputs: [(path: String, sha256: String)], options: [(String, String)]) -> Provenance {
    Provenance(toolVersion: MetaSwiftCommand.version, commandLine: MetaSwiftCommand.commandLine,
               options: options, inputPath: inputs.map(\.path).joined(separator: ";"),
               inputSHA256: inputs.map(\.sha256).joined(separator: ";"))
}

extension Array where Element == String {
    func uniquedStrings() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
