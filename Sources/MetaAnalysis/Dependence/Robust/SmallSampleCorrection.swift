/// The small-sample correction of a cluster-robust (sandwich) covariance matrix; raw values are the codes of
/// metafor's `robust()` and clubSandwich.
public enum SmallSampleCorrection: String, CaseIterable, Sendable {
    /// No correction (metafor `robust(adjust = FALSE)`); t and F tests with m − p df.
    case cr0 = "CR0"
    /// The sandwich times m/(m − p), m clusters (metafor's default `robust(adjust = TRUE)`); m − p df.
    case cr1 = "CR1"
    /// Bias-reduced linearization (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018) with Satterthwaite df per
    /// coefficient and the HTZ Wald test (Tipton & Pustejovsky 2015), as clubSandwich (`robust(clubSandwich = TRUE)`).
    case cr2 = "CR2"
}
