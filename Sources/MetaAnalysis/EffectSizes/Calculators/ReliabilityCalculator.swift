#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// Cronbach's alpha (`ai`) of a scale with `mi` items given to `ni` people:
///
///     ARAW: yi = α,                   vi = 2m(1 − α)²/((m − 1)(n − 2))
///     AHW:  yi = 1 − (1 − α)^(1/3),   vi = 18m(n − 1)(1 − α)^(2/3)/((m − 1)(9n − 11)²)   (Hakstian & Whalen 1976)
///     ABT:  yi = −log(1 − α),         vi = 2m/((m − 1)(n − 2))                            (Bonett 2002)
///
/// (Bonett 2010, Psychol Methods 15:368–385, for the variances.)
enum ReliabilityCalculator {
    static func compute(_ input: EscalcInput) throws(InputError) -> CalculatedEffects {
        let alpha = try input.column(.ai), m = try input.column(.mi), n = try input.column(.ni)
        try input.requireOpenInterval(alpha, -.infinity, 1, "a Cronbach's alpha below 1")
        try input.requireAtLeast(m, 2, "a number of items ≥ 2")
        try input.requireAtLeast(n, 3, "a sample size ≥ 3")
        var out = CalculatedEffects(count: input.rowCount)
        for i in 0..<input.rowCount {
            let a = alpha[i], mi = m[i], ni = n[i]
            switch input.measure {
            case .rawAlpha:
                out.yi[i] = a
                out.vi[i] = 2 * mi * (1 - a) * (1 - a) / ((mi - 1) * (ni - 2))
            case .hakstianWhalenAlpha:
                let root = cbrt(1 - a)
                out.yi[i] = 1 - root
                out.vi[i] = 18 * mi * (ni - 1) * root * root / ((mi - 1) * (9 * ni - 11) * (9 * ni - 11))
            case .bonettAlpha:
                out.yi[i] = -log(1 - a)
                out.vi[i] = 2 * mi / ((mi - 1) * (ni - 2))
            default:
                preconditionFailure("\(input.measure) is not a reliability measure")
            }
        }
        return out
    }
}
