#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// Incidence-rate measures from event counts and person-time.
///
/// Two groups (`x1i, t1i, x2i, t2i`), rates r₁ = x1/t1 and r₂ = x2/t2:
///
///     IRR:  yi = log(r₁/r₂),  vi = 1/x1 + 1/x2
///     IRD:  yi = r₁ − r₂,     vi = x1/t1² + x2/t2²
///     IRSD: yi = √r₁ − √r₂,   vi = 1/(4 t1) + 1/(4 t2)
///
/// One group (`xi, ti`):
///
///     IRLN: yi = log(x/t),    vi = 1/x
///     IR:   yi = x/t,         vi = x/t²
///     IRS:  yi = √(x/t),      vi = 1/(4t)
///     IRFT: yi = (√(x/t) + √((x + 1)/t))/2,  vi = 1/(4t)   (Freeman & Tukey 1950)
///
/// (Rothman, Greenland & Lash 2008, *Modern Epidemiology*, ch. 14; metafor's `?escalc`.) The continuity
/// correction adds `add` to the event counts only; a two-group study with no events in both groups is a
/// double-zero study for `drop00`.
enum PersonTimeCalculator {
    static func compute(_ input: EscalcInput, options: EscalcOptions, labels: [String]) throws(InputError) -> CalculatedEffects {
        let k = input.rowCount
        var out: CalculatedEffects
        if input.measure.family == .personTimeTwoGroup {
            // One validation for escalc and the stratified methods (PersonTimeTable.read).
            let tables = try PersonTimeTable.read(input)
            let x1 = tables.map(\.x1), t1 = tables.map(\.t1), x2 = tables.map(\.x2), t2 = tables.map(\.t2)
            let plan = ContinuityCorrectionPlan(hasZero: (0..<k).map { x1[$0] == 0 || x2[$0] == 0 },
                                                doubleZero: (0..<k).map { x1[$0] == 0 && x2[$0] == 0 },
                                                options: options, labels: labels)
            out = CalculatedEffects(plan: plan)
            for i in 0..<k where !plan.dropped[i] {
                (out.yi[i], out.vi[i]) = twoGroupEffect(input.measure, x1: x1[i] + plan.amount(i), t1: t1[i],
                                                        x2: x2[i] + plan.amount(i), t2: t2[i])
            }
        } else {
            let x = try input.column(.xi), t = try input.column(.ti)
            try input.requireNonNegative(x)
            try input.requirePositive(t, "a person-time > 0")
            let plan = ContinuityCorrectionPlan(hasZero: x.values.map { $0 == 0 }, doubleZero: nil,
                                                options: options, labels: labels)
            out = CalculatedEffects(plan: plan)
            for i in 0..<k {
                (out.yi[i], out.vi[i]) = singleGroupEffect(input.measure, x: x[i] + plan.amount(i), t: t[i])
            }
        }
        return out
    }

    /// One two-group study's (yi, vi) from its (already corrected) event counts and person-times.
    static func twoGroupEffect(_ measure: EffectMeasure, x1: Double, t1: Double, x2: Double, t2: Double) -> (Double, Double) {
        switch measure {
        case .logIncidenceRateRatio: return (log(x1 / t1) - log(x2 / t2), 1 / x1 + 1 / x2)
        case .squareRootIncidenceRateDifference: return ((x1 / t1).squareRoot() - (x2 / t2).squareRoot(), 1 / (4 * t1) + 1 / (4 * t2))
        default: return (x1 / t1 - x2 / t2, x1 / (t1 * t1) + x2 / (t2 * t2))
        }
    }

    /// One single-group study's (yi, vi) from its (already corrected) event count and person-time.
    static func singleGroupEffect(_ measure: EffectMeasure, x: Double, t: Double) -> (Double, Double) {
        switch measure {
        case .logIncidenceRate: return (log(x / t), 1 / x)
        case .squareRootIncidenceRate: return ((x / t).squareRoot(), 1 / (4 * t))
        case .freemanTukeyIncidenceRate: return (((x / t).squareRoot() + ((x + 1) / t).squareRoot()) / 2, 1 / (4 * t))
        default: return (x / t, x / (t * t))
        }
    }
}
