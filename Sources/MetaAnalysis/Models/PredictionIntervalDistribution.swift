import MetaNumerics

/// The distribution of the prediction interval's critical value (`--pi`; metafor's `predict(..., pi.type)`).
///
/// PI = ŷ ∓ c · √(SE² + τ̂²), with c the 1 − α/2 quantile of:
public enum PredictionIntervalDistribution: String, Sendable, CaseIterable {
    /// The test's distribution: normal for `z`, t(k − p) for `t`, `knha` and `adhoc` (metafor's default, so that the PI
    /// equals the CI when τ̂² = 0).
    case followsTest = "default"
    /// The standard normal, whatever the test.
    case z
    /// t with k − p degrees of freedom, whatever the test.
    case t
    /// t with k − 2 degrees of freedom for the model without moderators (Riley, Higgins & Deeks 2011, BMJ 342:d549;
    /// metafor's `pi.type = "Riley"`), and k − p − 1 with p coefficients, as metafor 3.8-1 computes it for
    /// meta-regressions. Fewer than one degree of freedom (k = 2 without moderators) is floored at 1, as metafor's
    /// `predict.rma` floors `pi.ddf` (for `t` too).
    case riley

    /// The critical value c for a model with `k` studies, `p` coefficients, level 1 − `alpha` and the test's own
    /// critical value `testCritical`.
    public func criticalValue(studyCount k: Int, coefficientCount p: Int, alpha: Double, testCritical: Double) -> Double {
        switch self {
        case .followsTest: return testCritical
        case .z: return Normal.quantile(1 - alpha / 2)
        case .t, .riley:
            let df = max(1, k - p - (self == .riley ? 1 : 0))
            return StudentT(degreesOfFreedom: Double(df)).quantile(1 - alpha / 2)
        }
    }
}
