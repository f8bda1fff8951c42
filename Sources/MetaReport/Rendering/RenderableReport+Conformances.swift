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

/// What `rates` prints: the rate analysis and the run's provenance (JSON).
public struct RateReport: RenderableReport {
    public var analysis: RateAnalysis
    public var provenance: Provenance?

    public init(analysis: RateAnalysis, provenance: Provenance? = nil) {
        self.analysis = analysis
        self.provenance = provenance
    }

    public func jsonValue() -> JSONValue { analysis.jsonValue(provenance: provenance) }
    public func csvDocument() -> CSVDocument { analysis.csvDocument() }
    public func textReport() -> String { analysis.textReport() }
    public var csvNotes: [String] { analysis.diagnostics.map(\.description) }
}
