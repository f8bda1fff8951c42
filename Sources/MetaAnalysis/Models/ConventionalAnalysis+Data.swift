#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

extension ToolConventions {
    /// The value the tests of the pooled estimates refer to: 0, or none for a single group's proportion, mean or
    /// rate (meta's `null.effect = NA` for `metaprop`, `metamean`, `metarate`).
    public func nullEffect(for measure: EffectMeasure) -> Double? {
        [.proportion, .singleGroupContinuous, .personTimeSingleGroup].contains(measure.family) ? nil : 0
    }

    /// The escalc options these conventions imply for `measure`: the increment added to every cell (count) of a
    /// study with a zero cell, none for the Freeman–Tukey proportion, and studies without events (or, for OR, with
    /// only events) in both groups dropped, as meta does.
    public func escalcOptions(for measure: EffectMeasure) -> EscalcOptions {
        EscalcOptions(add: measure == .freemanTukeyProportion ? 0 : continuityCorrection, to: .onlyZero, drop00: true)
    }

    /// Each study's effect size under these conventions (meta 8.3's `metabin`/`metainc`/`metaprop`/`metacont`):
    /// escalc's values, except that a zero-cell study's risk ratio uses n + incr as the group size unless
    /// `riskRatioCochrane` (then n + 2·incr, escalc's), and a risk difference (and an incidence rate difference) keeps
    /// the raw proportions with the increment in the variance only, double-zero studies included; Hedges' g has
    /// meta's variance (exact or, without `exactHedgesG`, RevMan 5's approximation).
    public func effectSizes(measure: EffectMeasure, data: any StudyColumns, columns: [EscalcArgument: String] = [:]) throws -> EffectSizes {
        var options = escalcOptions(for: measure)
        if measure == .riskDifference { options.drop00 = false }
        let es = try EffectSizes.compute(measure: measure, data: data, columns: columns, options: options)
        if measure == .standardizedMeanDifference { return try hedgesG(es, data: data, columns: columns) }
        guard measure == .riskDifference || (measure == .logRiskRatio && !riskRatioCochrane) else { return es }
        let tables = try TwoByTwoTable.read(from: data, columns: columns, measure: measure)
        var yi = es.yi, vi = es.vi
        let i = continuityCorrection
        for (row, t) in tables.enumerated() where yi[row].isFinite && min(t.a, t.b, t.c, t.d) == 0 {
            if measure == .riskDifference {
                // meta: raw proportions, the increment only in the variance.
                yi[row] = t.a / t.n1 - t.c / t.n2
                let n1 = t.n1 + 2 * i, n2 = t.n2 + 2 * i
                vi[row] = (t.a + i) * (t.b + i) / (n1 * n1 * n1) + (t.c + i) * (t.d + i) / (n2 * n2 * n2)
            } else {
                // meta (RR.Cochrane = FALSE): log((a+i)/(n1+i)) − log((c+i)/(n2+i)), 1/(a+i) − 1/(n1+i) + 1/(c+i) − 1/(n2+i).
                yi[row] = log((t.a + i) / (t.n1 + i)) - log((t.c + i) / (t.n2 + i))
                vi[row] = 1 / (t.a + i) - 1 / (t.n1 + i) + 1 / (t.c + i) - 1 / (t.n2 + i)
            }
        }
        return EffectSizes(measure: measure, studies: es.studies, yi: yi, vi: vi, level: es.level, diagnostics: es.diagnostics)
    }

    /// meta's Hedges' g from escalc's (exact-J) g: with m = n₁ + n₂ − 2, exact: Var = 1/n₁ + 1/n₂ + g²(1 − (m − 2)/(m J²))
    /// (Hedges 1981); approximate (RevMan 5): g = d(1 − 3/(4m − 1)), Var = 1/n₁ + 1/n₂ + g²/(2(m − 1.94)) (Cochrane
    /// Handbook 5.1, ch. 9.2.3.2; RevMan 5 statistical methods).
    private func hedgesG(_ es: EffectSizes, data: any StudyColumns, columns: [EscalcArgument: String]) throws -> EffectSizes {
        let input = EscalcInput(table: data, columns: columns, measure: es.measure)
        let n1 = try input.column(.n1i), n2 = try input.column(.n2i)
        var yi = es.yi, vi = es.vi
        for row in yi.indices where yi[row].isFinite {
            let m = n1[row] + n2[row] - 2
            let j = exp(logGamma(m / 2) - logGamma((m - 1) / 2)) / (m / 2).squareRoot()
            let base = 1 / n1[row] + 1 / n2[row]
            if exactHedgesG {
                vi[row] = base + yi[row] * yi[row] * (1 - (m - 2) / (m * j * j))
            } else {
                yi[row] = yi[row] / j * (1 - 3 / (4 * m - 1))
                vi[row] = base + yi[row] * yi[row] / (2 * (m - 1.94))
            }
        }
        return EffectSizes(measure: es.measure, studies: es.studies, yi: yi, vi: vi, level: es.level, diagnostics: es.diagnostics)
    }
}

extension ConventionalAnalysis {
    /// Mantel–Haenszel pooling under `conventions` (meta's `metabin`/`metainc` with `method = "MH"`, `MH.exact =
    /// FALSE`): the common effect is the MH estimate of the tables with the increment added to every cell of a
    /// zero-cell study; the random-effects model is inverse-variance on the studies' effect sizes. With
    /// `mantelHaenszelQ` and the DerSimonian–Laird estimator, Q (hence τ²) is taken around the MH estimate and τ²
    /// gets no interval.
    public static func fitMantelHaenszel(measure: EffectMeasure, data: any StudyColumns, columns: [EscalcArgument: String] = [:],
                                         conventions c: ToolConventions, level: Double = 0.95) throws -> ConventionalAnalysis {
        guard MantelHaenszelFit.supportedMeasures.contains(measure) else {
            throw EstimationError.unsupportedMeasure(method: "MH", measure: measure, supported: MantelHaenszelFit.supportedMeasures)
        }
        let es = try c.effectSizes(measure: measure, data: data, columns: columns)
        let rows = es.availableIndices
        let i = c.continuityCorrection
        var conventions = c
        let common: CommonEffect
        if measure.family == .twoByTwo {
            let tables = try TwoByTwoTable.read(from: data, columns: columns, measure: measure).enumerated()
                .filter { rows.contains($0.offset) }.map { _, t in
                    min(t.a, t.b, t.c, t.d) == 0 ? TwoByTwoTable(a: t.a + i, b: t.b + i, c: t.c + i, d: t.d + i) : t
                }
            let weights = tables.map { t in
                switch measure {
                case .logOddsRatio: return t.b * t.c / t.total
                case .logRiskRatio: return t.c * t.n1 / t.total
                default: return t.n1 * t.n2 / t.total
                }
            }
            if measure == .riskDifference {
                // meta: the MH weights of the incremented tables average the raw risk differences; Greenland & Robins
                // (1985) variance of the incremented tables.
                let raw = try TwoByTwoTable.read(from: data, columns: columns, measure: measure).enumerated()
                    .filter { rows.contains($0.offset) }.map { $0.element.a / $0.element.n1 - $0.element.c / $0.element.n2 }
                let sw = weights.reduce(0, +)
                let rd = zip(weights, raw).reduce(0) { $0 + $1.0 * $1.1 } / sw
                let v = tables.reduce(0) { acc, t in
                    acc + (t.a * t.b * t.n2 * t.n2 * t.n2 + t.c * t.d * t.n1 * t.n1 * t.n1) / (t.n1 * t.n2 * t.total * t.total)
                } / (sw * sw)
                guard v > 0, v.isFinite else {
                    throw EstimationError.notEstimable(method: "Mantel-Haenszel", measure: measure, reason: "its variance is zero (no study has any event)")
                }
                common = CommonEffect(estimate: rd, standardError: v.squareRoot(), weights: weights)
            } else {
                let mh = try MantelHaenszelFit.fit(measure: measure, tables: tables, effectSizes: es)
                common = CommonEffect(estimate: mh.pooled.estimate, standardError: mh.pooled.standardError, weights: weights)
            }
        } else {
            let tables = try PersonTimeTable.read(from: data, columns: columns, measure: measure).enumerated()
                .filter { rows.contains($0.offset) }.map { _, t in
                    min(t.x1, t.x2) == 0 ? PersonTimeTable(x1: t.x1 + i, t1: t.t1, x2: t.x2 + i, t2: t.t2) : t
                }
            let mh = try MantelHaenszelFit.fit(measure: measure, tables: tables, effectSizes: es)
            let weights = tables.map { t in measure == .logIncidenceRateRatio ? t.x2 * t.t1 / t.totalTime : t.t1 * t.t2 / t.totalTime }
            common = CommonEffect(estimate: mh.pooled.estimate, standardError: mh.pooled.standardError, weights: weights)
            // meta takes Q around the MH estimate (Q.Cochrane) for 2×2 data only.
            conventions.mantelHaenszelQ = false
        }
        return try fit(effectSizes: rows.map { es.yi[$0] }, standardErrors: rows.map { es.vi[$0].squareRoot() },
                       studies: rows.map { es.studies[$0] }, conventions: conventions, level: level, common: common)
    }
}
