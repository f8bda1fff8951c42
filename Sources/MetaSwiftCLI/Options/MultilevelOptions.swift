import ArgumentParser
import MetaData
import MetaAnalysis

/// `--random`, `--V`, `--dfs`: the multilevel model (metafor's `rma.mv`) of `metaswift pool`.
struct MultilevelOptions: ParsableArguments {
    @Option(name: .customLong("random"), parsing: .singleValue,
            help: ArgumentHelp("Random intercepts \"~ 1 | a/b/...\": one variance component per nesting level (repeatable); fits a multilevel model (metafor's rma.mv).", valueName: "FORMULA"))
    var random: [String] = []

    @Option(name: .customLong("V"),
            help: ArgumentHelp("Sampling covariance matrix as a long CSV with columns row1,row2,cov (1-based data rows; every variance, each covariance once or both ways); default: the sampling variances, independent.", valueName: "FILE"))
    var covarianceFile: String?

    @Option(help: ArgumentHelp("Degrees of freedom of the multilevel model's t tests: residual (k - p) or contain (metafor's containment rule; default with the t test).", valueName: "RULE"))
    var dfs: MultilevelDegreesOfFreedom?

    var isRequested: Bool { !random.isEmpty }

    func validate() throws {
        if random.isEmpty && (covarianceFile != nil || dfs != nil) {
            throw ValidationError("--V and --dfs need --random.")
        }
    }
}
