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

    var modelOptions: RandomEffectsOptions {
        var options = preset == .metafor ? RandomEffectsOptions.metafor : RandomEffectsOptions()
        if let method { options.estimator = method }
        if let test { options.test = test }
        options.level = effectSize.level
        return options
    }

    /// The fitted model, its measure code and the notes about the input (omitted studies, corrections).
    func fittedModel() throws -> (model: RandomEffectsModel, measure: String, notes: [String]) {
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
        let model = try RandomEffectsModel.fit(
            effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] },
            studies: rows.map { sizes.studies[$0] }, userWeights: userWeights, options: modelOptions)
        return (model, sizes.measure.rawValue, notes + model.diagnostics.map(\.description))
    }

    /// The options in force, as provenance records them.
    func provenanceOptions(measure: String) -> [(String, String)] {
        let options = modelOptions
        return [
            ("measure", measure), ("method", options.estimator.rawValue), ("test", options.test.rawValue),
            ("level", CSVDocument.field(options.level)), ("preset", preset.rawValue), ("weights", weights ?? "none"),
            ("add", CSVDocument.field(effectSize.add)), ("to", effectSize.to.rawValue), ("drop00", String(effectSize.drop00)),
            ("tau2_tolerance", CSVDocument.field(options.control.tolerance)),
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
        return args
    }
}
