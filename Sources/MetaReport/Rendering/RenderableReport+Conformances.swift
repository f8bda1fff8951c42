import MetaData
import MetaAnalysis

extension RandomEffectsReport: RenderableReport {}
extension MetaRegressionReport: RenderableReport {}
extension SubgroupReport: RenderableReport {}

/// What `escalc` prints: the effect sizes with the input they came from (CSV appends the computed columns to
/// the input's) and the run's provenance (JSON).
public struct EffectSizesReport: RenderableReport {
    public var effectSizes: EffectSizes
    public var input: DataTable
    public var provenance: Provenance?

    public init(effectSizes: EffectSizes, input: DataTable, provenance: Provenance? = nil) {
        self.effectSizes = effectSizes
        self.input = input
        self.provenance = provenance
    }

    public func jsonValue() -> JSONValue { effectSizes.jsonValue(provenance: provenance) }
    public func csvDocument() -> CSVDocument { effectSizes.csvDocument(appendingTo: input) }
    public func textReport() -> String { effectSizes.textReport() }
    public var csvNotes: [String] { effectSizes.diagnostics.map(\.description) }
}
