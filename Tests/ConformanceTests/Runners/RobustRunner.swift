import MetaData
import MetaAnalysis
import MetaReport

/// `robust` cases (BankMV group robust): the working model (rma.uni: `RandomEffectsModel` or
/// `MetaRegressionModel` with the case's method and mods; rma.mv: the multilevel runner's fit), then
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
            let fit = try multilevelFit(c)
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

    /// The rma.mv working model of a robust case: nested random intercepts (`~ 1 | a/b`) with V from the case
    /// (`MultilevelCaseRunner.samplingCovariance`). Kept apart from the multilevel runner's `run`, which returns
    /// JSON only; the two can share one fitting function once that runner exposes it.
    static func multilevelFit(_ c: BankCase) throws -> MultilevelFit {
        let table = c.table
        let rows = Array(0..<table.rowCount)
        let y = try table.numbers(c.stringOption("yi") ?? "yi", neededBy: "yi")
        let v = try MultilevelCaseRunner.samplingCovariance(c, table: table, count: rows.count)
        let design = try ModeratorFormula(c.stringOption("mods") ?? "~ 1").design(from: table, rows: rows, levelOrder: levelOrder(c))
        var groupings: [RandomGrouping] = []
        for formula in c.option("random")?.arrayValue?.compactMap(\.stringValue) ?? [] {
            guard c.option("struct") == nil else { throw NotImplemented(analysis: "robust on rma.mv with struct \(c.option("struct")!)") }
            groupings += try NestedRandomIntercepts(formula: formula).groupings(from: table, rows: rows)
        }
        let model = try MultilevelModel(effects: y, samplingCovariance: v, design: design, groupings: groupings)
        guard let method = TauSquaredEstimator(rawValue: c.stringOption("method") ?? "") else { throw BankCaseError(description: "no method") }
        guard let test = CoefficientTest(rawValue: c.stringOption("test") ?? ""),
              let dfs = MultilevelDegreesOfFreedom(rawValue: c.stringOption("dfs") ?? "residual") else {
            throw BankCaseError(description: "unknown test or dfs")
        }
        return try model.fit(method: method, test: test, dfs: dfs, level: (c.numberOption("level") ?? 95) / 100)
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
