/// How sampling variances are estimated (metafor's `vtype`). Only the large-sample variances are implemented;
/// they are metafor's default and what every downstream model expects.
public enum VarianceType: String, CaseIterable, Sendable, Codable {
    /// The usual large-sample approximations (`"LS"`).
    case largeSample = "LS"
}
