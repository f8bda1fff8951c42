import MetaData
import MetaAnalysis
import MetaReport

extension PoolCommand {
    /// `--random`: a multilevel model. Reads the grouping columns, V and the moderators, fits, renders.
    func runMultilevel(_ d: ModelInputOptions.StudyInput) throws {
        let table = d.table
        let rows = d.rows
        let options = multilevel
        guard moderatorOptions.subgroup == nil, moderatorOptions.predictions.isEmpty else {
            throw InputError.invalidOption(name: "--random", value: options.random.joined(separator: " "),
                                           expected: "no --subgroup or --predict (not available for multilevel models yet)")
        }
        let estimator = method?.estimator ?? .restrictedMaximumLikelihood
        guard estimator == .maximumLikelihood || estimator == .restrictedMaximumLikelihood else {
            throw InputError.invalidOption(name: "--method", value: estimator.rawValue, expected: "ML or REML with --random")
        }
        let test: CoefficientTest
        switch input.test {
        case nil: test = input.preset == .metafor ? .z : .t
        case .z?: test = .z
        case .t?: test = .t
        case let other?:
            throw InputError.invalidOption(name: "--test", value: other.rawValue, expected: "z or t with --random")
        }
        let dfs = options.dfs ?? .contain
        var groupings: [RandomGrouping] = []
        var correlated: [CorrelatedRandomEffects] = []
        do {
            for formula in options.random {
                if NestedRandomIntercepts.isInterceptFormula(formula) {
                    groupings += try NestedRandomIntercepts(formula: formula).groupings(from: table, rows: rows)
                } else {
                    let structure = correlated.count < options.structures.count ? options.structures[correlated.count] : .compoundSymmetry
                    correlated.append(try CorrelatedRandomEffects(formula: formula, structure: structure, table: table, rows: rows))
                }
            }
            if !options.structures.isEmpty, options.structures.count != correlated.count {
                throw InputError.invalidOption(name: "--struct", value: options.structures.map(\.rawValue).joined(separator: " "),
                                               expected: "one structure per \"~ inner | outer\" term (\(correlated.count) given)")
            }
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        let v: SamplingCovariance
        let source: String
        if let path = options.covarianceFile {
            v = try Self.readCovariance(path, dataRows: rows)
            source = "blocks read from \(path)"
        } else {
            v = try SamplingCovariance(variances: d.v)
            source = "diagonal (independent sampling errors)"
        }
        let design: DesignMatrix
        do {
            design = try moderatorOptions.design(from: table, rows: rows)
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        let model = try MultilevelModel(effects: d.y, samplingCovariance: v, design: design, groupings: groupings, correlatedTerms: correlated)
        let fit = try model.fit(method: estimator, test: test, dfs: dfs, level: effectSize.level / 100, fixed: try options.fixedComponents())
        var settings: [(String, String)] = [
            ("measure", d.measure.rawValue), ("method", estimator.rawValue), ("test", test.rawValue),
            ("level", NumberFormat.shortest(effectSize.level)), ("preset", input.preset.rawValue),
            ("random", options.random.joined(separator: "; ")), ("V", options.covarianceFile ?? "diagonal"),
        ]
        if test == .t { settings.append(("dfs", dfs.rawValue)) }
        if !correlated.isEmpty { settings.append(("struct", correlated.map(\.structure.rawValue).joined(separator: ", "))) }
        if !options.fixedValues.isEmpty { settings.append(("fix", options.fixedValues.joined(separator: "; "))) }
        if let mods = moderatorOptions.mods { settings.append(("mods", mods)) }
        if let cluster = robust.cluster { settings += [("robust", cluster), ("small_sample", (robust.correction ?? .cr1).rawValue)] }
        let report = MultilevelReport(fit: fit, measureCode: d.measure.rawValue, samplingCovarianceSource: source,
                                      inputNotes: d.notes, provenance: input.provenance(settings, file: d.file))
        // --robust: cluster-robust inference on the fitted rma.mv (MultilevelFit is a ClusterRobustModel); the text
        // heads the robust results with the header, variance components and Q test, as metafor's print.robust.rma.
        try emit(report, model: fit, modelSummary: report.metaforHeterogeneity(), input: d, notes: report.csvNotes)
    }

    /// Reads `--V`: a long covariance table (row1, row2, cov; 1-based data rows, as `metaswift vcalc` writes it)
    /// for the effects at data rows `dataRows`.
    static func readCovariance(_ path: String, dataRows: [Int]) throws -> SamplingCovariance {
        let file = try CSVFile(path: path)
        let entries: CovarianceEntries
        do { entries = try CovarianceEntries(table: file.table, effectRows: dataRows) } catch { throw DataFileError.input(path: path, error) }
        return try SamplingCovariance(entries, count: dataRows.count)
    }
}
