import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

extension PoolCommand {
    /// The tool preset's conventions with the explicit flags over them (--method ESTIMATOR, --test z|knha,
    /// --pi t|riley); a flag the conventions cannot take is a typed error naming it.
    func conventions(_ base: ToolConventions) throws -> (conventions: ToolConventions, overrides: [String]) {
        var c = base
        var overrides: [String] = []
        if let estimator = method?.estimator { c.estimator = estimator; overrides.append("--method \(estimator.rawValue)") }
        switch input.test {
        case nil: break
        case .z?: c.randomEffectsInterval = .classic
        case .knha?: c.randomEffectsInterval = .hartungKnapp
        case let other?:
            throw ValidationError("--test \(other.rawValue) does not combine with --preset \(base.name); use z or knha, or --preset guidance.")
        }
        if let test = input.test { overrides.append("--test \(test.rawValue)") }
        switch predictionInterval {
        case nil: break
        case .t?: c.predictionQuantile = .tWithKMinus1
        case .riley?: c.predictionQuantile = .tWithKMinus2
        case let other?:
            throw ValidationError("--pi \(other.rawValue) does not combine with --preset \(base.name); use t or riley, or --preset guidance.")
        }
        if let pi = predictionInterval { overrides.append("--pi \(pi.rawValue)") }
        if let add = effectSize.addOption { c.continuityCorrection = add; overrides.append("--add \(NumberFormat.shortest(add))") }
        if c != base { c.name = base.name + " with explicit flags" }
        return (c, c == base ? [] : overrides)
    }

    /// `pool --preset TOOL`: the inverse-variance common-effect and random-effects analysis under the tool's
    /// conventions; the output names the preset and every choice.
    /// The effect sizes follow the conventions (meta's continuity corrections, risk ratio and Hedges' g; `--add` sets
    /// the increment); with `--method MH` the common effect is Mantel–Haenszel's, with `--method GLMM` (PLO) the
    /// binomial–normal GLMM's.
    func runWithConventions(_ base: ToolConventions, input d: ModelInputOptions.StudyInput) throws {
        let (c, overrides) = try conventions(base)
        let level = effectSize.level / 100
        let analysis: ConventionalAnalysis
        do {
            if method == .glmm {
                analysis = try ConventionalAnalysis.fitGLMM(data: d.table, columns: d.columns, conventions: c, level: level)
            } else if method == .mantelHaenszel {
                analysis = try ConventionalAnalysis.fitMantelHaenszel(measure: d.measure, data: d.table, columns: d.columns,
                                                                      conventions: c, level: level)
            } else {
                let es = d.measure == .generic ? d.sizes : try c.effectSizes(measure: d.measure, data: d.table, columns: d.columns)
                let rows = es.availableIndices
                analysis = try ConventionalAnalysis.fit(effectSizes: rows.map { es.yi[$0] }, standardErrors: rows.map { es.vi[$0].squareRoot() },
                                                        studies: rows.map { es.studies[$0] }, conventions: c, level: level,
                                                        nullEffect: c.nullEffect(for: d.measure))
            }
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        let options = [("measure", d.measure.rawValue), ("preset", input.preset.rawValue)]
            + (overrides.isEmpty ? [] : [("overrides", overrides.joined(separator: " "))]) + c.choices
            + [("level", NumberFormat.shortest(effectSize.level)), ("add", NumberFormat.shortest(effectSize.add)),
               ("to", effectSize.to.rawValue), ("drop00", String(effectSize.drop00))]
        let flags = overrides.isEmpty ? "" : ", overridden by \(overrides.joined(separator: " "))"
        let report = SparseFitReport(title: "Random-effects model under \(base.name) conventions (\(c.source))\(flags): \(c.summary)",
                                     document: analysis.jsonValue(), notes: d.notes, provenance: input.provenance(options, file: d.file),
                                     settingKeys: ConventionalAnalysis.conventionFields)
        try output.emit(report)
    }
}
