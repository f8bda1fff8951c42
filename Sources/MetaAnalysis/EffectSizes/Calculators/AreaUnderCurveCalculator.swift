import MetaData

/// AUC and CLES from a reported area under the ROC curve / common language effect size `ai` = A (the probability
/// that a value of group 1 exceeds one of group 2, ties counting ½) with the group sizes `n1i`, `n2i`: yi = A, and
///
///     LS:  A(1 − A)[1 + (N/2 − 1)((1 − A)/(2 − A) + A/(1 + A))]/((n1 − 1)(n2 − 1)), N = n1 + n2
///          (Newcombe 2006, Stat Med 25:559–573, Hanley–McNeil's variance with n1 = n2 = N/2 in the Q terms)
///     LS2: [A(1 − A) + (n1 − 1)(Q1 − A²) + (n2 − 1)(Q2 − A²)]/((n1 − 1)(n2 − 1)), Q1 = A/(2 − A), Q2 = 2A²/(1 + A)
///          (Hanley & McNeil 1982, Radiology 143:29–36, eq. 2 and Table 1's Q1, Q2, over (n1 − 1)(n2 − 1))
///     H0:  (n1 + n2 + 1)/(12 n1 n2)   (the exact null variance of U/(n1 n2), Mann & Whitney 1947)
///     MAX: A(1 − A)/(min(n1, n2) − 1)   (the upper bound of the variance, Birnbaum & Klose 1957, with min − 1)
enum AreaUnderCurveCalculator {
    static func compute(_ input: EscalcInput, vtype: VarianceType) throws(InputError) -> CalculatedEffects {
        let area = try input.column(.ai), n1 = try input.column(.n1i), n2 = try input.column(.n2i)
        try input.requireClosedInterval(area, 0, 1, "an AUC (probability) between 0 and 1")
        try input.requireAtLeast(n1, 2, "a group size ≥ 2")
        try input.requireAtLeast(n2, 2, "a group size ≥ 2")
        var out = CalculatedEffects(count: input.rowCount)
        for i in 0..<input.rowCount {
            let a = area[i], m = n1[i], n = n2[i]
            out.yi[i] = a
            switch vtype {
            case .largeSampleBorenstein:
                let q1 = a / (2 - a), q2 = 2 * a * a / (1 + a)
                out.vi[i] = (a * (1 - a) + (m - 1) * (q1 - a * a) + (n - 1) * (q2 - a * a)) / ((m - 1) * (n - 1))
            case .underNull:
                out.vi[i] = (m + n + 1) / (12 * m * n)
            case .maximum:
                out.vi[i] = a * (1 - a) / (min(m, n) - 1)
            default:
                let half = (m + n) / 2 - 1
                out.vi[i] = a * (1 - a) * (1 + half * ((1 - a) / (2 - a) + a / (1 + a))) / ((m - 1) * (n - 1))
            }
        }
        return out
    }
}
