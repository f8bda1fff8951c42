#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// Standard errors recovered from reported confidence intervals, for studies that give an estimate and its
/// interval but no variance (Cochrane Handbook v6.4, §6.3.1 and §6.5.2.3; Altman & Bland 2011, BMJ 343:d2304).
public enum ConfidenceIntervalConversion {
    /// SE = (upper − lower) / (2 z), z = Φ⁻¹(1 − α/2) for a `level`% normal-theory interval (3.92 = 2 × 1.96
    /// at 95%). For an interval computed from a t distribution pass its `degreesOfFreedom` (n − 1 for one
    /// group's mean, n₁ + n₂ − 2 for a small trial's mean difference; Cochrane Handbook §6.5.2.2–6.5.2.3), or
    /// `criticalValue` to use a given one (e.g. 1.96 to reproduce a hand calculation).
    /// - Throws: `InputError.invalidOption` if the limits are not finite and ordered or the level is not in (0, 100).
    public static func standardError(lower: Double, upper: Double, level: Double = 95, degreesOfFreedom: Double? = nil,
                                     criticalValue: Double? = nil) throws(InputError) -> Double {
        guard lower.isFinite, upper.isFinite, lower < upper else {
            throw .invalidOption(name: "confidence interval", value: "\(lower) to \(upper)", expected: "finite limits with lower < upper")
        }
        return (upper - lower) / (2 * (try critical(level: level, degreesOfFreedom: degreesOfFreedom, criticalValue)))
    }

    /// SE of an estimate reported with its two-sided p-value: SE = |estimate| / q, q the (1 − p/2) quantile of
    /// the normal distribution, or of Student's t with `degreesOfFreedom` when the test was a t test
    /// (Cochrane Handbook §6.5.2.3; Altman & Bland 2011, BMJ 343:d2090, with the exact quantile instead of
    /// their approximation). For a ratio pass its logarithm.
    /// - Throws: `InputError.invalidOption` unless 0 < p < 1 and the estimate is finite and non-zero.
    public static func standardError(estimate: Double, pValue: Double, degreesOfFreedom: Double? = nil) throws(InputError) -> Double {
        guard pValue > 0, pValue < 1 else {
            throw .invalidOption(name: "p-value", value: String(pValue), expected: "a two-sided p-value strictly between 0 and 1")
        }
        guard estimate.isFinite, estimate != 0 else {
            throw .invalidOption(name: "estimate", value: String(estimate), expected: "a finite non-zero estimate")
        }
        return abs(estimate) / (try quantile(1 - pValue / 2, degreesOfFreedom: degreesOfFreedom))
    }

    /// A ratio (risk, odds, hazard or rate ratio) reported with its interval, on the log scale:
    /// yi = log(ratio), SE = (log upper − log lower) / (2 z) (Altman & Bland 2011, BMJ 343:d2304, box (b)).
    /// - Throws: `InputError.invalidOption` unless 0 < lower ≤ ratio ≤ upper.
    public static func logRatio(_ ratio: Double, lower: Double, upper: Double, level: Double = 95,
                                criticalValue: Double? = nil) throws(InputError) -> (yi: Double, sei: Double) {
        // Ratios' intervals come from normal theory on the log scale, so no t option here.
        guard ratio > 0, lower > 0, lower <= ratio, ratio <= upper, upper.isFinite else {
            throw .invalidOption(name: "ratio", value: "\(ratio) (\(lower) to \(upper))", expected: "a ratio inside its interval, all > 0")
        }
        let se = try standardError(lower: log(lower), upper: log(upper), level: level, criticalValue: criticalValue)
        return (log(ratio), se)
    }

    static func critical(level: Double, degreesOfFreedom: Double? = nil, _ criticalValue: Double?) throws(InputError) -> Double {
        if let criticalValue {
            guard criticalValue > 0, criticalValue.isFinite else {
                throw .invalidOption(name: "critical value", value: String(criticalValue), expected: "a finite number > 0")
            }
            return criticalValue
        }
        let fraction = level > 1 ? level / 100 : level
        guard fraction > 0, fraction < 1 else {
            throw .invalidOption(name: "level", value: String(level), expected: "a confidence level between 0 and 100")
        }
        return try quantile(1 - (1 - fraction) / 2, degreesOfFreedom: degreesOfFreedom)
    }

    /// The normal quantile, or Student's t with `degreesOfFreedom`.
    static func quantile(_ p: Double, degreesOfFreedom: Double?) throws(InputError) -> Double {
        guard let df = degreesOfFreedom else { return Normal.quantile(p) }
        guard df > 0 else {
            throw .invalidOption(name: "degrees of freedom", value: String(df), expected: "a number > 0")
        }
        return StudentT(degreesOfFreedom: df).quantile(p)
    }
}
