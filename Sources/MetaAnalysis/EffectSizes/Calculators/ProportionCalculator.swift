#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// PR, PLN, PLO, PAS and PFT from events and group sizes (`xi, ni`, or `xi, mi` with `ni = xi + mi`).
/// With p = xi/ni (after any continuity correction, which adds `add` to both xi and mi):
///
///     PR:  yi = p,                  vi = p(1−p)/ni
///     PLN: yi = log p,              vi = 1/xi − 1/ni
///     PLO: yi = log(p/(1−p)),       vi = 1/xi + 1/mi
///     PAS: yi = asin √p,            vi = 1/(4 ni)
///     PFT: yi = ½(asin √(xi/(ni+1)) + asin √((xi+1)/(ni+1))),  vi = 1/(4 ni + 2)
///     PRZ: yi = Φ⁻¹(p) = z,         vi = 2π p(1−p) exp(z²)/ni
///
/// Other variances (`vtype`): UB (PR) p(1−p)/(ni − 1); AV (PR, PLN, PLO) the LS formula with the proportion pooled
/// over all studies, p̄ = Σxi/Σni, in place of p: p̄(1−p̄)/ni, (1−p̄)/(ni p̄), 1/(ni p̄(1−p̄)).
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
            (out.yi[i], out.vi[i]) = effect(input.measure, events: x[i] + plan.amount(i), nonEvents: nonEvents[i] + plan.amount(i))
            if options.vtype == .unbiased {
                let n = x[i] + nonEvents[i] + 2 * plan.amount(i), p = (x[i] + plan.amount(i)) / n
                out.vi[i] = p * (1 - p) / (n - 1)
            }
        }
        if options.vtype == .averaged {
            var events = 0.0, total = 0.0
            for i in 0..<k where out.yi[i].isFinite {
                events += x[i] + plan.amount(i)
                total += x[i] + nonEvents[i] + 2 * plan.amount(i)
            }
            let p = events / total
            for i in 0..<k {
                let n = x[i] + nonEvents[i] + 2 * plan.amount(i)
                switch input.measure {
                case .logProportion: out.vi[i] = (1 - p) / (n * p)
                case .logitProportion: out.vi[i] = 1 / (n * p * (1 - p))
                default: out.vi[i] = p * (1 - p) / n
                }
            }
        }
        return out
    }

    /// One study's (yi, vi) from its (already corrected) events and non-events.
    static func effect(_ measure: EffectMeasure, events: Double, nonEvents rest: Double) -> (Double, Double) {
        let n = events + rest
        let p = events / n
        switch measure {
        case .proportion:
            return (p, p * (1 - p) / n)
        case .logProportion:
            return (log(p), 1 / events - 1 / n)
        case .logitProportion:
            return (log(p / (1 - p)), 1 / events + 1 / rest)
        case .arcsineProportion:
            return (asin(p.squareRoot()), 1 / (4 * n))
        case .freemanTukeyProportion:
            return (0.5 * (asin((events / (n + 1)).squareRoot()) + asin(((events + 1) / (n + 1)).squareRoot())), 1 / (4 * n + 2))
        case .probitProportion:
            let z = Normal.quantile(p)
            return (z, 2 * Double.pi * p * (1 - p) * exp(z * z) / n)
        default:
            preconditionFailure("\(measure) is not a proportion measure")
        }
    }
}
