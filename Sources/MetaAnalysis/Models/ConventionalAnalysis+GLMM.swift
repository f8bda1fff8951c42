#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

extension ConventionalAnalysis {
    /// A single group's proportions by the binomial–normal GLMM (logit link, ML; meta's `metaprop` default, which
    /// calls metafor's `rma.glmm(measure = "PLO")`) under `conventions`: the common effect is the pooled logit
    /// logit(Σxᵢ/Σnᵢ) with SE 1/√(Σnᵢ p̂(1 − p̂)) (the binomial ML without study effects), the random-effects CI z or
    /// t(k − 1) with the GLMM's SE (Hartung–Knapp for a GLMM keeps the variance unmodified, as meta), the prediction
    /// interval √(SE² + τ̂²) with t(k − 1) or t(k − 2), I² and H from the Wald-type Q. No τ² interval.
    /// - Throws: `EstimationError.notEstimable` under IQWiG 6's ad hoc rule (not defined for GLMMs; meta refuses it
    ///   too), and the GLMM's own errors.
    public static func fitGLMM(data: any StudyColumns, columns: [EscalcArgument: String] = [:], conventions c: ToolConventions,
                               level: Double = 0.95, options: GLMMOptions = GLMMOptions()) throws -> ConventionalAnalysis {
        let measure = EffectMeasure.logitProportion
        guard c.randomEffectsInterval != .hartungKnappIQWiG6 else {
            throw EstimationError.notEstimable(method: "GLMM under \(c.name) conventions", measure: measure,
                                               reason: "IQWiG 6's ad hoc Hartung-Knapp rule is not defined for a GLMM; the iqwig5 conventions give Hartung-Knapp without it")
        }
        var glmmOptions = options
        glmmOptions.escalc = c.escalcOptions(for: measure)
        let glmm = try BinomialNormalGLMM.fit(measure: measure, data: data, columns: columns, options: glmmOptions)
        let es = glmm.effectSizes
        let rows = es.availableIndices
        let k = rows.count
        let input = EscalcInput(table: data, columns: columns, measure: measure)
        let x = try input.column(.xi), n = try input.column(.ni)
        let events = rows.reduce(0) { $0 + x[$1] }, total = rows.reduce(0) { $0 + n[$1] }
        let p = events / total
        guard p > 0, p < 1 else {
            throw EstimationError.notEstimable(method: "GLMM", measure: measure, reason: "the pooled proportion is 0 or 1")
        }
        let z = Normal.quantile(1 - (1 - level) / 2)
        let tk1 = StudentT(degreesOfFreedom: Double(k - 1))
        let q1 = tk1.quantile(1 - (1 - level) / 2)
        let common = normalEstimate(log(p / (1 - p)), 1 / (total * p * (1 - p)).squareRoot(), z: z, null: nil)
        let mu = glmm.pooled.estimate, se = glmm.pooled.standardError
        let random = c.randomEffectsInterval == .classic
            ? normalEstimate(mu, se, z: z, null: nil) : tEstimate(mu, se, q: q1, distribution: tk1, df: k - 1, null: nil)
        let tau2 = glmm.tauSquared
        let (seP, dfP, pLower, pUpper) = predictionInterval(mu, standardError: se, tauSquared: tau2, studyCount: k,
                                                            quantile: c.predictionQuantile, level: level)
        guard let wald = glmm.waldHeterogeneity else {
            throw EstimationError.notEstimable(method: "GLMM", measure: measure, reason: "no heterogeneity test (fewer than 2 studies)")
        }
        let (h, hL, hU, i2, i2L, i2U) = heterogeneity(q: wald.statistic, studyCount: k, z: z)
        var used = c
        used.estimator = .maximumLikelihood
        return ConventionalAnalysis(
            conventions: used, level: level, effectSizes: rows.map { es.yi[$0] }, standardErrors: rows.map { es.vi[$0].squareRoot() },
            studies: rows.map { es.studies[$0] }, common: common, random: random, randomClassicStandardError: nil,
            randomHartungKnappStandardError: nil, commonWeights: nil, randomWeights: nil, predictionStandardError: seP,
            predictionDegreesOfFreedom: dfP, predictionLower: pLower, predictionUpper: pUpper, tauSquared: tau2,
            tauSquaredStandardError: nil, tauSquaredLower: nil, tauSquaredUpper: nil, qAroundCommonEffect: false,
            tauSquaredIntervalCode: "", q: wald.statistic, qPValue: wald.pValue,
            likelihoodRatioQ: glmm.likelihoodRatioHeterogeneity?.statistic, likelihoodRatioQPValue: glmm.likelihoodRatioHeterogeneity?.pValue,
            h: h, hLower: hL, hUpper: hU, iSquared: i2, iSquaredLower: i2L, iSquaredUpper: i2U)
    }
}
