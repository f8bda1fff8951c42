#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// MPRD, MPRR, MPOR, MPORC and MPPETO from a paired 2×2 table: `ai` pairs with the event under both conditions,
/// `bi` only under condition 1, `ci` only under condition 2, `di` under neither (n = ai + bi + ci + di; the
/// marginal proportions p₁ = (ai + bi)/n, p₂ = (ai + ci)/n):
///
///     MPRD:   yi = (bi − ci)/n,          vi = (bi + ci − (bi − ci)²/n)/n²
///     MPRR:   yi = log(p₁/p₂),           vi = (bi + ci)/((ai + bi)(ai + ci))
///     MPOR:   yi = logit p₁ − logit p₂,  vi = (1/(p₁q₁) + 1/(p₂q₂) − 2(p₁₁p₂₂ − p₁₂p₂₁)/(p₁q₁p₂q₂))/n
///     MPORC:  yi = log(bi/ci),           vi = 1/bi + 1/ci
///     MPPETO: yi = (bi − ci)/((bi + ci)/2), vi = 4/(bi + ci)   (Peto's O − E over V, with E = V·2 = (bi + ci)/2)
///
/// with p₁₁ = ai/n, p₁₂ = bi/n, p₂₁ = ci/n, p₂₂ = di/n (Fleiss, Levin & Paik 2003, ch. 13; Becker & Balagtas 1993
/// for MPOR; metafor's `?escalc`). A table with a zero cell gets `add` in every cell under `to = only0`.
enum MatchedPairsCalculator {
    static func compute(_ input: EscalcInput, options: EscalcOptions, labels: [String]) throws(InputError) -> CalculatedEffects {
        let a = try input.column(.ai), b = try input.column(.bi), c = try input.column(.ci), d = try input.column(.di)
        for column in [a, b, c, d] { try input.requireNonNegative(column, "a count of pairs ≥ 0") }
        for i in 0..<input.rowCount where a[i] + b[i] + c[i] + d[i] <= 0 {
            throw .inconsistent(row: i + 1, columns: [a.name, b.name, c.name, d.name], rule: "the table has no pairs")
        }
        let k = input.rowCount
        let hasZero = (0..<k).map { a[$0] == 0 || b[$0] == 0 || c[$0] == 0 || d[$0] == 0 }
        let plan = ContinuityCorrectionPlan(hasZero: hasZero, doubleZero: nil, options: options, labels: labels)
        var out = CalculatedEffects(plan: plan)
        for i in 0..<k {
            let add = plan.amount(i)
            (out.yi[i], out.vi[i]) = effect(input.measure, a: a[i] + add, b: b[i] + add, c: c[i] + add, d: d[i] + add)
        }
        return out
    }

    static func effect(_ measure: EffectMeasure, a: Double, b: Double, c: Double, d: Double) -> (Double, Double) {
        let n = a + b + c + d
        switch measure {
        case .matchedPairsRiskDifference:
            return ((b - c) / n, (b + c - (b - c) * (b - c) / n) / (n * n))
        case .matchedPairsLogRiskRatio:
            return (log((a + b) / (a + c)), (b + c) / ((a + b) * (a + c)))
        case .matchedPairsLogOddsRatio:
            let p1 = (a + b) / n, p2 = (a + c) / n
            let v1 = p1 * (1 - p1), v2 = p2 * (1 - p2)
            let covariance = (a * d - b * c) / (n * n)
            return (log(p1 / (1 - p1)) - log(p2 / (1 - p2)), (1 / v1 + 1 / v2 - 2 * covariance / (v1 * v2)) / n)
        case .matchedPairsConditionalLogOddsRatio:
            return (log(b / c), 1 / b + 1 / c)
        case .matchedPairsPetoLogOddsRatio:
            return (2 * (b - c) / (b + c), 4 / (b + c))
        default:
            preconditionFailure("\(measure) is not a matched-pairs measure")
        }
    }
}
