import MetaData
import MetaAnalysis
import MetaReport

extension PoolCommand {
    /// `--random`: a multilevel model. Reads the grouping columns, V and the moderators, fits, renders.
    func runMultilevel(_ d: ModelInputOptions.StudyInput) throws {
        let options = multilevel
        guard moderatorOptions.subgroup == nil, moderatorOptions.predictions.isEmpty else {
            throw InputError.invalidOption(name: "--random", value: options.random.joined(separator: " "),
                                           expected: "no --subgroup or --predict (not available for multilevel models yet)")
        }
        // Flags of the univariate fit that a multilevel model would otherwise ignore silently.
        var univariateOnly: [String] = interceptOnlyFlags
        if predictionInterval != nil { univariateOnly.append("--pi") }
        if input.weights != nil { univariateOnly.append("--weights") }
        univariateOnly += extraIntervals.filter { $0 != .profileLikelihood }.map { "--tau2-ci \($0.rawValue)" }
        guard univariateOnly.isEmpty else {
            throw InputError.invalidOption(name: "--random", value: options.random.joined(separator: " "),
                                           expected: "none of \(univariateOnly.joined(separator: ", ")) (univariate-model options; a multilevel model takes --tau2-ci PL, --fix, --struct, --V, --dfs)")
        }
        let design: DesignMatrix
        do {
            design = try moderatorOptions.design(from: d.table, rows: d.rows)
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        let fitted = try options.fitted(d, design: design, estimator: method?.estimator, test: input.test, preset: input.preset,
                                        level: effectSize.level, dataPath: data)
        var settings: [(String, String)] = [
            ("measure", d.measure.rawValue), ("method", fitted.estimator.rawValue), ("test", fitted.test.rawValue),
            ("level", NumberFormat.shortest(effectSize.level)), ("preset", input.preset.rawValue),
            ("random", options.random.joined(separator: "; ")), ("V", options.covarianceFile ?? "diagonal"),
        ]
        if fitted.test == .t { settings.append(("dfs", fitted.dfs.rawValue)) }
        if !fitted.structures.isEmpty { settings.append(("struct", fitted.structures.map(\.rawValue).joined(separator: ", "))) }
        if !options.fixedValues.isEmpty { settings.append(("fix", options.fixedValues.joined(separator: "; "))) }
        if let mods = moderatorOptions.mods { settings.append(("mods", mods)) }
        if let cluster = robust.cluster { settings += [("robust", cluster), ("small_sample", (robust.correction ?? .cr1).rawValue)] }
        let intervals = extraIntervals.contains(.profileLikelihood) ? fitted.fit.profileConfidenceIntervals() : []
        if !intervals.isEmpty { settings.append(("tau2_ci", "PL")) }
        let report = MultilevelReport(fit: fitted.fit, measureCode: d.measure.rawValue, samplingCovarianceSource: fitted.samplingCovarianceSource,
                                      inputNotes: d.notes, componentIntervals: intervals,
                                      provenance: input.provenance(settings, file: d.file))
        // --robust: cluster-robust inference on the fitted rma.mv (MultilevelFit is a ClusterRobustModel); the text
        // heads the robust results with the header, variance components and Q test, as metafor's print.robust.rma.
        try emit(report, model: fitted.fit, modelSummary: report.metaforHeterogeneity(), input: d, notes: report.csvNotes)
    }
}
