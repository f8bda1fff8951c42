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

extension MultilevelOptions {
    /// A multilevel model fitted from the command line, with the choices the output names.
    struct FittedModel {
        let fit: MultilevelFit
        let estimator: TauSquaredEstimator
        let test: CoefficientTest
        let dfs: MultilevelDegreesOfFreedom
        /// Where V came from, as the report says it.
        let samplingCovarianceSource: String
        let structures: [CovarianceStructure]
    }

    /// Reads the `--random` terms, `--struct`, `--V` and `--fix` and fits the multilevel model (ML or REML; z or t
    /// test, t by default unless `--preset metafor`): the one path `pool --random` and `plot profile --random` share.
    func fitted(_ d: ModelInputOptions.StudyInput, design: DesignMatrix, estimator requested: TauSquaredEstimator?,
                test requestedTest: CoefficientTest?, preset: ModelPreset, level: Double, dataPath: String) throws -> FittedModel {
        // A tool's conventions (its test, PI quantile, τ² CI) are defined for pooling without --random: refused, never ignored.
        if let conventions = preset.conventions {
            throw InputError.invalidOption(name: "--preset", value: conventions.name,
                                           expected: "guidance or metafor with --random (a tool's conventions apply to pooling without --random)")
        }
        let estimator = requested ?? .restrictedMaximumLikelihood
        guard estimator == .maximumLikelihood || estimator == .restrictedMaximumLikelihood else {
            throw InputError.invalidOption(name: "--method", value: estimator.rawValue, expected: "ML or REML with --random")
        }
        let test: CoefficientTest
        switch requestedTest {
        case nil: test = preset == .metafor ? .z : .t
        case .z?: test = .z
        case .t?: test = .t
        case let other?:
            throw InputError.invalidOption(name: "--test", value: other.rawValue, expected: "z or t with --random")
        }
        var groupings: [RandomGrouping] = []
        var correlated: [CorrelatedRandomEffects] = []
        do {
            for formula in random {
                if NestedRandomIntercepts.isInterceptFormula(formula) {
                    groupings += try NestedRandomIntercepts(formula: formula).groupings(from: d.table, rows: d.rows)
                } else {
                    let structure = correlated.count < structures.count ? structures[correlated.count] : .compoundSymmetry
                    correlated.append(try CorrelatedRandomEffects(formula: formula, structure: structure, table: d.table, rows: d.rows))
                }
            }
            if !structures.isEmpty, structures.count != correlated.count {
                throw InputError.invalidOption(name: "--struct", value: structures.map(\.rawValue).joined(separator: " "),
                                               expected: "one structure per \"~ inner | outer\" term (\(correlated.count) given)")
            }
        } catch let error as InputError {
            throw DataFileError.input(path: dataPath, error)
        }
        let v: SamplingCovariance
        let source: String
        if let path = covarianceFile {
            v = try Self.readCovariance(path, dataRows: d.rows)
            source = "blocks read from \(path)"
        } else {
            v = try SamplingCovariance(variances: d.v)
            source = "diagonal (independent sampling errors)"
        }
        let dfs = self.dfs ?? .contain
        let model = try MultilevelModel(effects: d.y, samplingCovariance: v, design: design, groupings: groupings, correlatedTerms: correlated)
        let fit = try model.fit(method: estimator, test: test, dfs: dfs, level: level / 100, fixed: try fixedComponents())
        return FittedModel(fit: fit, estimator: estimator, test: test, dfs: dfs, samplingCovarianceSource: source,
                           structures: correlated.map(\.structure))
    }

    /// Reads `--V`: a long covariance table (row1, row2, cov; 1-based data rows, as `metaswift vcalc` writes it)
    /// for the effects at data rows `dataRows`.
    static func readCovariance(_ path: String, dataRows: [Int]) throws -> SamplingCovariance {
        let file = try CSVFile(path: path)
        let entries: CovarianceEntries
        do { entries = try CovarianceEntries(table: file.table, effectRows: dataRows) } catch { throw DataFileError.input(path: path, error) }
        return try SamplingCovariance(entries, count: dataRows.count)
    }
}
