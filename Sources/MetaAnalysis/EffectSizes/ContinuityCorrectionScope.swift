/// Which studies receive the continuity correction `add` (metafor's `to` argument of `escalc`).
public enum ContinuityCorrectionScope: String, CaseIterable, Sendable, Codable {
    /// Only studies with a zero count (metafor's default).
    case onlyZero = "only0"
    /// Every study.
    case all = "all"
    /// Every study, but only if at least one study has a zero count.
    case allIfAnyZero = "if0all"
    /// No study.
    case none = "none"
}
