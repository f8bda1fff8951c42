/// How the pooled estimate is tested and its confidence interval formed; raw values are metafor's `test` codes.
public enum CoefficientTest: String, CaseIterable, Sendable, Codable {
    /// Wald test with the standard normal distribution.
    case z
    /// Wald-type statistic referred to a t distribution with k − p degrees of freedom, no rescaling.
    case t
    /// Knapp & Hartung (2003) / Hartung & Knapp (2001): variance scaled by s²_w = Q_w/(k − p), t(k − p).
    case knha
    /// Knapp–Hartung with the ad hoc floor max(1, s²_w) (Knapp & Hartung 2003, section 4; Jackson et al. 2017).
    case adhoc

    /// Whether the statistic is referred to a t distribution.
    public var usesTDistribution: Bool { self != .z }

    public var displayName: String {
        switch self {
        case .z: return "standard normal"
        case .t: return "Student t, k − p df"
        case .knha: return "Knapp–Hartung (t, k − p df)"
        case .adhoc: return "Knapp–Hartung with ad hoc max(1, s²w) (t, k − p df)"
        }
    }
}
