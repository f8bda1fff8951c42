import MetaData

/// Peto's one-step pooled log odds ratio (Yusuf, Peto, Lewis, Collins & Sleight 1985), as metafor's `rma.peto`.
///
/// From the raw counts of each 2×2 table, with the hypergeometric moments of `a` under no association,
/// Eᵢ = n₁ᵢm₁ᵢ/Nᵢ and Vᵢ = n₁ᵢn₂ᵢm₁ᵢm₀ᵢ/(Nᵢ²(Nᵢ − 1)):
///
///     log ψ̂ = Σ(aᵢ − Eᵢ) / ΣVᵢ,   SE = 1/√ΣVᵢ
///     Q = Σ (aᵢ − Eᵢ)²/Vᵢ − (Σ(aᵢ − Eᵢ))²/ΣVᵢ    over the tables with Vᵢ > 0, df kᵧ − 1 (kᵧ studies with a yᵢ)
///
/// Q is the Peto heterogeneity statistic of the uncorrected one-step estimates (Oᵢ − Eᵢ)/Vᵢ: metafor computes it
/// that way (the bank's `rma_peto/egger2001` and `nielweise2007`, which have zero cells, show it), not from the
/// continuity-corrected escalc values it reports as `yi`/`vi`. Tables without events (or without non-events) have
/// Vᵢ = 0 and add nothing; no continuity correction is ever needed.
public struct PetoFit: Sendable {
    public let options: MantelHaenszelOptions
    /// Tables used (`k`): every study.
    public let tableCount: Int
    /// log ψ̂ with z-test and CI.
    public let pooled: PooledEstimate
    /// Peto's Q with I² and H² (`k_yi` = studies with an escalc `yi`: the tables with Vᵢ > 0, plus double-zero
    /// tables when `drop00` is false).
    public let heterogeneity: FixedEstimateHeterogeneity
    /// The escalc PETO effect sizes (with `add`/`to`/`drop00`), reported per study.
    public let effectSizes: EffectSizes

    /// Fits the model to the 2×2 tables in `data` (`ai, bi, ci, di` or `ai, n1i, ci, n2i`).
    ///
    /// - Throws: `InputError` for bad data; `EstimationError.notEstimable` when no table has both events and
    ///   non-events (ΣV = 0).
    public static func fit(data: any StudyColumns, columns: [EscalcArgument: String] = [:],
                           options: MantelHaenszelOptions = MantelHaenszelOptions()) throws -> PetoFit {
        let effects = try EffectSizes.compute(measure: .petoLogOddsRatio, data: data, columns: columns, options: options.escalc)
        let tables = try TwoByTwoTable.read(from: data, columns: columns, measure: .petoLogOddsRatio)
        return try fit(tables: tables, effectSizes: effects, options: options)
    }

    /// The fit for given tables, with precomputed effect sizes for the per-study report.
    public static func fit(tables: [TwoByTwoTable], effectSizes: EffectSizes,
                           options: MantelHaenszelOptions = MantelHaenszelOptions()) throws -> PetoFit {
        let moments = tables.map { (oe: $0.a - $0.nullExpectation, v: $0.nullVariance) }.filter { $0.v > 0 }
        let sumOE = moments.reduce(0) { $0 + $1.oe }, sumV = moments.reduce(0) { $0 + $1.v }
        guard sumV > 0 else {
            throw EstimationError.notEstimable(method: "Peto", measure: .petoLogOddsRatio,
                                               reason: "no study has both events and non-events")
        }
        let estimate = sumOE / sumV
        // Σ Vᵢ(yᵢ − θ̂)² with yᵢ = (Oᵢ − Eᵢ)/Vᵢ: the same Q without the cancellation of the textbook form. Its df
        // count the studies with an escalc value (kᵧ, as metafor): a double-zero table kept by drop00 = false adds
        // nothing to Q (Vᵢ = 0) but one degree of freedom.
        let q = moments.reduce(0) { $0 + ($1.oe - estimate * $1.v) * ($1.oe - estimate * $1.v) / $1.v }
        return PetoFit(options: options, tableCount: tables.count,
                       pooled: PooledEstimate(estimate: estimate, standardError: (1 / sumV).squareRoot(), level: options.level),
                       heterogeneity: FixedEstimateHeterogeneity(q: q, studyCount: effectSizes.availableIndices.count),
                       effectSizes: effectSizes)
    }
}
