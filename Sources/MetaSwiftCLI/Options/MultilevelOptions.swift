import ArgumentParser
import MetaData
import MetaAnalysis

/// `--random`, `--V`, `--dfs`: the multilevel model (metafor's `rma.mv`) of `metaswift pool`.
struct MultilevelOptions: ParsableArguments {
    @Option(name: .customLong("random"), parsing: .singleValue,
            help: ArgumentHelp("Random effects of a multilevel model (metafor's rma.mv), repeatable: \"~ 1 | a/b/...\" (one variance per nesting level) or \"~ inner | outer\" (correlated effects, see --struct); --tau2-ci PL adds profile-likelihood CIs of every component.", valueName: "FORMULA"))
    var random: [String] = []

    @Option(name: .customLong("struct"), parsing: .singleValue,
            help: ArgumentHelp("Covariance structure of each \"~ inner | outer\" term, in order: \(CovarianceStructure.allCases.map(\.rawValue).joined(separator: ", ")) (default CS; repeatable).", valueName: "STRUCT"))
    var structures: [CovarianceStructure] = []

    @Option(name: .customLong("fix"), parsing: .singleValue,
            help: ArgumentHelp("Hold a component at a value instead of estimating it: sigma2, tau2, rho, gamma2 or phi, e.g. rho=0.5 or sigma2=0.1,NA (repeatable).", valueName: "NAME=VALUE"))
    var fixedValues: [String] = []

    @Option(name: .customLong("V"),
            help: ArgumentHelp("Sampling covariance matrix as a long CSV with columns row1,row2,cov (1-based data rows; every variance, each covariance once or both ways); default: the sampling variances, independent.", valueName: "FILE"))
    var covarianceFile: String?

    @Option(help: ArgumentHelp("Degrees of freedom of the multilevel model's t tests: residual (k - p) or contain (metafor's containment rule; default with the t test).", valueName: "RULE"))
    var dfs: MultilevelDegreesOfFreedom?

    var isRequested: Bool { !random.isEmpty }

    func validate() throws {
        if random.isEmpty && (covarianceFile != nil || dfs != nil || !structures.isEmpty || !fixedValues.isEmpty) {
            throw ValidationError("--V, --dfs, --struct and --fix need --random.")
        }
    }

    /// The `--fix` values: NAME=VALUE[,VALUE…], NA leaving that component estimated.
    func fixedComponents() throws(InputError) -> MultilevelModel.FixedComponents {
        var fixed = MultilevelModel.FixedComponents()
        for text in fixedValues {
            let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
            let expected = "NAME=VALUE with NAME one of sigma2, tau2, rho, gamma2, phi and VALUE numbers or NA separated by commas"
            guard parts.count == 2 else { throw .invalidOption(name: "--fix", value: text, expected: expected) }
            var values: [Double?] = []
            for cell in parts[1].split(separator: ",").map({ String($0).trimmingSpaces() }) {
                if cell == "NA" { values.append(nil); continue }
                guard let v = DataTable.parseDouble(cell), v.isFinite else { throw .invalidOption(name: "--fix", value: text, expected: expected) }
                values.append(v)
            }
            switch parts[0] {
            case "sigma2": fixed.sigma2 = values
            case "tau2": fixed.tau2 = values
            case "rho": fixed.rho = values
            case "gamma2": fixed.gamma2 = values
            case "phi": fixed.phi = values
            default: throw .invalidOption(name: "--fix", value: text, expected: expected)
            }
        }
        return fixed
    }
}
