/// The association and homogeneity tests that accompany the Mantel–Haenszel estimate.
extension MantelHaenszelFit {
    struct OddsRatioTests {
        var cmh: ChiSquareTest?
        var cochran: ChiSquareTest?
        var breslowDay: ChiSquareTest?
        var tarone: ChiSquareTest?
        var informative = 0
    }

    /// The tests for stratified 2×2 tables.
    ///
    /// - Cochran–Mantel–Haenszel (Mantel & Haenszel 1959): X² = (|Σaᵢ − ΣEᵢ| − c)² / ΣVᵢ with the hypergeometric
    ///   Eᵢ = n₁ᵢm₁ᵢ/Nᵢ, Vᵢ = n₁ᵢn₂ᵢm₁ᵢm₀ᵢ/(Nᵢ²(Nᵢ − 1)), df 1. Cochran (1954) uses Nᵢ³ in place of Nᵢ²(Nᵢ − 1).
    ///   The continuity correction c = ½ is applied (when asked for) only if |Σa − ΣE| ≥ ½, as R's
    ///   `mantelhaen.test` does, so that it never inflates a statistic.
    /// - Breslow–Day (Breslow & Day 1980, eq. 4.30): Σ (aᵢ − âᵢ)²/v̂ᵢ, where âᵢ is the count in cell a that
    ///   gives table i the odds ratio ψ̂_MH with its margins fixed, and v̂ᵢ = (1/âᵢ + 1/b̂ᵢ + 1/ĉᵢ + 1/d̂ᵢ)⁻¹;
    ///   df = (informative tables) − 1, a table being informative when it has events and non-events.
    /// - Tarone (1985): BD − (Σaᵢ − Σâᵢ)²/Σv̂ᵢ, which removes the bias from using ψ̂_MH rather than an efficient
    ///   estimate.
    static func oddsRatioTests(_ tables: [TwoByTwoTable], commonOddsRatio psi: Double, correct: Bool) -> OddsRatioTests {
        var out = OddsRatioTests()
        var observed = 0.0, expected = 0.0, variance = 0.0, cochranVariance = 0.0
        for t in tables {
            observed += t.a
            expected += t.nullExpectation
            variance += t.nullVariance
            let n = t.total
            cochranVariance += t.n1 * t.n2 * t.events * t.nonEvents / (n * n * n)
        }
        let deviation = continuityCorrected(observed - expected, correct: correct)
        if variance > 0 { out.cmh = ChiSquareTest(statistic: deviation * deviation / variance, degreesOfFreedom: 1) }
        if cochranVariance > 0 { out.cochran = ChiSquareTest(statistic: deviation * deviation / cochranVariance, degreesOfFreedom: 1) }

        var bd = 0.0, fittedSum = 0.0, observedSum = 0.0, fittedVariance = 0.0
        for t in tables where t.events > 0 && t.nonEvents > 0 {
            out.informative += 1
            let a = fittedCount(t, oddsRatio: psi)
            let v = 1 / (1 / a + 1 / (t.n1 - a) + 1 / (t.events - a) + 1 / (t.n2 - t.events + a))
            bd += (t.a - a) * (t.a - a) / v
            fittedSum += a
            observedSum += t.a
            fittedVariance += v
        }
        if out.informative > 1, psi.isFinite, psi > 0 {
            let df = out.informative - 1
            out.breslowDay = ChiSquareTest(statistic: bd, degreesOfFreedom: df)
            let shift = observedSum - fittedSum
            out.tarone = ChiSquareTest(statistic: bd - shift * shift / fittedVariance, degreesOfFreedom: df)
        }
        return out
    }

    /// The person-time analogue of the CMH test for IRR (Rothman, Greenland & Lash 2008, ch. 15): given the
    /// total events mᵢ of study i, x₁ᵢ is binomial(mᵢ, t₁ᵢ/Tᵢ), so E = Σ mᵢt₁ᵢ/Tᵢ, V = Σ mᵢt₁ᵢt₂ᵢ/Tᵢ².
    static func personTimeTest(_ tables: [PersonTimeTable], correct: Bool) -> ChiSquareTest? {
        var observed = 0.0, expected = 0.0, variance = 0.0
        for t in tables {
            let tt = t.totalTime
            observed += t.x1
            expected += t.events * t.t1 / tt
            variance += t.events * t.t1 * t.t2 / (tt * tt)
        }
        guard variance > 0 else { return nil }
        let deviation = continuityCorrected(observed - expected, correct: correct)
        return ChiSquareTest(statistic: deviation * deviation / variance, degreesOfFreedom: 1)
    }

    private static func continuityCorrected(_ difference: Double, correct: Bool) -> Double {
        let magnitude = abs(difference)
        return correct && magnitude >= 0.5 ? magnitude - 0.5 : magnitude
    }

    /// The a-cell â of table `t` with its margins fixed and odds ratio ψ: the root in (max(0, m₁ − n₂), min(n₁, m₁))
    /// of â(n₂ − m₁ + â) = ψ(n₁ − â)(m₁ − â), i.e. (1 − ψ)â² + (n₂ − m₁ + ψ(n₁ + m₁))â − ψn₁m₁ = 0.
    static func fittedCount(_ t: TwoByTwoTable, oddsRatio psi: Double) -> Double {
        let lower = max(0, t.events - t.n2), upper = min(t.n1, t.events)
        let qa = 1 - psi
        let qb = t.n2 - t.events + psi * (t.n1 + t.events)
        let qc = -psi * t.n1 * t.events
        guard qa != 0 else { return -qc / qb }
        // The two roots without cancellation (Press et al., Numerical Recipes, §5.6); exactly one lies in
        // [lower, upper], where the quadratic changes sign.
        let disc = max(0, qb * qb - 4 * qa * qc).squareRoot()
        let q = -0.5 * (qb + (qb >= 0 ? disc : -disc))
        let first = q / qa, second = qc / q
        let root = abs(first - min(max(first, lower), upper)) <= abs(second - min(max(second, lower), upper)) ? first : second
        return min(max(root, lower), upper)
    }
}
