import MetaAnalysis

/// How the data bear on one of the review's claims.
public enum ClaimVerdict: String, CaseIterable, Sendable, Codable {
    case supported
    case partlySupported = "partly supported"
    case notSupported = "not supported"
    case notTestable = "not testable"
}
