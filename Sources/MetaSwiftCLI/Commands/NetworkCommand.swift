import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// `metaswift network`: a contrast-based network meta-analysis from arm-level data or from contrasts with their
/// covariance. Parses, reads data, calls the library (``NetworkModel``), renders.
struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Network meta-analysis: every treatment against a reference and all pairwise effects (metafor's rma.mv network model).",
        discussion: """
        Arm-level data (--treatment COL): one row per study arm with xi, ni (events and arm size; --measure OR, RR \
        or RD) or mi, sdi, ni (mean, SD and size; --measure MD); each study's arms are contrasted with its base arm \
        (the reference if the study has it) and contrasts sharing that arm covary by its variance. Contrast data \
        (--treatment1 COL --treatment2 COL): one row per comparison, effect sizes from escalc's columns (--measure) \
        or yi/vi (--measure GEN), and --V FILE (vcalc's long format) for studies with several contrasts. \
        Models (--model): consistency (default; common tau^2, correlation 1/2 between contrasts of one study), \
        common (equal effects) or inconsistency (adds a design-by-comparison variance gamma^2). The output gives \
        the treatment effects against the reference, all pairwise effects with CIs and PIs, a league table and the \
        Q decomposition into heterogeneity (within designs) and inconsistency (between designs).
        """
    )

    @Option(help: ArgumentHelp("CSV file: one row per arm (with --treatment) or per contrast (with --treatment1/--treatment2).", valueName: "FILE"))
    var data: String

    @Option(help: ArgumentHelp("Column of the study label.", valueName: "COLUMN"))
    var study: String = "study"

    @Option(help: ArgumentHelp("Arm-level data: column of each arm's treatment.", valueName: "COLUMN"))
    var treatment: String?

    @Option(help: ArgumentHelp("Contrast data: column of the first treatment (the effect is first minus second).", valueName: "COLUMN"))
    var treatment1: String?

    @Option(help: ArgumentHelp("Contrast data: column of the second treatment.", valueName: "COLUMN"))
    var treatment2: String?

    @Option(help: ArgumentHelp("Reference treatment (default: the first in sorted order).", valueName: "NAME"))
    var reference: String?

    @Option(name: .customLong("model"), help: ArgumentHelp("consistency (default), common or inconsistency.", valueName: "MODEL"))
    var heterogeneity: NetworkModel.Heterogeneity = .consistency

    @Option(help: ArgumentHelp("Variance components: REML (default) or ML.", valueName: "METHOD"))
    var method: TauSquaredEstimator = .restrictedMaximumLikelihood

    @Option(help: ArgumentHelp("Tests and CIs: z (normal, default, as metafor) or t (with --dfs).", valueName: "TEST"))
    var test: CoefficientTest = .z

    @Option(help: ArgumentHelp("Degrees of freedom with --test t: residual (k - p) or contain (metafor's containment rule; default).", valueName: "RULE"))
    var dfs: MultilevelDegreesOfFreedom?

    @Option(name: .customLong("V"),
            help: ArgumentHelp("Contrast data: their sampling covariance as a long CSV row1,row2,cov (1-based data rows, as metaswift vcalc writes it).", valueName: "FILE"))
    var covarianceFile: String?

    @OptionGroup var effectSize: EffectSizeOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        switch (treatment, treatment1, treatment2) {
        case (_?, nil, nil):
            if covarianceFile != nil { throw ValidationError("--V is for contrast data (--treatment1/--treatment2); arm-level data give V themselves.") }
        case (nil, _?, _?): break
        default: throw ValidationError("Give --treatment COLUMN (arm-level data) or both --treatment1 and --treatment2 (contrast data).")
        }
        guard test == .z || test == .t else { throw ValidationError("--test must be z or t for a network model.") }
        guard method == .maximumLikelihood || method == .restrictedMaximumLikelihood else {
            throw ValidationError("--method must be ML or REML for a network model.")
        }
        if dfs != nil && test != .t { throw ValidationError("--dfs applies to --test t.") }
    }

    func run() throws {
        let file: CSVFile
        let contrasts: NetworkContrasts
        var notes: [String] = []
        let source: String
        if let treatment {
            file = try CSVFile(path: data)
            (contrasts, notes) = try armContrasts(file.table, treatment: treatment)
            source = "from arm-level data: each study's arms against its base arm, covariance from the shared arm"
        } else {
            let (f, _, sizes) = try effectSize.effectSizes(dataPath: data)
            file = f
            (contrasts, notes) = try givenContrasts(f.table, sizes: sizes)
            source = covarianceFile.map { "contrasts as given, V read from \($0)" } ?? "contrasts as given, independent (one per study)"
        }
        let fit = try NetworkModel(contrasts: contrasts, reference: reference)
            .fit(heterogeneity: heterogeneity, method: method, test: test, dfs: dfs ?? .contain, level: effectSize.level / 100)
        var options: [(String, String)] = [
            ("measure", effectSize.measure.rawValue), ("model", heterogeneity.rawValue), ("method", method.rawValue),
            ("test", test.rawValue), ("level", NumberFormat.shortest(effectSize.level)), ("reference", fit.reference),
            ("study", study),
        ]
        if test == .t { options.append(("dfs", (dfs ?? .contain).rawValue)) }
        if let treatment { options += [("treatment", treatment), ("add", NumberFormat.shortest(effectSize.add)), ("to", effectSize.to.rawValue)] }
        if let treatment1, let treatment2 { options += [("treatment1", treatment1), ("treatment2", treatment2), ("V", covarianceFile ?? "diagonal")] }
        let provenance = Provenance(toolVersion: Invocation.version, commandLine: Invocation.commandLine,
                                    options: options, inputPath: data, inputSHA256: file.sha256)
        try output.emit(NetworkReport(network: fit, measureCode: effectSize.measure.rawValue, dataSource: source,
                                      inputNotes: notes, provenance: provenance))
    }

    /// Arm-level rows → contrasts against each study's base arm.
    private func armContrasts(_ table: DataTable, treatment: String) throws -> (NetworkContrasts, [String]) {
        let measure = effectSize.measure
        if effectSize.vtype != .largeSample || effectSize.drop00Choice != nil {
            throw InputError.invalidOption(name: "--treatment", value: treatment,
                                           expected: "no --vtype or --drop00 with arm-level data (large-sample variances; every arm is kept)")
        }
        let map = try effectSize.columns()
        func name(_ argument: EscalcArgument) -> String { map[argument] ?? argument.rawValue }
        do {
            let studies = try table.labels(study, neededBy: "--study")
            let treatments = try table.labels(treatment, neededBy: "--treatment")
            let outcome: NetworkArms.Outcome
            switch measure {
            case .logOddsRatio, .logRiskRatio, .riskDifference:
                outcome = .binary(events: try table.numbers(name(.xi), neededBy: "\(measure.rawValue) from arms"),
                                  sizes: try table.numbers(name(.ni), neededBy: "\(measure.rawValue) from arms"))
            case .meanDifference:
                outcome = .continuous(means: try table.numbers(name(.mi), neededBy: "MD from arms"),
                                      standardDeviations: try table.numbers(name(.sdi), neededBy: "MD from arms"),
                                      sizes: try table.numbers(name(.ni), neededBy: "MD from arms"))
            default:
                throw NetworkError.measureNotFromArms(measure.rawValue, available: NetworkArms.armMeasures.map(\.rawValue))
            }
            let (contrasts, diagnostics) = try NetworkArms(studies: studies, treatments: treatments, outcome: outcome)
                .contrasts(measure: measure, reference: reference, options: effectSize.escalcOptions)
            return (contrasts, diagnostics.map(\.description))
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
    }

    /// Contrast rows (with an effect size) → contrasts; V from --V, or independent when every study has one contrast.
    private func givenContrasts(_ table: DataTable, sizes: EffectSizes) throws -> (NetworkContrasts, [String]) {
        let rows = sizes.availableIndices
        func labels(_ column: String, _ flag: String) throws -> [String] {
            do { return try table.labels(column, neededBy: flag, rows: rows) } catch { throw DataFileError.input(path: data, error) }
        }
        let studies = try labels(study, "--study")
        let first = try labels(treatment1 ?? "", "--treatment1")
        let second = try labels(treatment2 ?? "", "--treatment2")
        let v: SamplingCovariance
        if let covarianceFile {
            v = try MultilevelOptions.readCovariance(covarianceFile, dataRows: rows)
        } else {
            var rowsOf: [String: [Int]] = [:]
            for (i, s) in studies.enumerated() { rowsOf[s, default: []].append(rows[i] + 1) }
            if let (s, r) = rowsOf.first(where: { $0.value.count > 1 }).map({ ($0.key, $0.value) }) {
                throw InputError.invalidOption(name: "--treatment1", value: treatment1 ?? "",
                                               expected: "--V FILE: study '\(s)' has \(r.count) contrasts (rows \(r.map(String.init).joined(separator: ", "))), which share an arm and covary (metaswift vcalc --grp1/--grp2 builds V), or arm-level data with --treatment")
            }
            v = try SamplingCovariance(variances: rows.map { sizes.vi[$0] })
        }
        let contrasts = try NetworkContrasts(studies: studies, firstTreatments: first, secondTreatments: second,
                                             effects: rows.map { sizes.yi[$0] }, samplingCovariance: v, dataRows: rows.map { $0 + 1 })
        return (contrasts, sizes.inputNotes)
    }
}

extension NetworkError: UserFacingError {}
