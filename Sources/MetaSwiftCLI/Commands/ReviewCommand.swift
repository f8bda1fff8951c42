import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import MetaAnalysis
import MetaDatasets
import MetaReport
import TRDReview

/// `metaswift review`: the main job — the whole TRD review reanalysis on the bundled data, written to a folder.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The TRD review reanalysis: tables (text, CSV), JSON with provenance, SVG plots and one HTML report.",
        discussion: """
        Needs no arguments and no network: reads the bundled Datasets/trd-review/ data, pools response and remission \
        rates by class and by agent and route (binomial-normal GLMM, logit random-effects fallback), computes every \
        controlled comparison (RR, OR, RD, NNT) and SMD, checks the review's claims against the data, and writes \
        everything into --out (default ./trd-review-report), with report.html as the one file to open.
        """
    )

    @Option(help: ArgumentHelp("Folder to write the report into (created if missing).", valueName: "DIR"))
    var out: String = "trd-review-report"

    @OptionGroup var input: TRDDataOptions

    func run() throws {
        let (evidence, inputs) = try input.load()
        let options = RandomEffectsOptions()
        var byClass: [RateAnalysis] = []
        var byRoute: [RateAnalysis] = []
        for outcome in RateOutcome.allCases {
            byClass.append(try RateAnalysis.run(evidence: evidence, outcome: outcome, grouping: .class, options: options))
            byRoute.append(try RateAnalysis.run(evidence: evidence, outcome: outcome, grouping: .route, options: options))
        }
        let provenance = trdProvenance(inputs: inputs, options: [
            ("model", RateModel.default.rawValue), ("fallback_model", "logit (PLO)"),
            ("fallback_method", options.estimator.rawValue), ("fallback_test", options.test.rawValue),
            ("level", NumberFormat.shortest(options.level)), ("groupings", "class; route"),
            ("overlap_rule", "one report per sample_group: largest denominator, primary source, confidence, later timepoint, lower ref"),
        ])
        let report = ReviewReport(evidence: evidence, byClass: byClass, byRoute: byRoute,
                                  claims: try ReviewClaims.check(evidence),
                                  gaps: ReviewGap.parse(readme: BundledDataset.trdReviewReadme), provenance: provenance)
        try makeDirectory(out)
        let files = report.files()
        for file in files { try writeAtomically(file.contents, to: out + "/" + file.name) }
        Console.current.write(report.summary(outputDirectory: out, fileCount: files.count))
    }
}

/// Creates `path` (and its parents) unless it exists.
func makeDirectory(_ path: String) throws(OutputError) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        current += "/" + part
        if mkdir(current, 0o755) != 0 && errno != EEXIST {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
