import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// The model choices every model-fitting command shares with `pool`, the data file aside: the effect size options and
/// `--test`, `--weights`, `--preset` (`batch` names its input its own way).
struct ModelChoiceOptions: ParsableArguments {
    @OptionGroup var effectSize: EffectSizeOptions

    @Option(help: ArgumentHelp("Test and CI for the pooled estimate: z, t, knha, adhoc (default knha; the preset's with --preset).", valueName: "TEST"))
    var test: CoefficientTest?

    @Option(help: ArgumentHelp("Column of user weights (needed by GENQ and GENQM).", valueName: "COLUMN"))
    var weights: String?

    @Option(help: ArgumentHelp("Defaults to start from, explicit flags override them: guidance, metafor, or a tool's conventions: \(ToolConventions.all.map(\.name).joined(separator: ", ")) (pool --help lists each; commands other than pool take its tau^2 estimator, test and PI quantile).", valueName: "preset"))
    var preset: ModelPreset = .guidance

    /// The model options: explicit flags over the preset's defaults.
    func modelOptions(estimator: TauSquaredEstimator?) -> RandomEffectsOptions {
        var options = preset == .metafor ? RandomEffectsOptions.metafor : preset.conventions?.randomEffectsOptions ?? RandomEffectsOptions()
        if let estimator { options.estimator = estimator }
        if let test { options.test = test }
        options.level = effectSize.level
        return options
    }

    /// The heterogeneity interval searches: metafor's confint stops its root search at uniroot's default tolerance
    /// (2^-13 on τ²); the metafor preset reproduces those bounds exactly, the guidance defaults converge them to 1e-13.
    var intervalOptions: HeterogeneityIntervalOptions {
        let loose = HeterogeneityIntervalOptions.metaforUnirootTolerance
        return preset == .metafor
            ? HeterogeneityIntervalOptions(tolerance: loose, generalizedTolerance: loose) : HeterogeneityIntervalOptions()
    }

    /// The options in force, as provenance records them (before any command-specific ones).
    func provenanceOptions(measure: String, options: RandomEffectsOptions) -> [(String, String)] {
        [
            ("measure", measure), ("method", options.estimator.rawValue), ("test", options.test.rawValue),
            ("level", NumberFormat.shortest(options.level)), ("preset", preset.rawValue), ("weights", weights ?? "none"),
            ("add", NumberFormat.shortest(effectSize.add)), ("to", effectSize.to.rawValue), ("drop00", String(effectSize.drop00)),
            ("vtype", effectSize.vtype.rawValue), ("tau2_tolerance", NumberFormat.shortest(options.control.tolerance)),
        ]
    }

    /// The options in force of a pooled analysis (`pool`, `batch`): the shared ones and the prediction interval's
    /// distribution.
    func poolProvenanceOptions(measure: String, options: RandomEffectsOptions) -> [(String, String)] {
        provenanceOptions(measure: measure, options: options) + [("pi", options.predictionInterval.rawValue)]
            + (options.fixedTauSquared.map { [("tau2", NumberFormat.shortest($0))] } ?? [])
            + (options.weighted ? [] : [("weighted", "false")])
            + (options.control.initialTauSquared.map { [("tau2_init", NumberFormat.shortest($0))] } ?? [])
    }

}

/// The flags every model-fitting command shares with `pool`: the data file and the model choices
/// (``ModelChoiceOptions``). `--method` is declared by the command (pool also takes MH, PETO and GLMM there), and so
/// are moderators.
struct ModelInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("CSV file with one row per study.", valueName: "FILE"))
    var data: String

    @OptionGroup var choices: ModelChoiceOptions

    var effectSize: EffectSizeOptions { choices.effectSize }
    var test: CoefficientTest? { choices.test }
    var weights: String? { choices.weights }
    var preset: ModelPreset { choices.preset }
    func modelOptions(estimator: TauSquaredEstimator?) -> RandomEffectsOptions { choices.modelOptions(estimator: estimator) }
    var intervalOptions: HeterogeneityIntervalOptions { choices.intervalOptions }
    func provenanceOptions(measure: String, options: RandomEffectsOptions) -> [(String, String)] {
        choices.provenanceOptions(measure: measure, options: options)
    }
    func poolProvenanceOptions(measure: String, options: RandomEffectsOptions) -> [(String, String)] {
        choices.poolProvenanceOptions(measure: measure, options: options)
    }

    /// The data file read once (its table and SHA-256), the effect sizes of every row and the `--weights` column.
    struct StudyInput {
        let file: CSVFile
        /// The `--map` column map.
        let columns: [EscalcArgument: String]
        let sizes: EffectSizes
        /// One weight per data row (`--weights`), nil without the option.
        let userWeights: [Double]?
        var table: DataTable { file.table }
        var measure: EffectMeasure { sizes.measure }
        /// Data rows (0-based) with an effect size and variance: the model's studies.
        var rows: [Int] { sizes.availableIndices }
        /// The model's studies' effect sizes, variances, labels and weights.
        var y: [Double] { rows.map { sizes.yi[$0] } }
        var v: [Double] { rows.map { sizes.vi[$0] } }
        var studies: [String] { rows.map { sizes.studies[$0] } }
        var modelWeights: [Double]? { userWeights.map { w in rows.map { w[$0] } } }
        /// Notes about the input: corrections applied, studies omitted.
        var notes: [String] { sizes.inputNotes }
        /// The measure's back-transformation (with the harmonic mean n for PFT).
        var backTransformation: BackTransformation? {
            get throws { measure.backTransformation(harmonicMeanSampleSize: try PooledAnalysis.harmonicMeanSampleSize(of: table, measure: measure, columns: columns)) }
        }
    }

    /// Reads `--data` once, computes the effect sizes and reads the `--weights` column.
    func studyInput() throws -> StudyInput {
        let (file, columns, sizes) = try effectSize.effectSizes(dataPath: data)
        var userWeights: [Double]?
        do {
            // Checked here, where the data rows and the weights column's name are known: the model's own checks
            // count its studies (wrong after --drop00 or inside a subgroup) and call the column 'weights'.
            for r in sizes.availableIndices {
                guard sizes.yi[r].isFinite else { throw InputError.notFinite(row: r + 1, column: "yi", value: String(sizes.yi[r])) }
                guard sizes.vi[r].isFinite else { throw InputError.notFinite(row: r + 1, column: "vi", value: String(sizes.vi[r])) }
                guard sizes.vi[r] > 0 else { throw InputError.nonPositiveVariance(study: sizes.studies[r], row: r + 1, value: sizes.vi[r]) }
            }
            if let weights {
                let a = try file.table.numbers(weights, neededBy: "--weights")
                for r in sizes.availableIndices where !(a[r] > 0) {
                    throw InputError.outOfRange(row: r + 1, column: weights, value: a[r], expected: "a positive weight (--weights)")
                }
                userWeights = a
            }
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        return StudyInput(file: file, columns: columns, sizes: sizes, userWeights: userWeights)
    }

    /// The pooled analysis of `d` (`PooledAnalysis`, the library's one pipeline) with these options; heterogeneity
    /// intervals only when `intervals` is set.
    func pooled(_ d: StudyInput, options: RandomEffectsOptions, intervals: Bool = false,
                extraIntervals: [HeterogeneityConfidenceIntervals.Method] = []) throws -> PooledAnalysis {
        try PooledAnalysis.pool(d.sizes, of: d.table, columns: d.columns, userWeights: d.userWeights,
                                options: PoolingOptions(escalc: effectSize.escalcOptions, model: options,
                                                        intervals: intervals ? intervalOptions : nil,
                                                        extraIntervals: extraIntervals))
    }

    /// Provenance of a run on `file` (the `--data` read) with these options.
    func provenance(_ options: [(String, String)], file: CSVFile) -> Provenance {
        Provenance(toolVersion: Invocation.version, commandLine: Invocation.commandLine,
                   options: options, inputPath: data, inputSHA256: file.sha256)
    }
}
