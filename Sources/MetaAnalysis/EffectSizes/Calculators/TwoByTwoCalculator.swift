#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// RR, OR, RD, AS and PETO from 2×2 tables: `ai, bi, ci, di`, or `ai, n1i, ci, n2i` (`bi = n1i − ai`,
/// `di = n2i − ci`). With p₁ = ai/n1i and p₂ = ci/n2i (after any continuity correction):
///
///     RR:   yi = log(p₁/p₂),                      vi = 1/ai − 1/n1i + 1/ci − 1/n2i
///     OR:   yi = log(p₁/(1−p₁)) − log(p₂/(1−p₂)), vi = 1/ai + 1/bi + 1/ci + 1/di
///     RD:   yi = p₁ − p₂,                         vi = p₁(1−p₁)/n1i + p₂(1−p₂)/n2i
///     AS:   yi = asin√p₁ − asin√p₂,               vi = 1/(4 n1i) + 1/(4 n2i)
///     PETO: yi = (ai − E)/V, vi = 1/V, E = (ai+ci) n1i/N, V = (ai+ci)(bi+di) n1i n2i / (N²(N−1))
///
/// (Fleiss & Berlin 2009, in *The Handbook of Research Synthesis*, ch. 13; Rücker et al. 2009 for AS;
/// Yusuf et al. 1985 for PETO; metafor's `?escalc`.)
enum TwoByTwoCalculator {
    static func compute(_ input: EscalcInput, options: EscalcOptions, labels: [String]) throws(InputError) -> CalculatedEffects {
        // One validation for escalc and the stratified methods (TwoByTwoTable+Reading).
        let tables = try TwoByTwoTable.read(input)
        let k = tables.count
        let hasZero = tables.map { $0.a == 0 || $0.b == 0 || $0.c == 0 || $0.d == 0 }
        let doubleZero = tables.map { ($0.a == 0 && $0.c == 0) || ($0.b == 0 && $0.d == 0) }
        let plan = ContinuityCorrectionPlan(hasZero: hasZero, doubleZero: doubleZero, options: options, labels: labels)
        var out = CalculatedEffects(plan: plan)
        for i in 0..<k where !plan.dropped[i] {
            let add = plan.amount(i)
            let t = tables[i]
            let (yi, vi) = effect(input.measure, a: t.a + add, b: t.b + add, c: t.c + add, d: t.d + add)
            out.yi[i] = yi
            out.vi[i] = vi
        }
        return out
    }

    static func effect(_ measure: EffectMeasure, a: Double, b: Double, c: Double, d: Double) -> (Double, Double) {
        let n1 = a + b, n2 = c + d
        let p1 = a / n1, p2 = c / n2
        switch measure {
        case .logRiskRatio:
            return (log(p1 / p2), 1 / a - 1 / n1 + 1 / c - 1 / n2)
        case .logOddsRatio:
            return (log(p1 / (1 - p1)) - log(p2 / (1 - p2)), 1 / a + 1 / b + 1 / c + 1 / d)
        case .riskDifference:
            return (p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        case .arcsineRiskDifference:
            return (asin(p1.squareRoot()) - asin(p2.squareRoot()), 1 / (4 * n1) + 1 / (4 * n2))
        case .petoLogOddsRatio:
            let n = n1 + n2
            let events = a + c, nonEvents = b + d
            let expected = events * n1 / n
            let v = events * nonEvents * (n1 / n) * (n2 / n) / (n - 1)
            return ((a - expected) / v, 1 / v)
        default:
            preconditionFailure("\(measure) is not a 2×2 measure")
        }
    }
}
