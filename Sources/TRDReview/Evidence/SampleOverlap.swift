import MetaAnalysis

/// How sure the overlap with other reports of a `sample_group` is (`overlap` in `studies.csv`).
public enum SampleOverlap: String, CaseIterable, Sendable, Codable {
    case none, confirmed, likely, possible
}
