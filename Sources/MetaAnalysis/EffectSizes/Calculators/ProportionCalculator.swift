#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PR, PLN, PLO, PAS and PFT from events and group sizes (`xi, ni`, or `xi, mi` with `ni = xi + mi`).
/// With p = xi/ni (after any continuity correction, which adds `add` to both xi and mi):
///
///     PR:  yi = p,                  vi = p(1−p)/ni
///     PLN: yi = log p,              vi = 1/xi − 1/ni
///     PLO: yi = log(p/(1−p)),       vi = 1/xi + 1/mi
///     PAS: yi = asin √p,            vi = 1/(4 ni)
///     PFT: yi = ½(asin √(xi/(ni+1)) + asin √((xi+1)/(ni+1))),  vi = 1/(4 ni + 2)
///
/// (Freeman & Tukey 1950 for PFT; metafor's `?escalc`.) A study has a "zero" when xi = 0 or xi = ni.
enum ProportionCalculator {
    static func compute(_ input: EscalcInput, options: EscalcOptions, labels: [String]) throws(InputError) -> CalculatedEffects {
        let x = try input.column(.xi)
        try input.requireNonNegative(x)
        let nonEvents: [Double]
        let sizes = try input.either(.ni, or: .mi)
        if sizes.argument == .ni {
            let n = sizes
            try input.requireAtLeast(n, 1, "a group size ≥ 1")
            try input.requireEvents(x, notAbove: n)
            nonEvents = zip(n.values, x.values).map { $0 - $1 }
        } else {
            let m = sizes
            try input.requireNonNegative(m)
            for i in 0..<m.values.count where x[i] + m[i] <= 0 {
                throw .inconsistent(row: i + 1, columns: [x.name, m.name], rule: "the group has no participants")
            }
            nonEvents = m.values
        }
        let k = input.rowCount
        let hasZero = (0..<k).map { x[$0] == 0 || nonEvents[$0] == 0 }
        let plan = ContinuityCorrectionPlan(hasZero: hasZero, doubleZero: nil, options: options, labels: labels)
        var out = CalculatedEffects(plan: plan)
        for i in 0..<k {
            let events = x[i] + plan.amount(i), rest = nonEvents[i] + plan.amount(i)
            let n = events + rest
            let p = events / n
            switch input.measure {
            case .proportion:
                out.yi[i] = p
                out.vi[i] = p * (1 - p) / n
            case .logProportion:
                out.yi[i] = log(p)
                out.vi[i] = 1 / events - 1 / n
            case .logitProportion:
                out.yi[i] = log(p / (1 - p))
                out.vi[i] = 1 / events + 1 / rest
            case .arcsineProportion:
                out.yi[i] = asin(p.squareRoot())
                out.vi[i] = 1 / (4 * n)
            case .freemanTukeyProportion:
                out.yi[i] = 0.5 * (asin((events / (n + 1)).squareRoot()) + asin(((events + 1) / (n + 1)).squareRoot()))
                out.vi[i] = 1 / (4 * n + 2)
            default:
                preconditionFailure("\(input.measure) is not a proportion measure")
            }
        }
        return out
    }
}
