import MetaData
import MetaAnalysis
import MetaReport

/// `robust` cases (BankMV group robust): the working model (rma.uni: `RandomEffectsModel` or
/// `MetaRegressionModel` with the case's method and mods; rma.mv: `MultilevelCaseRunner.fit`), then
/// `ClusterRobustInference` for one variant, rendered as `metaswift pool --robust` renders it (the model's JSON with
/// the variant's object under its code).
enum RobustRunner {
    static func run(_ c: BankCase, correction: SmallSampleCorrection) throws -> JSONValue {
        guard let clusterColumn = c.stringOption("cluster") else { throw BankCaseError(description: "no cluster") }
        let table = c.table
        let clusters = try table.labels(clusterColumn, neededBy: "cluster")
        let modelJSON: JSONValue, working: RobustWorkingModel
        switch c.stringOption("model_function") {
        case "rma.mv":
            let fit = try MultilevelCaseRunner.fit(c).0   // the multilevel runner's model, every struct included
            modelJSON = fit.jsonValue()
            working = try fit.robustWorkingModel()
        case "rma.uni":
            let y = try table.numbers(c.stringOption("yi") ?? "yi", neededBy: "yi")
            let v = try table.numbers(c.stringOption("vi") ?? "vi", neededBy: "vi")
            let options = try c.modelOptions()
            if c.stringOption("mods") == nil {
                let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: options)
                modelJSON = RandomEffectsReport(model: model, measureCode: "GEN", includesStudyValues: false).jsonValue()
                working = try model.robustWorkingModel()
            } else {
                let design = try ModeratorFormula(c.stringOption("mods") ?? "~ 1")
                    .design(from: table, rows: Array(0..<table.rowCount), levelOrder: levelOrder(c))
                let model = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, options: options)
                modelJSON = MetaRegressionReport(model: model, measureCode: "GEN").jsonValue()
                working = try model.robustWorkingModel()
            }
        default:
            throw NotImplemented(analysis: "robust on \(c.stringOption("model_function") ?? "?")")
        }
        let inference = try ClusterRobustInference(model: working, clusters: clusters, correction: correction)
        return ClusterRobustReport(modelJSON: modelJSON, modelSummary: "", inference: inference).jsonValue()
    }

    /// `categorical_levels`: each factor's levels, the first the reference.
    static func levelOrder(_ c: BankCase) -> [String: [String]] {
        var order: [String: [String]] = [:]
        for (name, levels) in c.option("categorical_levels")?.objectValue ?? [] {
            order[name] = levels.arrayValue?.compactMap(\.stringValue) ?? []
        }
        return order
    }
}
