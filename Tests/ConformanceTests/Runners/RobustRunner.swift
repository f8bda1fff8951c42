import MetaData
import MetaAnalysis
import MetaReport

/// `robust` cases (BankMV group robust): the working model (rma.uni: `RandomEffectsModel` or
/// `MetaRegressionModel` with the case's method and mods), then `ClusterRobustInference` for one variant, rendered
/// as `metaswift pool --robust` renders it (the model's JSON with the variant's object under its code).
enum RobustRunner {
    static func run(_ c: BankCase, correction: SmallSampleCorrection) throws -> JSONValue {
        guard c.stringOption("model_function") == "rma.uni" else { throw NotImplemented(analysis: "robust on rma.mv") }
        guard let clusterColumn = c.stringOption("cluster") else { throw BankCaseError(description: "no cluster") }
        let table = c.table
        let y = try table.numbers(c.stringOption("yi") ?? "yi", neededBy: "yi")
        let v = try table.numbers(c.stringOption("vi") ?? "vi", neededBy: "vi")
        let clusters = try table.labels(clusterColumn, neededBy: "cluster")
        let options = try c.modelOptions()
        let modelJSON: JSONValue, working: RobustWorkingModel, summary: String
        if c.stringOption("mods") == nil {
            let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: options)
            let report = RandomEffectsReport(model: model, measureCode: "GEN", includesStudyValues: false)
            modelJSON = report.jsonValue()
            summary = RandomEffectsReport.metaforHeterogeneity(model)
            working = try model.robustWorkingModel()
        } else {
            let design = try DesignMatrix(continuous: try designColumns(c), studyCount: table.rowCount)
            let model = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, options: options)
            let report = MetaRegressionReport(model: model, measureCode: "GEN")
            modelJSON = report.jsonValue()
            summary = report.metaforHeterogeneity()
            working = try model.robustWorkingModel()
        }
        let inference = try ClusterRobustInference(model: working, clusters: clusters, correction: correction)
        return ClusterRobustReport(modelJSON: modelJSON, modelSummary: summary, inference: inference).jsonValue()
    }

    /// The columns of R's `model.matrix` for `options.mods` (additive terms), factors coded with the bank's
    /// `categorical_levels` (first level = reference), entered as 0/1 columns named `<column><level>`.
    static func designColumns(_ c: BankCase) throws -> [(name: String, values: [Double])] {
        let levels = Dictionary(uniqueKeysWithValues: (c.option("categorical_levels")?.objectValue ?? []).map {
            ($0.0, ($0.1.arrayValue ?? []).compactMap(\.stringValue))
        })
        var columns = [(name: String, values: [Double])]()
        for moderator in try c.moderators() {
            if let factor = levels[moderator.column] {
                let labels = try c.table.labels(moderator.column, neededBy: "mods")
                for level in factor.dropFirst() { columns.append((moderator.column + level, labels.map { $0 == level ? 1 : 0 })) }
            } else {
                columns.append((moderator.column, try c.table.numbers(moderator.column, neededBy: "mods")))
            }
        }
        return columns
    }
}
