import MetaReport

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
