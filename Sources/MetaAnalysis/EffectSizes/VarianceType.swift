/// How sampling variances are estimated (metafor's `vtype`; escalc's documentation, "Details" by measure).
/// The large-sample variances are the default everywhere; the others exist only for the measures listed in
/// `available(for:)`.
public enum VarianceType: String, CaseIterable, Sendable, Codable {
    /// The usual large-sample approximations (`"LS"`).
    case largeSample = "LS"
    /// SMD: unbiased estimates of the sampling variances (Hedges 1983, eq. 9).
    case unbiased = "UB"
    /// SMD: the large-sample variance of Cohen's d scaled by c(m)² (Borenstein 2009, eq. 12.17).
    case largeSampleBorenstein = "LS2"
    /// SMD: the large-sample formula with the sample-size weighted average of the g values plugged in.
    case averaged = "AV"
    /// MD: assuming equal variances in the two groups (Borenstein 2009, eq. 12.3).
    case homoscedastic = "HO"

    /// The variance types metafor documents for `measure` (at least `LS`).
    public static func available(for measure: EffectMeasure) -> [VarianceType] {
        switch measure {
        case .standardizedMeanDifference: return [.largeSample, .unbiased, .largeSampleBorenstein, .averaged]
        case .meanDifference: return [.largeSample, .homoscedastic]
        default: return [.largeSample]
        }
    }
}
