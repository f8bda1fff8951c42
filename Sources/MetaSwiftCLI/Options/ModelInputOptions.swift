import ArgumentParser
import MetaAnalysis
import MetaReport

/// The flags every model-fitting command shares with `pool`: the data file, the effect size options and the model
/// choices `--test`, `--weights`, `--preset`. `--method` is declared by the command (pool also takes MH, PETO and GLMM
/// there), and so are moderators.
struct ModelInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("CSV file with one row per study.", valueName: "FILE"))
    var data: String

    @OptionGroup var effectSize: EffectSizeOptions

    @Option(help: ArgumentHelp("Test and CI for the pooled estimate: z, t, knha, adhoc (default knha; z with --preset metafor).", valueName: "TEST"))
    var test: CoefficientTest?

    @Option(help: ArgumentHelp("Column of user weights (needed by GENQ and GENQM).", valueName: "COLUMN"))
    var weights: String?

    @Option(help: "Defaults to start from: guidance (REML, knha) or metafor (REML, z).")
    var preset: ModelPreset = .guidance

    /// The model options: explicit flags over the preset's defaults.
    func modelOptions(estimator: TauSquaredEstimator?) -> RandomEffectsOptions {
        var options = preset == .metafor ? RandomEffectsOptions.metafor : RandomEffectsOptions()
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

    /// The usable rows of the data and what a model needs from them.
    struct StudyData {
        let table: DataTable
        let sizes: EffectSizes
        /// Data rows (0-based) with an effect size and variance.
        let rows: [Int]
        let y: [Double]
        let v: [Double]
        let studies: [String]
        let userWeights: [Double]?
        /// Notes about the input: corrections applied, studies omitted.
        let notes: [String]
        var measure: EffectMeasure { sizes.measure }
    }

    /// Reads `--data`, computes the effect sizes and picks the usable rows (and their `--weights`).
    func studyData() throws -> StudyData {
        let (table, sizes) = try effectSize.effectSizes(dataPath: data)
        var notes = sizes.diagnostics.map(\.description)
        let rows = sizes.availableIndices
        // One mask, not a search of `rows` per row: every step from the file to the fit stays linear in k.
        var available = [Bool](repeating: false, count: sizes.yi.count)
        for row in rows { available[row] = true }
        for row in sizes.yi.indices where !available[row] {
            notes.append(ModelDiagnostic.studyOmitted(study: sizes.studies[row], row: row + 1).description)
        }
        var userWeights: [Double]?
        if let weights {
            do {
                let all = try table.numbers(weights, neededBy: "--weights")
                userWeights = rows.map { all[$0] }
            } catch {
                throw DataFileError.input(path: data, error)
            }
        }
        return StudyData(table: table, sizes: sizes, rows: rows, y: rows.map { sizes.yi[$0] }, v: rows.map { sizes.vi[$0] },
                         studies: rows.map { sizes.studies[$0] }, userWeights: userWeights, notes: notes)
    }

    /// The harmonic mean of the `ni` column, which the Freeman–Tukey back-transformation needs (nil for other measures).
    func harmonicMeanSampleSize(_ d: StudyData) throws -> Double? {
        guard d.measure == .freemanTukeyProportion else { return nil }
        let n = try d.table.numbers(try effectSize.columns()[.ni] ?? "ni", neededBy: "the Freeman-Tukey back-transformation")
        return Double(n.count) / n.reduce(0) { $0 + 1 / $1 }
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

    /// Provenance of a run on `--data` with these options.
    func provenance(_ options: [(String, String)]) throws -> Provenance {
        Provenance(toolVersion: MetaSwiftCommand.version, commandLine: MetaSwiftCommand.commandLine,
                   options: options, inputPath: data, inputSHA256: try fileSHA256(data))
    }
}
