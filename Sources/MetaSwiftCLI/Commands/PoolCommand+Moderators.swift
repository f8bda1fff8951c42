import MetaAnalysis
import MetaReport

extension PoolCommand {
    /// `--mods` / `--subgroup`: reads the moderator or grouping columns, fits, renders.
    func runModeratorAnalysis(table: DataTable, sizes: EffectSizes, rows: [Int], notes: [String], userWeights: [Double]?,
                              options: RandomEffectsOptions) throws {
        let measure = sizes.measure
        var harmonicMeanN: Double?
        if measure == .freemanTukeyProportion {
            let n = try table.numbers(try effectSize.columns()[.ni] ?? "ni", neededBy: "the Freeman-Tukey back-transformation")
            harmonicMeanN = Double(n.count) / n.reduce(0) { $0 + 1 / $1 }
        }
        let back = measure.backTransformation(harmonicMeanSampleSize: harmonicMeanN)
        var settings: [(String, String)] = [
            ("measure", measure.rawValue), ("method", options.estimator.rawValue), ("test", options.test.rawValue),
            ("level", CSVDocument.field(options.level)), ("preset", preset.rawValue), ("weights", weights ?? "none"),
            ("add", CSVDocument.field(effectSize.add)), ("to", effectSize.to.rawValue), ("drop00", String(effectSize.drop00)),
            ("tau2_tolerance", CSVDocument.field(options.control.tolerance)),
        ]
        let y = rows.map { sizes.yi[$0] }, v = rows.map { sizes.vi[$0] }, studies = rows.map { sizes.studies[$0] }

        if let column = moderatorOptions.subgroup {
            let labels: [String]
            do { labels = try table.strings(column, neededBy: "--subgroup") } catch { throw DataFileError.input(path: data, error) }
            settings.append(("subgroup", column))
            let analysis = try SubgroupAnalysis.fit(effectSizes: y, samplingVariances: v, groups: rows.map { labels[$0].trimmingSpaces() },
                                                    groupColumn: column, studies: studies, options: options)
            let report = SubgroupReport(analysis: analysis, measureCode: measure.rawValue, backTransformation: back,
                                        inputNotes: notes, provenance: try provenance(settings))
            switch output.format {
            case .json: try output.emit(report.jsonValue().serialized() + "\n")
            case .csv: try output.emit(report.csvDocument().serialized())
            case .table: try output.emit(report.textReport())
            }
            return
        }

        let design: DesignMatrix
        do {
            design = try DesignMatrix.build(from: table, moderators: try moderatorOptions.moderators(), rows: rows,
                                            intercept: !moderatorOptions.noIntercept)
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
        let loose = HeterogeneityIntervalOptions.metaforUnirootTolerance
        let intervalOptions = preset == .metafor
            ? HeterogeneityIntervalOptions(tolerance: loose, generalizedTolerance: loose) : HeterogeneityIntervalOptions()
        let report = MetaRegressionReport(model: model, measureCode: measure.rawValue, backTransformation: back,
                                          newPredictions: points, intervals: try model.heterogeneityConfidenceIntervals(options: intervalOptions),
                                          inputNotes: notes, provenance: try provenance(settings))
        switch output.format {
        case .json: try output.emit(report.jsonValue().serialized() + "\n")
        case .csv: try output.emit(report.csvDocument().serialized())
        case .table: try output.emit(report.textReport())
        }
    }

    private func provenance(_ settings: [(String, String)]) throws -> Provenance {
        Provenance(toolVersion: MetaSwiftCommand.version, commandLine: ["metaswift"] + CommandLine.arguments.dropFirst(),
                   options: settings, inputPath: data, inputSHA256: try fileSHA256(data))
    }
}
