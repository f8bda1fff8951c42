#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// MN, SMN, SDLN, MNLN and CVLN from one group's mean, SD and size (`mi, sdi, ni`), with c = c(n − 1) the exact
/// bias correction (`hedgesCorrection`) and b = 1/(2(n − 1)) the bias correction of log sd (both dropped with
/// `correct = false`):
///
///     MN:   yi = m,                 vi = sd²/n   (HO: the SD pooled over studies, Σ(n−1)sd²/Σ(n−1), in place of sd)
///     SMN:  yi = c m/sd,            vi = 1/n + yi²/(2n)
///     SDLN: yi = log sd + b,        vi = 1/(2(n − 1))
///     MNLN: yi = log m,             vi = sd²/(n m²)
///     CVLN: yi = log(sd/m) + b,     vi = 1/(2(n − 1)) + sd²/(n m²)
///
/// (Nakagawa et al. 2015, Methods Ecol Evol 6:143–152; Bartlett & Kendall 1946 for log sd; metafor's `?escalc`.)
/// SDLN does not read `mi`.
enum SingleGroupContinuousCalculator {
    static func compute(_ input: EscalcInput, options: EscalcOptions) throws(InputError) -> CalculatedEffects {
        let measure = input.measure
        let n = try input.column(.ni), sd = try input.column(.sdi)
        let m = measure == .logStandardDeviation ? sd : try input.column(.mi)
        if measure == .mean {
            try input.requireNonNegative(sd, "a standard deviation ≥ 0")
        } else {
            try input.requirePositive(sd, "a standard deviation > 0")
        }
        switch measure {
        case .mean, .logMean: try input.requireAtLeast(n, 1, "a group size ≥ 1")
        default: try input.requireAtLeast(n, 2, "a group size ≥ 2 (\(measure.rawValue) needs n − 1 > 0)")
        }
        if measure == .logMean || measure == .logCoefficientOfVariation {
            try input.requirePositive(m, "a mean > 0 (\(measure.rawValue) takes its log)")
        }
        var out = CalculatedEffects(count: input.rowCount)
        var pooledVariance = 0.0
        if measure == .mean && options.vtype == .homoscedastic {
            var num = 0.0, den = 0.0
            for i in 0..<input.rowCount {
                num += (n[i] - 1) * sd[i] * sd[i]
                den += n[i] - 1
            }
            pooledVariance = num / den
        }
        for i in 0..<input.rowCount {
            let mi = m[i], si = sd[i], ni = n[i]
            let logBias = options.correct ? 1 / (2 * (ni - 1)) : 0
            switch measure {
            case .mean:
                out.yi[i] = mi
                out.vi[i] = (options.vtype == .homoscedastic ? pooledVariance : si * si) / ni
            case .standardizedMean:
                let y = (options.correct ? hedgesCorrection(ni - 1) : 1) * mi / si
                out.yi[i] = y
                out.vi[i] = 1 / ni + y * y / (2 * ni)
            case .logStandardDeviation:
                out.yi[i] = log(si) + logBias
                out.vi[i] = 1 / (2 * (ni - 1))
            case .logMean:
                out.yi[i] = log(mi)
                out.vi[i] = si * si / (ni * mi * mi)
            case .logCoefficientOfVariation:
                out.yi[i] = log(si / mi) + logBias
                out.vi[i] = 1 / (2 * (ni - 1)) + si * si / (ni * mi * mi)
            default:
                preconditionFailure("\(measure) is not a single-group continuous measure")
            }
        }
        return out
    }
}
