import MetaAnalysis
import MetaReport

/// `rma.uni.mods` cases (group rma_mods): escalc (or the CSV's yi/vi), the design from `options.mods` (columns
/// named in `categorical_levels` coded as factors), `MetaRegressionModel.fit` and `predict`, rendered by the
/// same JSON renderer as `metaswift pool --mods`.
enum MetaRegressionRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        let sizes = try c.effectSizes()
        let measure = try c.effectMeasure
        let options = try c.modelOptions()
        let rows = sizes.availableIndices
        let design = try DesignMatrix.build(from: c.table, moderators: try c.moderators(), rows: rows)
        let model = try MetaRegressionModel.fit(
            effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] }, design: design,
            studies: rows.map { sizes.studies[$0] }, options: options)
        return MetaRegressionReport(model: model, measureCode: measure.rawValue).jsonValue()
    }
}

extension BankCase {
    /// `method`, `test` and `level` as model options.
    func modelOptions() throws -> RandomEffectsOptions {
        guard let code = stringOption("method"), let estimator = TauSquaredEstimator(code: code) else {
            throw BankCaseError(description: "unknown method '\(stringOption("method") ?? "")'")
        }
        guard let testCode = stringOption("test"), let test = CoefficientTest(rawValue: testCode) else {
            throw BankCaseError(description: "unknown test '\(stringOption("test") ?? "")'")
        }
        var options = RandomEffectsOptions(estimator: estimator, test: test)
        if let level = numberOption("level") { options.level = level }
        return options
    }

    /// The moderators of `options.mods` (an additive R formula such as `~ ablat + year`), factors as listed
    /// in `options.categorical_levels`.
    func moderators() throws -> [Moderator] {
        guard let formula = stringOption("mods"), formula.hasPrefix("~") else {
            throw BankCaseError(description: "no mods formula")
        }
        let factors = Set(option("categorical_levels")?.objectValue?.map(\.0) ?? [])
        return formula.dropFirst().split(separator: "+").map { term in
            let column = term.trimmingCharacters(in: .whitespaces)
            return Moderator(column: column, coding: factors.contains(column) ? .categorical : .continuous)
        }
    }
}
