import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// The model a resampling, bias, sensitivity or plot command refits: the shared model flags (`ModelInputOptions`),
/// a τ² `--method` and the `--mods` of a meta-regression.
struct ResamplingModelOptions: ParsableArguments {
    @OptionGroup var input: ModelInputOptions

    @Option(help: ArgumentHelp("tau^2 estimator: \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: ", ")) (default REML).", valueName: "METHOD"))
    var method: TauSquaredEstimator?

    @Option(help: ArgumentHelp("Moderator columns of a meta-regression, comma-separated (numeric columns are continuous, others categorical).", valueName: "COLUMNS"))
    var mods: String?

    var data: String { input.data }
    var effectSize: EffectSizeOptions { input.effectSize }
    var test: CoefficientTest? { input.test }
    var weights: String? { input.weights }
    var preset: ModelPreset { input.preset }

    /// The `--mods` columns (empty without moderators).
    var moderators: [Moderator] {
        (mods ?? "").split(separator: ",").map { Moderator(column: String($0).trimmingSpaces()) }.filter { !$0.column.isEmpty }
    }

    var modelOptions: RandomEffectsOptions { input.modelOptions(estimator: method) }

    /// Reads `--data` once and computes the effect sizes (the input of every fit below).
    func studyInput() throws -> ModelInputOptions.StudyInput { try input.studyInput() }

    /// The pooled analysis without moderators (no heterogeneity intervals).
    func pooled(_ d: ModelInputOptions.StudyInput) throws -> PooledAnalysis {
        try input.pooled(d, options: modelOptions)
    }

    /// The fitted model without moderators, its measure code and the notes about the input (omitted studies,
    /// corrections) and the model.
    func fittedModel(_ d: ModelInputOptions.StudyInput) throws -> (model: RandomEffectsModel, measure: String, notes: [String]) {
        let analysis = try pooled(d)
        return (analysis.model, d.measure.rawValue, analysis.inputNotes + analysis.model.diagnostics.map(\.description))
    }

    /// The fitted meta-regression on the `--mods` columns, its measure code and the notes.
    func fittedRegression(_ d: ModelInputOptions.StudyInput) throws -> (model: MetaRegressionModel, measure: String, notes: [String]) {
        let design: DesignMatrix
        do {
            design = try DesignMatrix.build(from: d.table, moderators: moderators, rows: d.rows)
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        let model = try MetaRegressionModel.fit(effectSizes: d.y, samplingVariances: d.v, design: design, studies: d.studies,
                                                userWeights: d.modelWeights, options: modelOptions)
        return (model, d.measure.rawValue, d.notes + model.diagnostics.map(\.description))
    }

    /// The design of a multilevel model (`--random`): `--mods` as an R formula (`~ a + b`) or a comma list, or the
    /// intercept alone.
    func multilevelDesign(_ d: ModelInputOptions.StudyInput) throws -> DesignMatrix {
        do {
            if let mods, mods.trimmingSpaces().hasPrefix("~") {
                return try ModeratorFormula(mods).design(from: d.table, rows: d.rows)
            } else if mods != nil {
                return try DesignMatrix.build(from: d.table, moderators: moderators, rows: d.rows)
            }
            return try DesignMatrix(intercept: true, studyCount: d.rows.count)
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
    }

    /// The event counts of the studies the model is fitted to, for `bootstrap --type arms`.
    func armCounts(_ d: ModelInputOptions.StudyInput) throws -> ArmCounts {
        do {
            return try ArmCounts.read(measure: d.measure, data: d.table, columns: d.columns,
                                      options: effectSize.escalcOptions, rows: d.rows)
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
    }

    /// The options in force, as provenance records them.
    func provenanceOptions(measure: String) -> [(String, String)] {
        input.provenanceOptions(measure: measure, options: modelOptions)
            + [("mods", moderators.isEmpty ? "none" : moderators.map(\.column).joined(separator: ","))]
    }

    /// The arguments that reproduce this model (canonical order, every choice explicit).
    func canonicalArguments(measure: String) -> [String] {
        var args = ["--data", data, "--measure", measure]
        for mapping in effectSize.mappings { args += ["--map", mapping] }
        args += ["--add", NumberFormat.shortest(effectSize.add), "--to", effectSize.to.rawValue]
        if effectSize.drop00 { args.append("--drop00") }
        if effectSize.vtype != .largeSample { args += ["--vtype", effectSize.vtype.rawValue] }
        args += ["--level", NumberFormat.shortest(effectSize.level), "--preset", preset.rawValue,
                 "--method", modelOptions.estimator.rawValue, "--test", modelOptions.test.rawValue]
        if let weights { args += ["--weights", weights] }
        if !moderators.isEmpty { args += ["--mods", moderators.map(\.column).joined(separator: ",")] }
        return args
    }
}
