import MetaData
import MetaAnalysis
import MetaReport

extension PoolCommand {
    /// `--mods` / `--subgroup`: reads the moderator or grouping columns, fits, renders.
    func runModeratorAnalysis(_ d: ModelInputOptions.StudyInput, options: RandomEffectsOptions) throws {
        let measure = d.measure
        let table = d.table
        let back = try d.backTransformation
        var settings = provenanceOptions(measure: measure.rawValue, options: options)
        let y = d.y, v = d.v, studies = d.studies, rows = d.rows, notes = d.notes, userWeights = d.modelWeights

        if let column = moderatorOptions.subgroup {
            if robust.isRequested {
                throw InputError.invalidOption(name: "--robust", value: robust.cluster ?? "", expected: "a model without --subgroup (fit the subgroup as a moderator with --mods)")
            }
            let labels: [String]
            do { labels = try table.labels(column, neededBy: "--subgroup") } catch { throw DataFileError.input(path: data, error) }
            settings.append(("subgroup", column))
            let analysis = try SubgroupAnalysis.fit(effectSizes: y, samplingVariances: v, groups: rows.map { labels[$0].trimmingSpaces() },
                                                    groupColumn: column, studies: studies, options: options)
            let report = SubgroupReport(analysis: analysis, measureCode: measure.rawValue, backTransformation: back,
                                        inputNotes: notes, provenance: input.provenance(settings, file: d.file))
            return try output.emit(report)
        }

        let design: DesignMatrix
        do {
            design = try moderatorOptions.design(from: table, rows: rows)
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        settings.append(("mods", moderatorOptions.mods ?? ""))
        settings.append(("intercept", String(!moderatorOptions.noIntercept)))
        let model = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, studies: studies,
                                                userWeights: userWeights, options: options)
        let points = try moderatorOptions.predictions.map { text -> MetaRegressionReport.NewPrediction in
            let row = try design.row(for: try DesignMatrix.predictionPoint(text))
            return MetaRegressionReport.NewPrediction(label: text, designRow: row, prediction: model.prediction(at: row))
        }
        let intervalOptions = input.intervalOptions
        let report = MetaRegressionReport(model: model, measureCode: measure.rawValue, backTransformation: back,
                                          newPredictions: points, intervals: try model.heterogeneityConfidenceIntervals(options: intervalOptions),
                                          inputNotes: notes, provenance: input.provenance(settings, file: d.file))
        try emit(report, model: model, modelSummary: report.metaforHeterogeneity(), input: d,
                 notes: notes + model.diagnostics.map(\.description))
    }
}
