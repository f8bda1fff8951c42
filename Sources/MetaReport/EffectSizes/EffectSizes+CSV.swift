import MetaData
import MetaAnalysis

extension EffectSizes {
    /// The input columns of `data` followed by `yi, vi, sei, zi, pval, ci_lb, ci_ub` (NA where not available),
    /// one row per study. An input column with one of those names is replaced by the computed one.
    public func csvDocument(appendingTo data: DataTable) -> CSVDocument {
        precondition(data.rowCount == count, "the table must be the one the effect sizes were computed from")
        let ci = confidenceInterval()
        let computed: [(String, [Double])] = [
            ("yi", yi), ("vi", vi), ("sei", sei), ("zi", zi), ("pval", pval), ("ci_lb", ci.lower), ("ci_ub", ci.upper),
        ]
        let computedNames = Set(computed.map(\.0))
        let kept = data.columnNames.filter { !computedNames.contains($0) }
        let inputColumns = kept.map { (try? data.strings($0, neededBy: "CSV output")) ?? [] }
        var document = CSVDocument(header: kept + computed.map(\.0))
        for i in 0..<count {
            document.rows.append(inputColumns.map { $0[i] } + computed.map { NumberFormat.shortest($0.1[i]) })
        }
        return document
    }
}
