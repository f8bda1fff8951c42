#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// (Semi-)partial correlations from a regression coefficient's t statistic (`ti`), the sample size (`ni`) and the
/// number of predictors including the focal one (`mi`), and R² from `r2i, mi, ni` (Aloe & Becker 2012, J Educ Behav
/// Stat 37:278–297; Olkin & Finn 1995, Psychol Bull 118:155–164):
///
///     PCOR:   yi = t/√(t² + n − m − 1),         vi = (1 − yi²)²/(n − m)
///     ZPCOR:  yi = atanh(PCOR),                 vi = 1/(n − m − 2)
///     SPCOR:  yi = t √(1 − R²)/√(n − m − 1),    vi = (R⁴ − 2R² + (R² − yi²) + 1 − (R² − yi²)²)/n
///     ZSPCOR: yi = atanh(SPCOR),                vi = vi(SPCOR)/(1 − SPCOR²)²
///     R2:     yi = R²,                          vi = 4R²(1 − R²)²/n
///             LS2: 4R²(1 − R²)²(n − m − 1)²/((n² − 1)(n + 3))
///     ZR2:    yi = atanh √R²,                   vi = 1/n
///
/// AV (PCOR, SPCOR; R2 with AV and AV2): the sample-size weighted mean estimate over studies in place of the
/// study's own (for SPCOR the study's own R²; for R2 the mean R² in the LS or LS2 formula).
enum PartialCorrelationCalculator {
    static func compute(_ input: EscalcInput, vtype: VarianceType) throws(InputError) -> CalculatedEffects {
        let measure = input.measure
        let n = try input.column(.ni), m = try input.column(.mi)
        try input.requireAtLeast(m, 1, "a number of predictors ≥ 1")
        let isR2 = measure.family == .rSquared
        let t: EscalcColumn? = isR2 ? nil : try input.column(.ti)
        let needsR2 = isR2 || measure == .semiPartialCorrelation || measure == .fisherZSemiPartialCorrelation
        let r2: EscalcColumn? = needsR2 ? try input.column(.r2i) : nil
        if let r2 {
            if isR2 {
                try input.requireOpenInterval(r2, 0, 1, "an R² strictly between 0 and 1")
            } else {
                try input.requireClosedInterval(r2, 0, 1, "an R² between 0 and 1")
            }
        }
        let extra: Double = measure == .fisherZPartialCorrelation ? 3 : 2
        for i in 0..<input.rowCount where !(n[i] - m[i] >= extra) {
            throw .inconsistent(row: i + 1, columns: [n.name, m.name],
                                rule: "\(measure.rawValue) needs n − m ≥ \(Int(extra)) (\(n.name) = \(format(n[i])), \(m.name) = \(format(m[i])))")
        }
        var out = CalculatedEffects(count: input.rowCount)
        for i in 0..<input.rowCount {
            let ni = n[i], mi = m[i]
            switch measure {
            case .partialCorrelation, .fisherZPartialCorrelation:
                let ti = t![i]
                let r = ti / (ti * ti + ni - mi - 1).squareRoot()
                if measure == .partialCorrelation {
                    out.yi[i] = r
                    out.vi[i] = (1 - r * r) * (1 - r * r) / (ni - mi)
                } else {
                    out.yi[i] = atanh(r)
                    out.vi[i] = 1 / (ni - mi - 2)
                }
            case .semiPartialCorrelation, .fisherZSemiPartialCorrelation:
                let ti = t![i], big = r2![i]
                let sr = ti * (1 - big).squareRoot() / (ni - mi - 1).squareRoot()
                let v = semiPartialVariance(sr, rSquared: big, n: ni)
                if measure == .semiPartialCorrelation {
                    out.yi[i] = sr
                    out.vi[i] = v
                } else {
                    out.yi[i] = atanh(sr)
                    out.vi[i] = v / ((1 - sr * sr) * (1 - sr * sr))
                }
            case .rSquared:
                out.yi[i] = r2![i]
                out.vi[i] = rSquaredVariance(r2![i], n: ni, m: mi, olkinFinn: vtype == .largeSampleBorenstein)
            case .fisherZRSquared:
                out.yi[i] = atanh(r2![i].squareRoot())
                out.vi[i] = 1 / ni
            default:
                preconditionFailure("\(measure) is not a partial-correlation or R² measure")
            }
        }
        if vtype == .averaged || vtype == .averagedLargeSample2 {
            var sumN = 0.0, sumNY = 0.0
            for i in 0..<input.rowCount where out.yi[i].isFinite {
                sumN += n[i]
                sumNY += n[i] * out.yi[i]
            }
            let mean = sumNY / sumN
            for i in 0..<input.rowCount {
                switch measure {
                case .partialCorrelation: out.vi[i] = (1 - mean * mean) * (1 - mean * mean) / (n[i] - m[i])
                case .semiPartialCorrelation: out.vi[i] = semiPartialVariance(mean, rSquared: r2![i], n: n[i])
                default: out.vi[i] = rSquaredVariance(mean, n: n[i], m: m[i], olkinFinn: vtype == .averagedLargeSample2)
                }
            }
        }
        return out
    }

    /// Aloe & Becker (2012), eq. 7: the variance of a semi-partial correlation `sr` of a model with R² `rSquared`.
    static func semiPartialVariance(_ sr: Double, rSquared big: Double, n: Double) -> Double {
        let rest = big - sr * sr
        return (big * big - 2 * big + rest + 1 - rest * rest) / n
    }

    /// The large-sample variance of R², 4R²(1 − R²)²/n, or Olkin & Finn's with (n − m − 1)²/((n² − 1)(n + 3)).
    static func rSquaredVariance(_ r2: Double, n: Double, m: Double, olkinFinn: Bool) -> Double {
        let base = 4 * r2 * (1 - r2) * (1 - r2)
        return olkinFinn ? base * (n - m - 1) * (n - m - 1) / ((n * n - 1) * (n + 3)) : base / n
    }
}
