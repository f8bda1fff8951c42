import MetaAnalysis
import MetaReport

/// `subgroup` cases: escalc (or the CSV's yi/vi), `SubgroupAnalysis.fit` on `options.group_var`, rendered by the
/// same JSON renderer as `metaswift pool --subgroup`. The bank's R code names the factor `g` (coefficients
/// `g<level>`), so the runner passes that factor name.
enum SubgroupRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        let sizes = try c.effectSizes()
        let measure = try c.effectMeasure
        var options = try c.modelOptions()
        // The bank holds only metafor's default-converged fits for these cases (no expected_tight): iterate with
        // metafor's stopping rule (|Δτ²| < threshold = 1e-5, at most 100 iterations) so both stop at the same
        // point of the same Fisher-scoring path (bank README, "compare with expected only if you reproduce
        // metafor's iteration").
        if c.expectedTight == nil { options.control = .metaforDefault }
        guard let column = c.stringOption("group_var") else { throw BankCaseError(description: "no group_var") }
        let rows = sizes.availableIndices
        let labels = try c.table.strings(column, neededBy: "the subgroups")
        let analysis = try SubgroupAnalysis.fit(
            effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] },
            groups: rows.map { labels[$0] }, groupColumn: column, factorName: "g",
            studies: rows.map { sizes.studies[$0] }, options: options)
        return SubgroupReport(analysis: analysis, measureCode: measure.rawValue).jsonValue()
    }
}
