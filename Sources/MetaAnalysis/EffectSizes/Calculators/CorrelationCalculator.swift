#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// COR, ZCOR and UCOR from correlations and sample sizes (`ri, ni`):
///
///     COR:  yi = r,          vi = (1 − r²)²/(n − 1)
///     ZCOR: yi = atanh r,    vi = 1/(n − 3)
///     UCOR: yi = u = r ₂F₁(½, ½; (n − 2)/2; 1 − r²),  vi = (1 − u²)²/(n − 1)   (Olkin & Pratt 1958)
///
/// (Fisher 1921; Borenstein et al. 2009, *Introduction to Meta-Analysis*, ch. 6.) Other variances (`vtype`):
/// COR AV, UCOR AV: the LS formula with the sample-size weighted mean r̄ = Σ nᵢ yᵢ/Σ nᵢ in place of r (u);
/// COR H0: (1 − r²)/(n − 2); COR H0b: 1/n; UCOR UB: u² − (1 − (n − 3)/(n − 2)(1 − r²) ₂F₁(1, 1; n/2; 1 − r²))
/// (Hedges 1989, the unbiased estimator of the variance of u).
enum CorrelationCalculator {
    static func compute(_ input: EscalcInput, vtype: VarianceType) throws(InputError) -> CalculatedEffects {
        let r = try input.column(.ri), n = try input.column(.ni)
        let measure = input.measure
        try input.requireOpenInterval(r, -1, 1, "a correlation strictly between -1 and 1")
        switch measure {
        case .fisherZ: try input.requireAtLeast(n, 4, "a sample size ≥ 4 (ZCOR's variance is 1/(n − 3))")
        case .unbiasedCorrelation: try input.requireAtLeast(n, 5, "a sample size ≥ 5 (UCOR needs ₂F₁(·; (n − 2)/2; ·) and n − 4 > 0)")
        default: try input.requireAtLeast(n, vtype == .underNull ? 3 : 2, vtype == .underNull ? "a sample size ≥ 3" : "a sample size ≥ 2")
        }
        var out = CalculatedEffects(count: input.rowCount)
        for i in 0..<input.rowCount {
            let ri = r[i], ni = n[i]
            switch measure {
            case .fisherZ:
                out.yi[i] = atanh(ri)
                out.vi[i] = 1 / (ni - 3)
            case .unbiasedCorrelation:
                let z = 1 - ri * ri
                let u = ri == 0 ? 0 : ri * hypergeometric2F1(0.5, 0.5, (ni - 2) / 2, z)
                out.yi[i] = u
                if vtype == .unbiased {
                    out.vi[i] = u * u - (1 - (ni - 3) / (ni - 2) * z * hypergeometric2F1(1, 1, ni / 2, z))
                } else {
                    out.vi[i] = (1 - u * u) * (1 - u * u) / (ni - 1)
                }
            default:
                out.yi[i] = ri
                let s = 1 - ri * ri
                switch vtype {
                case .underNull: out.vi[i] = s / (ni - 2)
                case .underNullSimple: out.vi[i] = 1 / ni
                default: out.vi[i] = s * s / (ni - 1)
                }
            }
        }
        if vtype == .averaged {
            var sumN = 0.0, sumNY = 0.0
            for i in 0..<input.rowCount where out.yi[i].isFinite {
                sumN += n[i]
                sumNY += n[i] * out.yi[i]
            }
            let mean = sumNY / sumN, s = 1 - mean * mean
            for i in 0..<input.rowCount { out.vi[i] = s * s / (n[i] - 1) }
        }
        return out
    }
}
