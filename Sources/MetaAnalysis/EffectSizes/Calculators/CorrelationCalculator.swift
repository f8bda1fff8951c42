#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// COR and ZCOR from correlations and sample sizes (`ri, ni`):
///
///     COR:  yi = r,          vi = (1 − r²)²/(n − 1)
///     ZCOR: yi = atanh r,    vi = 1/(n − 3)
///
/// (Fisher 1921; Borenstein et al. 2009, *Introduction to Meta-Analysis*, ch. 6.)
enum CorrelationCalculator {
    static func compute(_ input: EscalcInput) throws(InputError) -> CalculatedEffects {
        let r = try input.column(.ri), n = try input.column(.ni)
        try input.requireOpenInterval(r, -1, 1, "a correlation strictly between -1 and 1")
        if input.measure == .fisherZ {
            try input.requireAtLeast(n, 4, "a sample size ≥ 4 (ZCOR's variance is 1/(n − 3))")
        } else {
            try input.requireAtLeast(n, 2, "a sample size ≥ 2")
        }
        var out = CalculatedEffects(count: input.rowCount)
        for i in 0..<input.rowCount {
            if input.measure == .fisherZ {
                out.yi[i] = atanh(r[i])
                out.vi[i] = 1 / (n[i] - 3)
            } else {
                let s = 1 - r[i] * r[i]
                out.yi[i] = r[i]
                out.vi[i] = s * s / (n[i] - 1)
            }
        }
        return out
    }
}
