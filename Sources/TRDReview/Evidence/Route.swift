import MetaAnalysis

/// A route of administration (`route` in `Datasets/trd-review/`).
public enum Route: String, CaseIterable, Sendable, Codable {
    case intravenous, intranasal, oral, sublingual, subcutaneous, transcranial
    /// More than one route in one study (refs 40, 78).
    case multiple

    public var displayName: String { rawValue }
}
