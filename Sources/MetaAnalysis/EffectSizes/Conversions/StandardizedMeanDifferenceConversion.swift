import MetaData
import MetaNumerics

/// Hedges' g (metafor's SMD) from what a paper reports instead of group means and SDs.
///
/// Each returns `yi` = c(m)·d, the exact bias correction with m = n₁ + n₂ − 2 (Hedges 1981), and metafor's
/// large-sample variance `vi = 1/n₁ + 1/n₂ + yi²/(2(n₁ + n₂))`, so converted studies sit on the same scale as
/// those computed by `EffectSizes.compute(measure: .standardizedMeanDifference, ...)`.
public enum StandardizedMeanDifferenceConversion {
    /// From an independent-samples (Student) t statistic: d = t·√(1/n₁ + 1/n₂)
    /// (Borenstein et al. 2009, *Introduction to Meta-Analysis*, ch. 7, "computing d from t"; Cochrane Handbook
    /// §6.5.2.3). The sign of `t` is the sign of the difference (group 1 − group 2).
    public static func fromTStatistic(_ t: Double, n1: Double, n2: Double) throws(InputError) -> (yi: Double, vi: Double) {
        guard t.isFinite else { throw .invalidOption(name: "t", value: String(t), expected: "a finite t statistic") }
        try checkSizes(n1, n2)
        return hedges(d: t * (1 / n1 + 1 / n2).squareRoot(), n1: n1, n2: n2)
    }

    /// From the two-sided p-value of an independent-samples t test: t = the (1 − p/2) quantile of Student's t
    /// with n₁ + n₂ − 2 df, then as `fromTStatistic` (Cochrane Handbook §6.5.2.3; metafor's `escalc` with `pi`).
    /// `positive` gives the direction of the difference, which a p-value does not carry.
    public static func fromPValue(_ p: Double, n1: Double, n2: Double, positive: Bool) throws(InputError) -> (yi: Double, vi: Double) {
        guard p > 0, p <= 1 else {
            throw .invalidOption(name: "p-value", value: String(p), expected: "a two-sided p-value in (0, 1]")
        }
        try checkSizes(n1, n2)
        let t = StudentT(degreesOfFreedom: n1 + n2 - 2).quantile(1 - p / 2)
        return try fromTStatistic(positive ? t : -t, n1: n1, n2: n2)
    }

    /// From a raw mean difference and its confidence interval: SE = (upper − lower)/(2 q), the pooled SD
    /// S = SE/√(1/n₁ + 1/n₂), d = MD/S (Cochrane Handbook v6.4, §6.5.2.3). q is the normal quantile, or the t
    /// quantile with n₁ + n₂ − 2 df when `usesTDistribution` (small trials), or `criticalValue` when given.
    public static func fromMeanDifference(_ meanDifference: Double, lower: Double, upper: Double, n1: Double, n2: Double,
                                          level: Double = 95, usesTDistribution: Bool = false,
                                          criticalValue: Double? = nil) throws(InputError) -> (yi: Double, vi: Double) {
        try checkSizes(n1, n2)
        guard lower <= meanDifference, meanDifference <= upper else {
            throw .invalidOption(name: "mean difference", value: "\(meanDifference) (\(lower) to \(upper))", expected: "an estimate inside its interval")
        }
        let se = try ConfidenceIntervalConversion.standardError(lower: lower, upper: upper, level: level,
                                                                degreesOfFreedom: usesTDistribution ? n1 + n2 - 2 : nil,
                                                                criticalValue: criticalValue)
        let pooledSD = se / (1 / n1 + 1 / n2).squareRoot()
        return hedges(d: meanDifference / pooledSD, n1: n1, n2: n2)
    }

    static func hedges(d: Double, n1: Double, n2: Double) -> (yi: Double, vi: Double) {
        let g = hedgesCorrection(n1 + n2 - 2) * d
        return (g, 1 / n1 + 1 / n2 + g * g / (2 * (n1 + n2)))
    }

    static func checkSizes(_ n1: Double, _ n2: Double) throws(InputError) {
        guard n1 >= 2, n2 >= 2, n1.isFinite, n2.isFinite else {
            throw .invalidOption(name: "group sizes", value: "\(n1), \(n2)", expected: "group sizes ≥ 2")
        }
    }
}
