import MetaData

/// MC, SMCC and SMCR for paired (pre-post) designs from `m1i, m2i, sd1i, sd2i, ni, ri` (`m1i`/`m2i` the
/// two means, e.g. post and pre; `ri` their correlation). With the SD of the change scores
/// s_d = √(sd1² + sd2² − 2 r sd1 sd2) and c = c(n − 1) the exact bias correction:
///
///     MC:   yi = m1 − m2,              vi = s_d²/n
///     SMCC: yi = c (m1 − m2)/s_d,      vi = 1/n + yi²/(2n)              (Gibbons et al. 1993)
///     SMCR: yi = c (m1 − m2)/sd1,      vi = 2(1 − r)/n + yi²/(2n)       (Becker 1988; Morris 2008)
///
/// SMCR standardizes by `sd1i` and does not read `sd2i`.
enum PairedCalculator {
    static func compute(_ input: EscalcInput) throws(InputError) -> CalculatedEffects {
        let measure = input.measure
        let m1 = try input.column(.m1i), m2 = try input.column(.m2i)
        let sd1 = try input.column(.sd1i), n = try input.column(.ni), r = try input.column(.ri)
        let sd2: EscalcColumn? = measure == .standardizedMeanChangeRawScore ? nil : try input.column(.sd2i)
        try input.requirePositive(sd1, "a standard deviation > 0")
        if let sd2 { try input.requirePositive(sd2, "a standard deviation > 0") }
        try input.requireClosedInterval(r, -1, 1, "a correlation between -1 and 1")
        if measure == .meanChange {
            try input.requireAtLeast(n, 1, "a sample size ≥ 1")
        } else {
            try input.requireAtLeast(n, 3, "a sample size ≥ 3 (\(measure.rawValue) needs the bias correction with n − 1 ≥ 2)")
        }
        var out = CalculatedEffects(count: input.rowCount)
        for i in 0..<input.rowCount {
            let difference = m1[i] - m2[i]
            switch measure {
            case .meanChange, .standardizedMeanChangeChangeScore:
                let s1 = sd1[i], s2 = sd2![i]
                let changeVariance = s1 * s1 + s2 * s2 - 2 * r[i] * s1 * s2
                if measure == .meanChange {
                    out.yi[i] = difference
                    out.vi[i] = changeVariance / n[i]
                } else {
                    let d = hedgesCorrection(n[i] - 1) * difference / changeVariance.squareRoot()
                    out.yi[i] = d
                    out.vi[i] = 1 / n[i] + d * d / (2 * n[i])
                }
            case .standardizedMeanChangeRawScore:
                let d = hedgesCorrection(n[i] - 1) * difference / sd1[i]
                out.yi[i] = d
                out.vi[i] = 2 * (1 - r[i]) / n[i] + d * d / (2 * n[i])
            default:
                preconditionFailure("\(measure) is not a paired measure")
            }
        }
        return out
    }
}
