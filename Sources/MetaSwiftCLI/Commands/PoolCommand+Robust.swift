import MetaData
import MetaAnalysis
import MetaReport

extension PoolCommand {
    /// Emits `report`, or with `--robust` the model with cluster-robust inference (the report's JSON gains the
    /// variant's object; the text is metafor's `print.robust.rma`).
    func emit(_ report: some RenderableReport, model: some ClusterRobustModel, modelSummary: @autoclosure () -> String,
              input d: ModelInputOptions.StudyInput, notes: [String]) throws {
        guard let column = robust.cluster else { return try output.emit(report) }
        let clusters: [String]
        do { clusters = try d.table.labels(column, neededBy: "--robust", rows: d.rows) } catch { throw DataFileError.input(path: data, error) }
        let inference = try ClusterRobustInference(model: try model.robustWorkingModel(), clusters: clusters,
                                                   correction: robust.correction ?? .cr1, level: modelOptions.level)
        try output.emit(ClusterRobustReport(modelJSON: report.jsonValue(), modelSummary: modelSummary(),
                                            inference: inference, notes: notes))
    }
}
