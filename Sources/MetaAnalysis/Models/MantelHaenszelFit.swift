#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// The Mantel–Haenszel common-effect estimate over stratified 2×2 tables (OR, RR, RD) or person-time data
/// (IRR, IRD), as metafor's `rma.mh`.
///
/// With Nᵢ the study total (Tᵢ = t₁ᵢ + t₂ᵢ for person-time), the estimates are ratios of weighted sums,
/// computed from the raw counts (no continuity correction):
///
///     OR  = Σ aᵢdᵢ/Nᵢ ÷ Σ bᵢcᵢ/Nᵢ                       (Mantel & Haenszel 1959)
///     RR  = Σ aᵢn₂ᵢ/Nᵢ ÷ Σ cᵢn₁ᵢ/Nᵢ                     (Nurminen 1981; Greenland & Robins 1985)
///     RD  = Σ (aᵢn₂ᵢ − cᵢn₁ᵢ)/Nᵢ ÷ Σ n₁ᵢn₂ᵢ/Nᵢ         (Greenland & Robins 1985)
///     IRR = Σ x₁ᵢt₂ᵢ/Tᵢ ÷ Σ x₂ᵢt₁ᵢ/Tᵢ,  IRD = Σ (x₁ᵢt₂ᵢ − x₂ᵢt₁ᵢ)/Tᵢ ÷ Σ t₁ᵢt₂ᵢ/Tᵢ   (Rothman, Greenland & Lash 2008, ch. 15)
///
/// Variances: Robins, Breslow & Greenland (1986) for log OR; Greenland & Robins (1985) for log RR, log IRR
/// and IRD; Sato, Greenland & Robins (1989) for RD (consistent in both sparse-data and large-strata limits).
/// Heterogeneity is Cochran's Q of the escalc `yi`/`vi` around the MH estimate (`FixedEstimateHeterogeneity`).
/// For OR the Cochran–Mantel–Haenszel, Cochran, Breslow–Day and Tarone tests are in
/// `MantelHaenszelFit+Tests.swift`; for IRR the person-time analogue of the CMH test.
public struct MantelHaenszelFit: Sendable {
    /// The measures this method pools.
    public static let supportedMeasures: [EffectMeasure] = [
        .logOddsRatio, .logRiskRatio, .riskDifference, .logIncidenceRateRatio, .incidenceRateDifference,
    ]

    public let measure: EffectMeasure
    public let options: MantelHaenszelOptions
    /// Tables used for the estimate (`k`): every study; a table without events contributes nothing.
    public let tableCount: Int
    /// θ̂ on the analysis scale (log for OR, RR, IRR), with z-test and CI.
    public let pooled: PooledEstimate
    /// Q, I², H² of the escalc effect sizes around θ̂ (`k_yi` studies).
    public let heterogeneity: FixedEstimateHeterogeneity
    /// Cochran–Mantel–Haenszel test of θ = 0 (OR and IRR), with the continuity correction when `options.correct`.
    public let cochranMantelHaenszel: ChiSquareTest?
    /// Cochran's version of it (N instead of N − 1 in the hypergeometric variance; OR only).
    public let cochran: ChiSquareTest?
    /// Breslow–Day test of a common OR (df = informative tables − 1; OR only, needs two informative tables).
    public let breslowDay: ChiSquareTest?
    /// Tarone's correction of the Breslow–Day test (same df).
    public let tarone: ChiSquareTest?
    /// Tables with at least one event and one non-event (`k_pos`, OR only): those that inform Breslow–Day.
    public let informativeTableCount: Int?
    /// The escalc effect sizes (with `add`/`to`/`drop00`) used for Q; their diagnostics name any correction.
    public let effectSizes: EffectSizes

    /// Fits the model to the study rows of `data`.
    ///
    /// - Parameters:
    ///   - measure: OR, RR, RD (2×2: `ai, bi, ci, di` or `ai, n1i, ci, n2i`) or IRR, IRD (`x1i, t1i, x2i, t2i`).
    ///   - columns: escalc argument → CSV column, for differently named columns.
    /// - Throws: `InputError` for bad data; `EstimationError.unsupportedMeasure`, or `.notEstimable` when a
    ///   sum in the estimate is zero (e.g. no events in either group of any study).
    public static func fit(measure: EffectMeasure, data: any StudyColumns, columns: [EscalcArgument: String] = [:],
                           options: MantelHaenszelOptions = MantelHaenszelOptions()) throws -> MantelHaenszelFit {
        guard supportedMeasures.contains(measure) else {
            throw EstimationError.unsupportedMeasure(method: "MH", measure: measure, supported: supportedMeasures)
        }
        let effects = try EffectSizes.compute(measure: measure, data: data, columns: columns, options: options.escalc)
        if measure.family == .twoByTwo {
            let tables = try TwoByTwoTable.read(from: data, columns: columns, measure: measure)
            return try fit(measure: measure, tables: tables, effectSizes: effects, options: options)
        }
        let tables = try PersonTimeTable.read(from: data, columns: columns, measure: measure)
        return try fit(measure: measure, tables: tables, effectSizes: effects, options: options)
    }

    /// The fit for 2×2 tables (OR, RR, RD) with precomputed effect sizes for Q.
    public static func fit(measure: EffectMeasure, tables: [TwoByTwoTable], effectSizes: EffectSizes,
                           options: MantelHaenszelOptions = MantelHaenszelOptions()) throws -> MantelHaenszelFit {
        let (estimate, variance) = try pooledTwoByTwo(measure, tables)
        try requireVariance(variance, measure)
        var tests = OddsRatioTests()
        if measure == .logOddsRatio {
            tests = oddsRatioTests(tables, commonOddsRatio: exp(estimate), correct: options.correct)
        }
        return MantelHaenszelFit(measure: measure, options: options, tableCount: tables.count,
                                 pooled: PooledEstimate(estimate: estimate, standardError: variance.squareRoot(), level: options.level),
                                 heterogeneity: FixedEstimateHeterogeneity(y: effectSizes.yi, v: effectSizes.vi, around: estimate),
                                 cochranMantelHaenszel: tests.cmh, cochran: tests.cochran, breslowDay: tests.breslowDay,
                                 tarone: tests.tarone, informativeTableCount: measure == .logOddsRatio ? tests.informative : nil,
                                 effectSizes: effectSizes)
    }

    /// The fit for person-time tables (IRR, IRD) with precomputed effect sizes for Q.
    public static func fit(measure: EffectMeasure, tables: [PersonTimeTable], effectSizes: EffectSizes,
                           options: MantelHaenszelOptions = MantelHaenszelOptions()) throws -> MantelHaenszelFit {
        let (estimate, variance) = try pooledPersonTime(measure, tables)
        try requireVariance(variance, measure)
        return MantelHaenszelFit(measure: measure, options: options, tableCount: tables.count,
                                 pooled: PooledEstimate(estimate: estimate, standardError: variance.squareRoot(), level: options.level),
                                 heterogeneity: FixedEstimateHeterogeneity(y: effectSizes.yi, v: effectSizes.vi, around: estimate),
                                 cochranMantelHaenszel: measure == .logIncidenceRateRatio ? personTimeTest(tables, correct: options.correct) : nil,
                                 cochran: nil, breslowDay: nil, tarone: nil, informativeTableCount: nil,
                                 effectSizes: effectSizes)
    }

    // MARK: Estimates and variances

    private static func pooledTwoByTwo(_ measure: EffectMeasure, _ tables: [TwoByTwoTable]) throws -> (Double, Double) {
        switch measure {
        case .logOddsRatio:
            // Robins, Breslow & Greenland (1986), eq. 9: Pᵢ = (aᵢ+dᵢ)/Nᵢ, Qᵢ = (bᵢ+cᵢ)/Nᵢ, Rᵢ = aᵢdᵢ/Nᵢ, Sᵢ = bᵢcᵢ/Nᵢ.
            var r = 0.0, s = 0.0, pr = 0.0, psqr = 0.0, qs = 0.0
            for t in tables {
                let n = t.total
                let ri = t.a * t.d / n, si = t.b * t.c / n
                let pi = (t.a + t.d) / n, qi = (t.b + t.c) / n
                r += ri
                s += si
                pr += pi * ri
                psqr += pi * si + qi * ri
                qs += qi * si
            }
            try requirePositive(r, s, measure, "no study has events in group 1 and non-events in group 2 (or the reverse)")
            let variance = pr / (2 * r * r) + psqr / (2 * r * s) + qs / (2 * s * s)
            return (log(r / s), variance)
        case .logRiskRatio:
            // Greenland & Robins (1985), eq. 13: Var log RR = Σ (n₁n₂m₁ − acN)/N² ÷ (ΣR · ΣS).
            var r = 0.0, s = 0.0, num = 0.0
            for t in tables {
                let n = t.total
                r += t.a * t.n2 / n
                s += t.c * t.n1 / n
                num += (t.n1 * t.n2 * t.events - t.a * t.c * n) / (n * n)
            }
            try requirePositive(r, s, measure, "one group has no events in any study")
            return (log(r / s), num / (r * s))
        case .riskDifference:
            // Sato, Greenland & Robins (1989): Var = (RD·ΣPᵢ + ΣQᵢ)/(ΣWᵢ)², Wᵢ = n₁n₂/N,
            // Pᵢ = (n₁²c − n₂²a + n₁n₂(n₂ − n₁)/2)/N², Qᵢ = (a(n₂ − c) + c(n₁ − a))/(2N).
            var num = 0.0, w = 0.0
            for t in tables {
                let n = t.total
                num += (t.a * t.n2 - t.c * t.n1) / n
                w += t.n1 * t.n2 / n
            }
            let rd = num / w
            var p = 0.0, q = 0.0
            for t in tables {
                let n = t.total
                p += (t.n1 * t.n1 * t.c - t.n2 * t.n2 * t.a + t.n1 * t.n2 * (t.n2 - t.n1) / 2) / (n * n)
                q += (t.a * (t.n2 - t.c) + t.c * (t.n1 - t.a)) / (2 * n)
            }
            return (rd, (rd * p + q) / (w * w))
        default:
            preconditionFailure("\(measure) is not a 2×2 measure of MH")
        }
    }

    private static func pooledPersonTime(_ measure: EffectMeasure, _ tables: [PersonTimeTable]) throws -> (Double, Double) {
        switch measure {
        case .logIncidenceRateRatio:
            // Greenland & Robins (1985): Var log IRR = Σ mᵢt₁ᵢt₂ᵢ/Tᵢ² ÷ (ΣRᵢ · ΣSᵢ).
            var r = 0.0, s = 0.0, num = 0.0
            for t in tables {
                let tt = t.totalTime
                r += t.x1 * t.t2 / tt
                s += t.x2 * t.t1 / tt
                num += t.events * t.t1 * t.t2 / (tt * tt)
            }
            try requirePositive(r, s, measure, "one group has no events in any study")
            return (log(r / s), num / (r * s))
        case .incidenceRateDifference:
            // Greenland & Robins (1985): Var IRD = Σ (t₁t₂/T)² (x₁/t₁² + x₂/t₂²) ÷ (Σ t₁t₂/T)².
            var num = 0.0, w = 0.0, v = 0.0
            for t in tables {
                let tt = t.totalTime
                let wi = t.t1 * t.t2 / tt
                num += (t.x1 * t.t2 - t.x2 * t.t1) / tt
                w += wi
                v += wi * wi * (t.x1 / (t.t1 * t.t1) + t.x2 / (t.t2 * t.t2))
            }
            return (num / w, v / (w * w))
        default:
            preconditionFailure("\(measure) is not a person-time measure of MH")
        }
    }

    /// A zero variance happens only when no study has an event (e.g. RD of all-zero tables): no inference is possible.
    private static func requireVariance(_ variance: Double, _ measure: EffectMeasure) throws {
        guard variance > 0, variance.isFinite else {
            throw EstimationError.notEstimable(method: "Mantel-Haenszel", measure: measure,
                                               reason: "its variance is zero (no study has any event)")
        }
    }

    private static func requirePositive(_ r: Double, _ s: Double, _ measure: EffectMeasure, _ reason: String) throws {
        guard r > 0, s > 0 else { throw EstimationError.notEstimable(method: "Mantel-Haenszel", measure: measure, reason: reason) }
    }
}
