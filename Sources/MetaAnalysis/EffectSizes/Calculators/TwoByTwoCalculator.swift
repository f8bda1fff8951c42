#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let a = try input.column(.ai)
        let c = try input.column(.ci)
        let b = try groupComplement(input, cell: .bi, events: a, total: .n1i)
        let d = try groupComplement(input, cell: .di, events: c, total: .n2i)
        let k = input.rowCount
        for i in 0..<k {
            if a[i] + b[i] <= 0 { throw .inconsistent(row: i + 1, columns: [a.name, b.name], rule: "group 1 has no participants") }
            if c[i] + d[i] <= 0 { throw .inconsistent(row: i + 1, columns: [c.name, d.name], rule: "group 2 has no participants") }
        }
        let hasZero = (0..<k).map { a[$0] == 0 || b[$0] == 0 || c[$0] == 0 || d[$0] == 0 }
        let doubleZero = (0..<k).map { (a[$0] == 0 && c[$0] == 0) || (b[$0] == 0 && d[$0] == 0) }
        let plan = ContinuityCorrectionPlan(hasZero: hasZero, doubleZero: doubleZero, options: options, labels: labels)
        var out = CalculatedEffects(plan: plan)
        for i in 0..<k where !plan.dropped[i] {
            let add = plan.amount(i)
            let (yi, vi) = effect(input.measure, a: a[i] + add, b: b[i] + add, c: c[i] + add, d: d[i] + add)
            out.yi[i] = yi
            out.vi[i] = vi
        }
        return out
    }

    /// The non-event cell: read directly, or as group size minus events.
    private static func groupComplement(_ input: EscalcInput, cell: EscalcArgument, events: EscalcColumn,
                                        total: EscalcArgument) throws(InputError) -> EscalcColumn {
        try input.requireNonNegative(events)
        if input.has(cell) {
            let column = try input.column(cell)
            try input.requireNonNegative(column)
            return column
        }
        let n = try input.either(cell, or: total)
        try input.requireNonNegative(n, "a group size ≥ 0")
        try input.requireEvents(events, notAbove: n)
        return EscalcColumn(argument: cell, name: n.name, values: zip(n.values, events.values).map { $0 - $1 })
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
