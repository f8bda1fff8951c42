#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// MD, SMD, SMDH and ROM from two groups' means, SDs and sizes (`m1i, sd1i, n1i, m2i, sd2i, n2i`):
///
///     MD:   yi = m1 − m2,                 vi = sd1²/n1 + sd2²/n2
///     SMD:  yi = c(m)(m1 − m2)/s_p,       vi = 1/n1 + 1/n2 + yi²/(2(n1+n2))
///           s_p² = ((n1−1)sd1² + (n2−1)sd2²)/m, m = n1 + n2 − 2   (Hedges 1981; Hedges & Olkin 1985)
///     SMDH: yi = c(m)(m1 − m2)/s, s² = (sd1² + sd2²)/2,
///           vi = yi²(sd1⁴/(n1−1) + sd2⁴/(n2−1))/(8 s⁴) + (sd1²/(n1−1) + sd2²/(n2−1))/s²
///           (Bonett 2009, eq. 6 with n − 1, evaluated at the corrected estimate, as metafor ≥ 4.6-0 does)
///     ROM:  yi = log(m1/m2) + (sd1²/(n1 m1²) − sd2²/(n2 m2²))/2,  vi = sd1²/(n1 m1²) + sd2²/(n2 m2²)
///           (Hedges et al. 1999; the bias correction of Lajeunesse 2015, eq. 8, metafor's default since 5.0-1;
///           `correct = false` drops it)
///
/// with `c(m)` the exact bias correction (`hedgesCorrection`; 1 with `correct = false`). Other variances (`vtype`, escalc's documentation):
///
///     MD  HO:  vi = s_p² (1/n1 + 1/n2)                                  (Borenstein 2009, eq. 12.3)
///     SMD UB:  vi = 1/n1 + 1/n2 + (1 − (m − 2)/(m c(m)²)) yi²             (Hedges 1983, eq. 9)
///     SMD LS2: vi = c(m)² (1/n1 + 1/n2 + d²/(2(n1+n2))), d = yi/c(m)      (Borenstein 2009, eq. 12.17)
///     SMD AV:  vi = 1/n1 + 1/n2 + ḡ²/(2(n1+n2)), ḡ = Σ (n1+n2) yi / Σ (n1+n2) over the studies with a yi
///
///     SMD  H0:  vi = c(m)² m/(m − 2) (1/n1 + 1/n2)   (the exact variance of g at δ = 0: t with m df)
///     SMDH LS2: the LS formula with n1, n2 in place of n1 − 1, n2 − 1 (Bonett 2009, eq. 6 as published)
///     ROM  HO:  vi = s_p² (1/(n1 m1²) + 1/(n2 m2²));  LS2: vi + (v₁² + v₂²)/2, vⱼ = sdⱼ²/(nⱼ mⱼ²) (Lajeunesse 2015, eq. 9)
///     ROM  AV:  vi = CV̄₁²/n1 + CV̄₂²/n2, CV̄ⱼ = Σ nⱼ (sdⱼ/mⱼ)/Σ nⱼ over studies;  AVHO: one CV̄ pooled over both groups
///
/// Further measures, with d = (m1 − m2)/s_p (uncorrected) and h = m/n1 + m/n2:
///
///     SMD1:  yi = c(n2 − 1)(m1 − m2)/sd2,  vi = 1/n1 + 1/n2 + yi²/(2 n2)             (Glass 1976; Hedges 1981)
///     SMD1H: same yi,  vi = sd1²/(sd2² (n1 − 1)) + 1/(n2 − 1) + yi²/(2(n2 − 1))
///     VR:    yi = log(sd1/sd2) + 1/(2(n1 − 1)) − 1/(2(n2 − 1)),  vi = 1/(2(n1 − 1)) + 1/(2(n2 − 1))  (Nakagawa 2015)
///     CVR:   yi = log(CV1/CV2) + Σ± (1/(2(nⱼ − 1)) − sdⱼ²/(2 nⱼ mⱼ²)),  vi = Σ (1/(2(nⱼ − 1)) + sdⱼ²/(nⱼ mⱼ²))
///     VR, CVR LS2: each 1/(2(nⱼ − 1)) gets + 1/(2(nⱼ − 1)²), and CVR's mean part ROM's LS2 term (v₁² + v₂²)/2
///     RPB:   yi = d/√(d² + h);  ST (= LS): (h/(d² + h)^{3/2})² (1/n1 + 1/n2 + d²/(2(n1+n2)))  (delta method on d);
///            CS: (1 − r²)²/n (1 − 3r²/2 + r²/(4pq)), p = n1/n, q = 1 − p  (Tate 1954)
///     RBIS:  yi = r_pb √(pq)/φ(z), z = Φ⁻¹(p);
///            vi = (r⁴ + r²(pq z²/φ² − (2p − 1) z/φ − 5/2) + pq/φ²)/(n − 1)  (Soper 1914; Jacobs & Viechtbauer 2017)
///     ZPB, ZBIS: atanh r,  vi(r)/(1 − r²)²
///     D2ORL, D2OR: d·π/√3,  vi(d)·π²/3;   D2ORN: 1.65 d,  1.65² vi(d)   (vi(d) = 1/n1 + 1/n2 + d²/(2(n1 + n2)))
///     CLESN, AUCN: yi = Φ(δ), δ = D/√S, D = m1 − m2, S = sd1² + sd2²; vi = φ(δ)² Var(δ) by the delta method,
///            Var(δ) = (sd1²/a1 + sd2²/a2)/S + D²/(4S³)(2 sd1⁴/b1 + 2 sd2⁴/b2) with (aⱼ, bⱼ) = (nⱼ − 1, nⱼ − 1) (LS),
///            (nⱼ, nⱼ) (LS2), (nⱼ, nⱼ − 1) (LS3); HO: δ = d/√2 with the pooled SD, Var(δ) = (1/n1 + 1/n2)/2 + δ²/(2(n1 + n2));
///            H0: vi = (sd1²/(n1 − 1) + sd2²/(n2 − 1))/(2π S)   (McGraw & Wong 1992)
///
/// (the VR/CVR bias terms and ROM's are dropped with `correct = false`; VR reads only the SDs and sizes.)
///
/// A group that reports its median with the range and/or quartiles instead of its mean or SD gets them estimated
/// (`EscalcInput.meansAndSDs`, ``QuantileSummary``), with a diagnostic per estimate.
enum TwoGroupContinuousCalculator {
    static func compute(_ input: EscalcInput, vtype: VarianceType = .largeSample, correct: Bool = true,
                        labels: [String]) throws(InputError) -> CalculatedEffects {
        var notes: [EffectSizeDiagnostic] = []
        let measure = input.measure
        let (m1, sd1) = measure == .logVariabilityRatio ? (try input.column(.sd1i), try input.column(.sd1i))
            : try input.meansAndSDs(.first, labels: labels, notes: &notes)
        let n1 = try input.column(.n1i)
        let (m2, sd2) = measure == .logVariabilityRatio ? (try input.column(.sd2i), try input.column(.sd2i))
            : try input.meansAndSDs(.second, labels: labels, notes: &notes)
        let n2 = try input.column(.n2i)
        try input.requirePositive(sd1, "a standard deviation > 0")
        try input.requirePositive(sd2, "a standard deviation > 0")
        if measure == .logCoefficientOfVariationRatio {
            try input.requirePositive(m1, "a mean > 0 (CVR takes the log of sd/mean)")
            try input.requirePositive(m2, "a mean > 0 (CVR takes the log of sd/mean)")
        }
        if measure.family == .twoGroupContinuous, ![.meanDifference, .standardizedMeanDifference,
            .heteroscedasticStandardizedMeanDifference, .logRatioOfMeans].contains(measure) {
            return try further(input, m1: m1, sd1: sd1, n1: n1, m2: m2, sd2: sd2, n2: n2, vtype: vtype, correct: correct, notes: notes)
        }
        let minimumN: Double = measure == .meanDifference || measure == .logRatioOfMeans ? 1 : 2
        let nText = minimumN == 1 ? "a group size ≥ 1" : "a group size ≥ 2 (\(measure.rawValue) needs a standard deviation per group)"
        try input.requireAtLeast(n1, minimumN, nText)
        try input.requireAtLeast(n2, minimumN, nText)
        if measure == .logRatioOfMeans {
            try input.requirePositive(m1, "a mean > 0 (ROM takes the log of the ratio of means)")
            try input.requirePositive(m2, "a mean > 0 (ROM takes the log of the ratio of means)")
        }
        var out = CalculatedEffects(count: input.rowCount)
        out.diagnostics = notes
        for i in 0..<input.rowCount {
            let v1 = sd1[i] * sd1[i], v2 = sd2[i] * sd2[i]
            switch measure {
            case .meanDifference:
                out.yi[i] = m1[i] - m2[i]
                if vtype == .homoscedastic {
                    let pooled = ((n1[i] - 1) * v1 + (n2[i] - 1) * v2) / (n1[i] + n2[i] - 2)
                    out.vi[i] = pooled * (1 / n1[i] + 1 / n2[i])
                } else {
                    out.vi[i] = v1 / n1[i] + v2 / n2[i]
                }
            case .standardizedMeanDifference:
                let m = n1[i] + n2[i] - 2
                let pooledSD = (((n1[i] - 1) * v1 + (n2[i] - 1) * v2) / m).squareRoot()
                let c = correct ? hedgesCorrection(m) : 1
                let g = c * (m1[i] - m2[i]) / pooledSD
                out.yi[i] = g
                switch vtype {
                case .unbiased: out.vi[i] = 1 / n1[i] + 1 / n2[i] + (1 - (m - 2) / (m * c * c)) * g * g
                case .underNull: out.vi[i] = c * c * m / (m - 2) * (1 / n1[i] + 1 / n2[i])
                case .largeSampleBorenstein:
                    let d = g / c
                    out.vi[i] = c * c * (1 / n1[i] + 1 / n2[i] + d * d / (2 * (n1[i] + n2[i])))
                default: out.vi[i] = 1 / n1[i] + 1 / n2[i] + g * g / (2 * (n1[i] + n2[i]))  // AV: replaced below
                }
            case .heteroscedasticStandardizedMeanDifference:
                let c = correct ? hedgesCorrection(n1[i] + n2[i] - 2) : 1
                let s2 = (v1 + v2) / 2
                let d = c * (m1[i] - m2[i]) / s2.squareRoot()
                out.yi[i] = d
                let a1 = vtype == .largeSampleBorenstein ? n1[i] : n1[i] - 1, a2 = vtype == .largeSampleBorenstein ? n2[i] : n2[i] - 1
                out.vi[i] = d * d * (v1 * v1 / a1 + v2 * v2 / a2) / (8 * s2 * s2) + (v1 / a1 + v2 / a2) / s2
            case .logRatioOfMeans:
                let r1 = v1 / (n1[i] * m1[i] * m1[i]), r2 = v2 / (n2[i] * m2[i] * m2[i])
                out.yi[i] = log(m1[i] / m2[i]) + (correct ? (r1 - r2) / 2 : 0)
                switch vtype {
                case .homoscedastic:
                    let pooled = ((n1[i] - 1) * v1 + (n2[i] - 1) * v2) / (n1[i] + n2[i] - 2)
                    out.vi[i] = pooled / (n1[i] * m1[i] * m1[i]) + pooled / (n2[i] * m2[i] * m2[i])
                case .largeSampleBorenstein: out.vi[i] = r1 + r2 + (r1 * r1 + r2 * r2) / 2
                default: out.vi[i] = r1 + r2  // AV, AVHO: replaced below
                }
            default:
                preconditionFailure("\(measure) is not a two-group continuous measure")
            }
        }
        if measure == .standardizedMeanDifference && vtype == .averaged {
            var sumN = 0.0, sumNG = 0.0
            for i in 0..<input.rowCount where out.yi[i].isFinite {
                sumN += n1[i] + n2[i]
                sumNG += (n1[i] + n2[i]) * out.yi[i]
            }
            let gBar = sumNG / sumN
            for i in 0..<input.rowCount { out.vi[i] = 1 / n1[i] + 1 / n2[i] + gBar * gBar / (2 * (n1[i] + n2[i])) }
        }
        if measure == .logRatioOfMeans && (vtype == .averaged || vtype == .averagedHomoscedastic) {
            var sumN1 = 0.0, sumCV1 = 0.0, sumN2 = 0.0, sumCV2 = 0.0
            for i in 0..<input.rowCount where out.yi[i].isFinite {
                sumN1 += n1[i]; sumCV1 += n1[i] * sd1[i] / m1[i]
                sumN2 += n2[i]; sumCV2 += n2[i] * sd2[i] / m2[i]
            }
            let pooled = (sumCV1 + sumCV2) / (sumN1 + sumN2)
            let cv1 = vtype == .averaged ? sumCV1 / sumN1 : pooled, cv2 = vtype == .averaged ? sumCV2 / sumN2 : pooled
            for i in 0..<input.rowCount { out.vi[i] = cv1 * cv1 / n1[i] + cv2 * cv2 / n2[i] }
        }
        return out
    }

    /// The variance of log sd from a group of n: 1/(2(n − 1)), plus 1/(2(n − 1)²) with the second-order term (LS2).
    private static func logSDVariance(_ n: Double, secondOrder: Bool) -> Double {
        1 / (2 * (n - 1)) + (secondOrder ? 1 / (2 * (n - 1) * (n - 1)) : 0)
    }

    /// SMD1, SMD1H, VR, CVR, RPB, RBIS, ZPB, ZBIS and D2OR(L/N) (formulas above).
    private static func further(_ input: EscalcInput, m1: EscalcColumn, sd1: EscalcColumn, n1: EscalcColumn,
                                m2: EscalcColumn, sd2: EscalcColumn, n2: EscalcColumn, vtype: VarianceType, correct: Bool,
                                notes: [EffectSizeDiagnostic]) throws(InputError) -> CalculatedEffects {
        let measure = input.measure
        let nText = "a group size ≥ 2 (\(measure.rawValue) needs a standard deviation per group)"
        try input.requireAtLeast(n1, 2, nText)
        try input.requireAtLeast(n2, 2, nText)
        var out = CalculatedEffects(count: input.rowCount)
        out.diagnostics = notes
        for i in 0..<input.rowCount {
            let a = n1[i], b = n2[i], v1 = sd1[i] * sd1[i], v2 = sd2[i] * sd2[i]
            let m = a + b - 2
            let d = (m1[i] - m2[i]) / (((a - 1) * v1 + (b - 1) * v2) / m).squareRoot()
            let varianceOfD = 1 / a + 1 / b + d * d / (2 * (a + b))
            switch measure {
            case .standardizedMeanDifferenceByGroup2, .heteroscedasticStandardizedMeanDifferenceByGroup2:
                let g = (correct ? hedgesCorrection(b - 1) : 1) * (m1[i] - m2[i]) / sd2[i]
                out.yi[i] = g
                out.vi[i] = measure == .standardizedMeanDifferenceByGroup2
                    ? 1 / a + 1 / b + g * g / (2 * b)
                    : v1 / (v2 * (a - 1)) + 1 / (b - 1) + g * g / (2 * (b - 1))
            case .logVariabilityRatio:
                out.yi[i] = log(sd1[i] / sd2[i]) + (correct ? 1 / (2 * (a - 1)) - 1 / (2 * (b - 1)) : 0)
                out.vi[i] = logSDVariance(a, secondOrder: vtype == .largeSampleBorenstein)
                    + logSDVariance(b, secondOrder: vtype == .largeSampleBorenstein)
            case .logCoefficientOfVariationRatio:
                let r1 = v1 / (a * m1[i] * m1[i]), r2 = v2 / (b * m2[i] * m2[i])
                let bias = correct ? 1 / (2 * (a - 1)) - r1 / 2 - 1 / (2 * (b - 1)) + r2 / 2 : 0
                out.yi[i] = log((sd1[i] / m1[i]) / (sd2[i] / m2[i])) + bias
                let secondOrder = vtype == .largeSampleBorenstein
                out.vi[i] = logSDVariance(a, secondOrder: secondOrder) + logSDVariance(b, secondOrder: secondOrder) + r1 + r2
                    + (secondOrder ? (r1 * r1 + r2 * r2) / 2 : 0)
            case .pointBiserialCorrelation, .fisherZPointBiserial, .biserialCorrelation, .fisherZBiserial:
                let h = m / a + m / b
                let rpb = d / (d * d + h).squareRoot()
                let n = a + b, p = a / n, q = b / n
                var (r, v): (Double, Double)
                if measure == .biserialCorrelation || measure == .fisherZBiserial {
                    let z = Normal.quantile(p), f = Normal.density(z)
                    r = rpb * (p * q).squareRoot() / f
                    v = (r * r * r * r + r * r * (p * q * z * z / (f * f) - (2 * p - 1) * z / f - 2.5) + p * q / (f * f)) / (n - 1)
                } else if vtype == .crossSectional {
                    r = rpb
                    v = (1 - r * r) * (1 - r * r) / n * (1 - 1.5 * r * r + r * r / (4 * p * q))
                } else {
                    r = rpb
                    let slope = h / ((d * d + h) * (d * d + h).squareRoot())
                    v = slope * slope * varianceOfD
                }
                if measure == .fisherZPointBiserial || measure == .fisherZBiserial {
                    (r, v) = (atanh(r), v / ((1 - r * r) * (1 - r * r)))
                }
                out.yi[i] = r
                out.vi[i] = v
            case .commonLanguageEffectSizeNormal, .areaUnderCurveNormal:
                let difference = m1[i] - m2[i], total = v1 + v2
                if vtype == .homoscedastic {
                    let delta = d / 2.0.squareRoot(), f = Normal.density(delta)
                    out.yi[i] = Normal.cdf(delta)
                    out.vi[i] = f * f * ((1 / a + 1 / b) / 2 + delta * delta / (2 * (a + b)))
                    break
                }
                let delta = difference / total.squareRoot(), f = Normal.density(delta)
                out.yi[i] = Normal.cdf(delta)
                if vtype == .underNull {
                    out.vi[i] = (v1 / (a - 1) + v2 / (b - 1)) / (2 * Double.pi * total)
                    break
                }
                let (a1, a2) = vtype == .largeSample ? (a - 1, b - 1) : (a, b)
                let (b1, b2) = vtype == .largeSampleBorenstein ? (a, b) : (a - 1, b - 1)
                let varianceOfDelta = (v1 / a1 + v2 / a2) / total
                    + difference * difference / (4 * total * total * total) * (2 * v1 * v1 / b1 + 2 * v2 * v2 / b2)
                out.vi[i] = f * f * varianceOfDelta
            case .smdToLogOddsRatio, .smdToLogOddsRatioLogistic, .smdToLogOddsRatioNormal:
                let f = measure == .smdToLogOddsRatioNormal ? 1.65 : Double.pi / 3.0.squareRoot()
                out.yi[i] = d * f
                out.vi[i] = varianceOfD * f * f
            default:
                preconditionFailure("\(measure) is not a two-group continuous measure")
            }
        }
        return out
    }
}
