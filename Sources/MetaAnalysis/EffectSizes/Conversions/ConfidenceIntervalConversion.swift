#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// Standard errors recovered from reported confidence intervals, for studies that give an estimate and its
/// interval but no variance (Cochrane Handbook v6.4, §6.3.1 and §6.5.2.3; Altman & Bland 2011, BMJ 343:d2304).
public enum ConfidenceIntervalConversion {
    /// SE = (upper − lower) / (2 z), z = Φ⁻¹(1 − α/2) for a `level`% normal-theory interval (3.92 = 2 × 1.96
    /// at 95%). Pass `criticalValue` to use another one, e.g. a t quantile with n₁ + n₂ − 2 df for a small
    /// trial's mean difference (Cochrane Handbook §6.5.2.3), or 1.96 to reproduce a hand calculation.
    /// - Throws: `InputError.invalidOption` if the limits are not finite and ordered or the level is not in (0, 100).
    public static func standardError(lower: Double, upper: Double, level: Double = 95,
                                     criticalValue: Double? = nil) throws(InputError) -> Double {
        guard lower.isFinite, upper.isFinite, lower < upper else {
            throw .invalidOption(name: "confidence interval", value: "\(lower) to \(upper)", expected: "finite limits with lower < upper")
        }
        return (upper - lower) / (2 * (try critical(level: level, criticalValue)))
    }

    /// A ratio (risk, odds, hazard or rate ratio) reported with its interval, on the log scale:
    /// yi = log(ratio), SE = (log upper − log lower) / (2 z) (Altman & Bland 2011, BMJ 343:d2304, box (b)).
    /// - Throws: `InputError.invalidOption` unless 0 < lower ≤ ratio ≤ upper.
    public static func logRatio(_ ratio: Double, lower: Double, upper: Double, level: Double = 95,
                                criticalValue: Double? = nil) throws(InputError) -> (yi: Double, sei: Double) {
        guard ratio > 0, lower > 0, lower <= ratio, ratio <= upper, upper.isFinite else {
            throw .invalidOption(name: "ratio", value: "\(ratio) (\(lower) to \(upper))", expected: "a ratio inside its interval, all > 0")
        }
        let se = try standardError(lower: log(lower), upper: log(upper), level: level, criticalValue: criticalValue)
        return (log(ratio), se)
    }

    static func critical(level: Double, _ criticalValue: Double?) throws(InputError) -> Double {
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
        return Normal.quantile(1 - (1 - fraction) / 2)
    }
}
