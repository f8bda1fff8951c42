import ArgumentParser
import MetaAnalysis
import MetaReport
import TRDReview

/// `metaswift rates`: response and remission aggregation of the TRD review's evidence (bundled by default).
struct RatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates",
        abstract: "Response/remission rates, controlled comparisons (RR, OR, RD, NNT) and SMDs for the TRD review's evidence, pooled only within eligibility strata.",
        discussion: """
        Reads the bundled TRD review data (Datasets/trd-review/) unless --data/--studies name other files. Results pool \
        only within a stratum of outcome, definition, rater, treatment, reported design, phase and timepoint window, one \
        estimate per sample (the primary timepoint first); a multi-arm trial's arms are combined so a shared control \
        counts once. A stratum with one study prints that study's result (exact Clopper-Pearson interval), never a pooled \
        one. From two studies: logit random effects (PLO, REML, Knapp-Hartung with the ad hoc floor) by default, the \
        binomial-normal GLMM as a sensitivity analysis (--model glmm makes it the headline), and the Bayesian estimate \
        with the Turner et al. 2015 tau prior, recommended for k = 2-4; --model ft gives Freeman-Tukey with a warning. \
        Controlled comparisons give RR, OR and RD with 95% CIs (and the trial's own alpha where it set one) and the NNT \
        (Altman 1998). Percentages without denominators are listed, not pooled. The rules are printed with the tables.
        """
    )

    @Option(help: "Binary outcome: response or remission.")
    var outcome: RateOutcome = .response

    @Option(help: "Group single-arm rates by class, agent or route (agent and route).")
    var by: RateGrouping = .class

    @Option(help: "Headline model for pooled single-arm rates: logit (default; REML, Knapp-Hartung ad hoc), glmm, or ft (Freeman-Tukey, with a warning). The GLMM and the Bayesian estimate are always reported beside it.")
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
    Provenance(toolVersion: Invocation.version, commandLine: Invocation.commandLine,
               options: options, inputPath: inputs.map(\.path).joined(separator: ";"),
               inputSHA256: inputs.map(\.sha256).joined(separator: ";"))
}

extension Array where Element == String {
    func uniquedStrings() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
