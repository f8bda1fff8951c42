#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

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
/// A group that reports its median with the range and/or quartiles instead of its mean or SD gets them estimated
/// (`EscalcInput.meansAndSDs`, ``QuantileSummary``), with a diagnostic per estimate.
enum TwoGroupContinuousCalculator {
    static func compute(_ input: EscalcInput, vtype: VarianceType = .largeSample, correct: Bool = true,
                        labels: [String]) throws(InputError) -> CalculatedEffects {
        var notes: [EffectSizeDiagnostic] = []
        let (m1, sd1) = try input.meansAndSDs(.first, labels: labels, notes: &notes)
        let n1 = try input.column(.n1i)
        let (m2, sd2) = try input.meansAndSDs(.second, labels: labels, notes: &notes)
        let n2 = try input.column(.n2i)
        let measure = input.measure
        try input.requirePositive(sd1, "a standard deviation > 0")
        try input.requirePositive(sd2, "a standard deviation > 0")
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
                out.vi[i] = d * d * (v1 * v1 / (n1[i] - 1) + v2 * v2 / (n2[i] - 1)) / (8 * s2 * s2)
                    + (v1 / (n1[i] - 1) + v2 / (n2[i] - 1)) / s2
            case .logRatioOfMeans:
                let r1 = v1 / (n1[i] * m1[i] * m1[i]), r2 = v2 / (n2[i] * m2[i] * m2[i])
                out.yi[i] = log(m1[i] / m2[i]) + (correct ? (r1 - r2) / 2 : 0)
                out.vi[i] = r1 + r2
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
        return out
    }
}
