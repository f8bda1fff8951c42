#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// Measures for paired (pre-post) designs from `m1i, m2i, sd1i, sd2i, ni, ri` (`m1i`/`m2i` the two means, e.g.
/// post and pre; `ri` their correlation). With the SD of the change scores s_d = √(sd1² + sd2² − 2 r sd1 sd2),
/// c(·) the exact bias correction (1 with `correct = false`) and d = yi/c the uncorrected estimate:
///
///     MC:     yi = m1 − m2,                 vi = s_d²/n
///     SMCC:   yi = c(n − 1)(m1 − m2)/s_d,   vi = 1/n + yi²/(2n)                   (Gibbons et al. 1993)
///     SMCR:   yi = c(n − 1)(m1 − m2)/sd1,   vi = 2(1 − r)/n + yi²/(2n)            (Becker 1988; Morris 2008)
///     SMCRH:  SMCR's yi,  vi = s_d²/(sd1² (n − 1)) + yi²/(2(n − 1))              (Bonett 2008)
///     SMCRP:  yi = c(ν)(m1 − m2)/s_p, s_p² = (sd1² + sd2²)/2, ν = 2(n − 1)/(1 + r²),
///             vi = 2(1 − r)/n + yi²(1 + r²)/(4n)                                   (Cousineau 2020)
///     SMCRPH: SMCRP's yi,  vi = s_d²/(s_p² (n − 1)) + yi²(sd1⁴ + sd2⁴ + 2r² sd1² sd2²)/(8 s_p⁴ (n − 1))  (Bonett 2008)
///     ROMC:   yi = log(m1/m2) + (v₁ − v₂)/2,  vi = v₁ + v₂ − 2 r sd1 sd2/(n m1 m2),  vⱼ = sdⱼ²/(n mⱼ²)   (Lajeunesse 2011)
///     VRC:    yi = log(sd1/sd2),            vi = (1 − r²)/(n − 1)
///     CVRC:   yi = log(CV1/CV2) − (v₁ − v₂)/2,  vi = (1 − r²)/(n − 1) + ROMC's vi
///     CLESCN, AUCCN: yi = Φ(δ), δ = (m1 − m2)/√S, S = sd1² + sd2²;  vi = φ(δ)² (s_d²/((n − 1) S)
///             + (m1 − m2)²/(4S³) · 2(sd1⁴ + sd2⁴ + 2r² sd1² sd2²)/(n − 1))   (the delta method, paired)
///
/// Other variances (`vtype`): SMCC, SMCR LS2: c² (the LS formula at d); SMCC UB: 1/n + (1 − (ν − 2)/(ν c²)) yi²,
/// ν = n − 1 (as Hedges 1983 for SMD); SMCC H0: c² ν/(ν − 2)/n (the exact variance at δ = 0); SMCRH, SMCRPH LS2:
/// n in place of n − 1; ROMC LS2: + (v₁² + v₂²)/2 + r² sd1² sd2² (1/m1⁴ + 1/m2⁴)/(2n²); VRC LS2: + (1 + r⁴(q⁴ + q⁻⁴)/2)/(n − 1)²,
/// q = sd1/sd2; CVRC LS2: the sum of both (the second-order terms, in the form metafor 5.1-12 uses); SMCR UB: 2(1 − u)/n + (1 − (n − 3)/((n − 1)c²)) yi², H0: c² 2(1 − u)/n (n − 1)/(n − 3), with
/// u = r ₂F₁(½, ½; (n − 2)/2; 1 − r²) the unbiased estimate of ρ (Olkin & Pratt 1958). SMCR standardizes by `sd1i` and does not read `sd2i`; ROMC/VRC/CVRC pair each mean with
/// its own SD (`sd1i` with `m1i`).
enum PairedCalculator {
    static func compute(_ input: EscalcInput, options: EscalcOptions) throws(InputError) -> CalculatedEffects {
        let measure = input.measure
        let vtype = options.vtype
        let needsMeans = measure != .pairedLogVariabilityRatio
        let m1 = needsMeans ? try input.column(.m1i) : nil, m2 = needsMeans ? try input.column(.m2i) : nil
        let sd1 = try input.column(.sd1i), n = try input.column(.ni), r = try input.column(.ri)
        let sd2: EscalcColumn? = measure == .standardizedMeanChangeRawScore ? nil : try input.column(.sd2i)
        try input.requirePositive(sd1, "a standard deviation > 0")
        if let sd2 { try input.requirePositive(sd2, "a standard deviation > 0") }
        try input.requireClosedInterval(r, -1, 1, "a correlation between -1 and 1")
        switch measure {
        case .meanChange, .pairedLogRatioOfMeans: try input.requireAtLeast(n, 1, "a sample size ≥ 1")
        case .pairedLogVariabilityRatio, .pairedLogCoefficientOfVariationRatio, .pairedCommonLanguageEffectSizeNormal,
             .pairedAreaUnderCurveNormal:
            try input.requireAtLeast(n, 2, "a sample size ≥ 2 (\(measure.rawValue) needs n − 1 > 0)")
        case .standardizedMeanChangeRawScore where vtype == .unbiased || vtype == .underNull:
            try input.requireAtLeast(n, 4, "a sample size ≥ 4 (SMCR's \(vtype.rawValue) variance has n − 3 in a denominator)")
        default:
            try input.requireAtLeast(n, 3, "a sample size ≥ 3 (\(measure.rawValue) needs the bias correction with n − 1 ≥ 2)")
        }
        if measure == .pairedLogRatioOfMeans || measure == .pairedLogCoefficientOfVariationRatio, let m1, let m2 {
            try input.requirePositive(m1, "a mean > 0 (\(measure.rawValue) takes the log of a ratio of means)")
            try input.requirePositive(m2, "a mean > 0 (\(measure.rawValue) takes the log of a ratio of means)")
        }
        var out = CalculatedEffects(count: input.rowCount)
        for i in 0..<input.rowCount {
            let difference = needsMeans ? m1![i] - m2![i] : 0
            let ni = n[i], ri = r[i], s1 = sd1[i], s2 = sd2?[i] ?? .nan
            let changeVariance = s1 * s1 + s2 * s2 - 2 * ri * s1 * s2
            let c = options.correct ? hedgesCorrection(ni - 1) : 1
            switch measure {
            case .meanChange:
                out.yi[i] = difference
                out.vi[i] = changeVariance / ni
            case .standardizedMeanChangeChangeScore:
                let g = c * difference / changeVariance.squareRoot(), d = g / c
                out.yi[i] = g
                switch vtype {
                case .largeSampleBorenstein: out.vi[i] = c * c * (1 / ni + d * d / (2 * ni))
                case .unbiased:
                    let nu = ni - 1
                    out.vi[i] = 1 / ni + (1 - (nu - 2) / (nu * c * c)) * g * g
                case .underNull:
                    let nu = ni - 1
                    out.vi[i] = c * c * nu / (nu - 2) / ni
                default: out.vi[i] = 1 / ni + g * g / (2 * ni)
                }
            case .standardizedMeanChangeRawScore:
                let g = c * difference / s1, d = g / c
                out.yi[i] = g
                switch vtype {
                case .largeSampleBorenstein: out.vi[i] = c * c * (2 * (1 - ri) / ni + d * d / (2 * ni))
                case .unbiased, .underNull:
                    // ρ estimated without bias (UCOR, Olkin & Pratt 1958).
                    let u = ri == 0 ? 0 : ri * hypergeometric2F1(0.5, 0.5, (ni - 2) / 2, 1 - ri * ri)
                    out.vi[i] = vtype == .underNull
                        ? c * c * 2 * (1 - u) / ni * (ni - 1) / (ni - 3)
                        : 2 * (1 - u) / ni + (1 - (ni - 3) / ((ni - 1) * c * c)) * g * g
                default: out.vi[i] = 2 * (1 - ri) / ni + g * g / (2 * ni)
                }
            case .heteroscedasticStandardizedMeanChangeRawScore:
                let g = c * difference / s1
                let m = vtype == .largeSampleBorenstein ? ni : ni - 1
                out.yi[i] = g
                out.vi[i] = changeVariance / (s1 * s1 * m) + g * g / (2 * m)
            case .standardizedMeanChangePooled, .heteroscedasticStandardizedMeanChangePooled:
                let pooled = (s1 * s1 + s2 * s2) / 2
                let nu = 2 * (ni - 1) / (1 + ri * ri)
                let g = (options.correct ? hedgesCorrection(nu) : 1) * difference / pooled.squareRoot()
                out.yi[i] = g
                if measure == .standardizedMeanChangePooled {
                    out.vi[i] = 2 * (1 - ri) / ni + g * g * (1 + ri * ri) / (4 * ni)
                } else {
                    let m = vtype == .largeSampleBorenstein ? ni : ni - 1
                    let fourth = s1 * s1 * s1 * s1 + s2 * s2 * s2 * s2 + 2 * ri * ri * s1 * s1 * s2 * s2
                    out.vi[i] = changeVariance / (pooled * m) + g * g * fourth / (8 * pooled * pooled * m)
                }
            case .pairedLogRatioOfMeans, .pairedLogCoefficientOfVariationRatio:
                let a = m1![i], b = m2![i]
                let v1 = s1 * s1 / (ni * a * a), v2 = s2 * s2 / (ni * b * b)
                var ratioVariance = v1 + v2 - 2 * ri * s1 * s2 / (ni * a * b)
                if vtype == .largeSampleBorenstein {
                    let a4 = a * a * a * a, b4 = b * b * b * b
                    ratioVariance += (v1 * v1 + v2 * v2) / 2 + ri * ri * s1 * s1 * s2 * s2 * (1 / a4 + 1 / b4) / (2 * ni * ni)
                }
                if measure == .pairedLogRatioOfMeans {
                    out.yi[i] = log(a / b) + (options.correct ? (v1 - v2) / 2 : 0)
                    out.vi[i] = ratioVariance
                } else {
                    out.yi[i] = log((s1 / a) / (s2 / b)) - (options.correct ? (v1 - v2) / 2 : 0)
                    out.vi[i] = logSDRatioVariance(s1: s1, s2: s2, n: ni, r: ri, secondOrder: vtype == .largeSampleBorenstein)
                        + ratioVariance
                }
            case .pairedCommonLanguageEffectSizeNormal, .pairedAreaUnderCurveNormal:
                let total = s1 * s1 + s2 * s2
                let delta = difference / total.squareRoot(), f = Normal.density(delta)
                let fourth = s1 * s1 * s1 * s1 + s2 * s2 * s2 * s2 + 2 * ri * ri * s1 * s1 * s2 * s2
                out.yi[i] = Normal.cdf(delta)
                out.vi[i] = f * f * (changeVariance / ((ni - 1) * total)
                                     + difference * difference / (4 * total * total * total) * 2 * fourth / (ni - 1))
            case .pairedLogVariabilityRatio:
                out.yi[i] = log(s1 / s2)
                out.vi[i] = logSDRatioVariance(s1: s1, s2: s2, n: ni, r: ri, secondOrder: vtype == .largeSampleBorenstein)
            default:
                preconditionFailure("\(measure) is not a paired measure")
            }
        }
        return out
    }

    /// The variance of log(sd1/sd2) of paired data, (1 − r²)/(n − 1), plus with the second-order terms (LS2)
    /// (1 + r⁴(q⁴ + q⁻⁴)/2)/(n − 1)², q = sd1/sd2 (as metafor 5.1-12 computes it).
    static func logSDRatioVariance(s1: Double, s2: Double, n: Double, r: Double, secondOrder: Bool) -> Double {
        let first = (1 - r * r) / (n - 1)
        guard secondOrder else { return first }
        let q2 = (s1 / s2) * (s1 / s2), q4 = q2 * q2
        return first + (1 + r * r * r * r * (q4 + 1 / q4) / 2) / ((n - 1) * (n - 1))
    }
}
