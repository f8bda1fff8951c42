import ArgumentParser
import MetaAnalysis
import MetaReport

/// The model a resampling command refits: the data file, the effect size options and the `pool` model
/// choices (`--method`, `--test`, `--weights`, `--preset`).
struct ResamplingModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("CSV file with one row per study.", valueName: "FILE"))
    var data: String

    @OptionGroup var effectSize: EffectSizeOptions

    @Option(help: ArgumentHelp("tau^2 estimator: \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: ", ")) (default REML).", valueName: "METHOD"))
    var method: TauSquaredEstimator?

    @Option(help: ArgumentHelp("Test for the pooled estimate: z, t, knha, adhoc (default knha; z with --preset metafor).", valueName: "TEST"))
    var test: CoefficientTest?

    @Option(help: ArgumentHelp("Column of user weights (needed by GENQ and GENQM).", valueName: "COLUMN"))
    var weights: String?

    @Option(help: "Defaults to start from: guidance (REML, knha) or metafor (REML, z).")
    var preset: ModelPreset = .guidance

    @Option(help: ArgumentHelp("Moderator columns of a meta-regression, comma-separated (numeric columns are continuous, others categorical).", valueName: "COLUMNS"))
    var mods: String?

    /// The `--mods` columns (empty without moderators).
    var moderators: [Moderator] {
        (mods ?? "").split(separator: ",").map { Moderator(column: String(String($0.drop { $0 == " " }.reversed()).drop { $0 == " " }.reversed())) }.filter { !$0.column.isEmpty }
    }

    var modelOptions: RandomEffectsOptions {
        var options = preset == .metafor ? RandomEffectsOptions.metafor : RandomEffectsOptions()
        if let method { options.estimator = method }
        if let test { options.test = test }
        options.level = effectSize.level
        return options
    }

    /// The study data: effect sizes and variances of the usable rows, labels, user weights, the table and notes.
    private func studyData() throws -> (table: DataTable, rows: [Int], y: [Double], v: [Double], studies: [String],
                                        userWeights: [Double]?, measure: String, notes: [String]) {
        let (table, sizes) = try effectSize.effectSizes(dataPath: data)
        var notes = sizes.diagnostics.map(\.description)
        let rows = sizes.availableIndices
        for row in sizes.yi.indices where !rows.contains(row) {
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
        return (table, rows, rows.map { sizes.yi[$0] }, rows.map { sizes.vi[$0] }, rows.map { sizes.studies[$0] }, userWeights,
                sizes.measure.rawValue, notes)
    }

    /// The fitted model without moderators, its measure code and the notes about the input (omitted studies, corrections).
    func fittedModel() throws -> (model: RandomEffectsModel, measure: String, notes: [String]) {
        let d = try studyData()
        let model = try RandomEffectsModel.fit(effectSizes: d.y, samplingVariances: d.v, studies: d.studies,
                                               userWeights: d.userWeights, options: modelOptions)
        return (model, d.measure, d.notes + model.diagnostics.map(\.description))
    }

    /// The fitted meta-regression on the `--mods` columns, its measure code and the notes.
    func fittedRegression() throws -> (model: MetaRegressionModel, measure: String, notes: [String]) {
        let d = try studyData()
        let design: DesignMatrix
        do {
            design = try DesignMatrix.build(from: d.table, moderators: moderators, rows: d.rows)
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        let model = try MetaRegressionModel.fit(effectSizes: d.y, samplingVariances: d.v, design: design, studies: d.studies,
                                                userWeights: d.userWeights, options: modelOptions)
        return (model, d.measure, d.notes + model.diagnostics.map(\.description))
    }

    /// The options in force, as provenance records them.
    func provenanceOptions(measure: String) -> [(String, String)] {
        let options = modelOptions
        return [
            ("measure", measure), ("method", options.estimator.rawValue), ("test", options.test.rawValue),
            ("level", CSVDocument.field(options.level)), ("preset", preset.rawValue), ("weights", weights ?? "none"),
            ("add", CSVDocument.field(effectSize.add)), ("to", effectSize.to.rawValue), ("drop00", String(effectSize.drop00)),
            ("tau2_tolerance", CSVDocument.field(options.control.tolerance)),
            ("mods", moderators.isEmpty ? "none" : moderators.map(\.column).joined(separator: ",")),
        ]
    }

    /// The arguments that reproduce this model (canonical order, every choice explicit).
    func canonicalArguments(measure: String) -> [String] {
        var args = ["--data", data, "--measure", measure]
        for mapping in effectSize.mappings { args += ["--map", mapping] }
        args += ["--add", CSVDocument.field(effectSize.add), "--to", effectSize.to.rawValue]
        if effectSize.drop00 { args.append("--drop00") }
        args += ["--level", CSVDocument.field(effectSize.level), "--preset", preset.rawValue,
                 "--method", modelOptions.estimator.rawValue, "--test", modelOptions.test.rawValue]
        if let weights { args += ["--weights", weights] }
        if !moderators.isEmpty { args += ["--mods", moderators.map(\.column).joined(separator: ",")] }
        return args
    }
}
