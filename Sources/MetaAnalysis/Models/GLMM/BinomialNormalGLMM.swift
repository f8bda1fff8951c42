#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// Binomial–normal generalized linear mixed models for meta-analysis of event counts (Stijnen, Hamza &
/// Özdemir 2010), fitted by maximum likelihood with adaptive Gauss–Hermite quadrature (Liu & Pierce 1994)
/// and Newton's method on (β, log τ[, αᵢ]) — no external solver.
///
/// - `PLO`, `UM.FS`: xᵢ ~ Bin(nᵢ, pᵢ), logit pᵢ = μ + uᵢ, uᵢ ~ N(0, τ²) (Stijnen et al. 2010, §3.1).
/// - `OR`, `UM.FS`: aᵢ ~ Bin(n₁ᵢ, p₁ᵢ), cᵢ ~ Bin(n₂ᵢ, p₂ᵢ), logit p₁ᵢ = αᵢ + β + uᵢ/2, logit p₂ᵢ = αᵢ − uᵢ/2
///   with fixed study intercepts αᵢ (the ±½ coding makes the model symmetric in the two arms; Jackson et
///   al. 2018, model 4, as metafor).
/// - `OR`, `CM.EL`: aᵢ | margins ~ Fisher's noncentral hypergeometric with log ψᵢ = β + uᵢ (Stijnen et al.
///   2010, §3.2; van Houwelingen et al. 1993).
/// - `OR`, `CM.AL`: aᵢ | aᵢ + cᵢ ~ Bin(aᵢ + cᵢ, pᵢ), logit pᵢ = log(n₁ᵢ/n₂ᵢ) + β + uᵢ (the approximate conditional
///   likelihood of Stijnen et al. 2010).
/// - `IRLN`, `UM.FS`: xᵢ ~ Poisson(tᵢ e^(μ + uᵢ)); `IRR`, `UM.FS`: x₁ᵢ ~ Poisson(t₁ᵢ e^(αᵢ + β + uᵢ/2)),
///   x₂ᵢ ~ Poisson(t₂ᵢ e^(αᵢ − uᵢ/2)); `IRR`, `CM.EL`/`CM.AL`: x₁ᵢ | x₁ᵢ + x₂ᵢ binomial with logit p = log(t₁ᵢ/t₂ᵢ) +
///   β + uᵢ, the exact conditional likelihood of two Poisson counts (Stijnen et al. 2010).
/// - `method = EE` (``GLMMOptions/estimator`` `.commonEffect`): the same models with τ² = 0.
///
/// Heterogeneity: `QE_Wld` is the Wald test of equal effects in the fixed-effects model with one effect per
/// study (Σ wᵢ(β̂ᵢ − β̄)², wᵢ the inverse variances of the per-study ML estimates; a study whose estimate is
/// infinite contributes its limit, 0); `QE_LRT` is 2(ℓ_saturated − ℓ_common), both on k − 1 df. This is the test
/// metafor defines (the Wald test of the study dummies of the saturated model), computed with the exact
/// information: for CM.EL metafor takes a numerical Hessian instead, which can be far off (see
/// Tests/ConformanceTests/pending.txt).
public enum BinomialNormalGLMM {
    /// Fits the model to the studies in `data` (`xi, ni` for PLO; `ai, bi, ci, di` or `ai, n1i, ci, n2i` for OR).
    ///
    /// - Throws: `InputError` for bad data or fewer than 2 studies; `EstimationError.unsupportedMeasure` for a
    ///   measure/model pair the method does not define; `EstimationError.glmmDidNotConverge` with the iterations,
    ///   the gradient norm and the quadrature used when the optimiser fails.
    public static func fit(measure: EffectMeasure, data: any StudyColumns, columns: [EscalcArgument: String] = [:],
                           options: GLMMOptions = GLMMOptions()) throws -> GLMMFit {
        try options.validate()
        let supported: [EffectMeasure]
        switch options.model {
        case .unconditionalFixedStudyEffects: supported = [.logitProportion, .logOddsRatio, .logIncidenceRate, .logIncidenceRateRatio]
        case .conditionalExactLikelihood, .conditionalApproximateLikelihood: supported = [.logOddsRatio, .logIncidenceRateRatio]
        }
        guard supported.contains(measure) else {
            throw EstimationError.unsupportedMeasure(method: "GLMM (\(options.model.rawValue))", measure: measure, supported: supported)
        }
        let effects = try EffectSizes.compute(measure: measure, data: data, columns: columns, options: options.escalc)
        let used = effects.availableIndices
        guard used.count >= 2 else {
            throw InputError.tooFewStudies(found: used.count, needed: 2, analysis: "The binomial-normal GLMM")
        }
        let setup = try Setup(measure: measure, model: options.model, data: data, columns: columns, rows: used)
        if let reason = setup.separation {
            throw EstimationError.notEstimable(method: "GLMM (\(options.model.rawValue))", measure: measure, reason: reason)
        }
        let quadrature = try AdaptiveGaussHermite(points: options.effectiveQuadraturePoints)
        let full = MarginalLikelihood(studies: setup.studies, quadrature: quadrature,
                                      hasStudyIntercepts: setup.hasStudyIntercepts, estimatesTau: true)
        let equalEffects = options.estimator == .commonEffect
        let start = setup.startingIntercepts + [setup.startingBeta(effects, used)] + (equalEffects ? [] : [log(0.5)])
        var model = equalEffects ? MarginalLikelihood(studies: setup.studies, quadrature: quadrature,
                                                      hasStudyIntercepts: setup.hasStudyIntercepts, estimatesTau: false) : full
        var best = model.maximize(from: start, maxIterations: options.maxIterations)
        var onBoundary = false
        if !equalEffects, best.x[full.betaIndex + 1] < MarginalLikelihood.boundaryLogTau || !best.converged {
            // On (or heading for) τ = 0, where Newton in log τ crawls: the τ = 0 fit is the optimum if it is at least
            // as likely as where the full fit stopped.
            let zeroModel = MarginalLikelihood(studies: setup.studies, quadrature: quadrature,
                                               hasStudyIntercepts: setup.hasStudyIntercepts, estimatesTau: false)
            let zero = zeroModel.maximize(from: Array(best.x.dropLast()), maxIterations: options.maxIterations)
            if best.x[full.betaIndex + 1] < MarginalLikelihood.boundaryLogTau
                || (zero.converged && zero.logLikelihood >= best.logLikelihood - 1e-9 * max(1, abs(best.logLikelihood))) {
                onBoundary = true
                model = zeroModel
                best = zero
            }
        }
        // An SE this large means the likelihood is flat in β: report failure, never an absurd SE.
        guard best.converged, let varianceBeta = best.globalCovariance.first?.first, varianceBeta > 0, varianceBeta < 1e8 else {
            throw EstimationError.glmmDidNotConverge(model: options.model, iterations: best.iterations,
                                                 gradientNorm: best.gradientNorm, quadraturePoints: quadrature.points)
        }
        let beta = best.x[model.betaIndex]
        let tau2 = onBoundary || equalEffects ? 0 : exp(2 * best.x[model.betaIndex + 1])
        let pooled = PooledEstimate(estimate: beta, standardError: varianceBeta.squareRoot(), level: options.escalc.level)
        let fraction = options.escalc.levelFraction
        let crit = Normal.quantile(1 - (1 - fraction) / 2)
        let halfWidth = crit * (varianceBeta + tau2).squareRoot()

        // Heterogeneity tests against the common-effect and saturated fixed-effects models.
        let k = used.count
        let common = MarginalLikelihood(studies: setup.studies, quadrature: quadrature,
                                        hasStudyIntercepts: setup.hasStudyIntercepts, estimatesTau: false)
        let commonFit = common.maximize(from: Array(best.x.prefix(common.parameterCount)), maxIterations: options.maxIterations)
        let saturated = setup.saturatedLogLikelihood
        let lrt = ChiSquareTest(statistic: max(0, 2 * (saturated - commonFit.logLikelihood)), degreesOfFreedom: k - 1)
        let wald = ChiSquareTest(statistic: setup.waldStatistic, degreesOfFreedom: k - 1)

        // I², H² from the typical within-study variance of the escalc values.
        let w = used.map { 1 / effects.vi[$0] }
        let sumW = w.reduce(0, +), sumW2 = w.reduce(0) { $0 + $1 * $1 }
        let typical = Double(k - 1) * sumW / (sumW * sumW - sumW2)

        // Fit statistics as metafor reports them (see GLMMFitStatistics).
        var marginal = 0.0, conditional = 0.0
        for i in setup.studies.indices {
            let r = model.studyLogLikelihood(i, model.local(best.x, i))
            marginal += r.logLikelihood
            conditional += r.conditionalAtMode
        }
        let reported: Double
        let deviance: Double
        if options.model == .conditionalExactLikelihood && measure == .logOddsRatio {
            reported = marginal
            deviance = 2 * (saturated - marginal)
        } else {
            // Fitted by lme4 in metafor (the conditional model for IRR is a binomial GLMM): see GLMMFitStatistics.
            reported = quadrature.points > 1 ? conditional : marginal
            deviance = 2 * (saturated - conditional)
        }
        let parameters = (equalEffects ? 1 : 2) + (setup.hasStudyIntercepts ? k : 0)
        let observations = setup.hasStudyIntercepts ? 2 * k : k
        return GLMMFit(measure: measure, options: options, studyCount: k, pooled: pooled, tauSquared: tau2,
                       predictionInterval: (beta - halfWidth, beta + halfWidth),
                       waldHeterogeneity: wald, likelihoodRatioHeterogeneity: lrt,
                       iSquared: 100 * tau2 / (tau2 + typical), hSquared: 1 + tau2 / typical,
                       fitStatistics: GLMMFitStatistics(logLikelihood: reported, deviance: deviance,
                                                        parameters: parameters, observations: observations),
                       marginalLogLikelihood: marginal,
                       diagnostics: GLMMDiagnostics(quadraturePoints: quadrature.points, iterations: best.iterations,
                                                    gradientNorm: best.gradientNorm, tauSquaredOnBoundary: onBoundary),
                       effectSizes: effects)
    }

    /// The studies' likelihoods and the fixed-effects (saturated) model quantities.
    private struct Setup {
        var studies: [ConditionalLikelihood] = []
        var hasStudyIntercepts = false
        var startingIntercepts: [Double] = []
        var saturatedLogLikelihood = 0.0
        /// Per-study ML estimates and variances of the saturated model (infinite estimates excluded).
        var perStudy: [(estimate: Double, variance: Double)] = []
        /// Why β̂ would be infinite (complete separation), if it would: every study at the same end of its
        /// sample space (no events anywhere, events only, or every table's a-cell at its smallest or largest
        /// value given the margins).
        var separation: String?

        init(measure: EffectMeasure, model: GLMMModel, data: any StudyColumns, columns: [EscalcArgument: String], rows: [Int]) throws {
            if measure == .logitProportion {
                let input = EscalcInput(table: data, columns: columns, measure: measure)
                let x = try input.column(.xi)
                let sizes = try input.either(.ni, or: .mi)
                for i in rows {
                    let n = sizes.argument == .ni ? sizes[i] : x[i] + sizes[i]
                    studies.append(ConditionalLikelihood(kind: .proportion(x: x[i], n: n, offset: 0, logChoose: ConditionalLikelihood.logChoose(n, x[i]))))
                    saturatedLogLikelihood += ConditionalLikelihood.saturatedBinomial(x[i], n)
                    if x[i] > 0, x[i] < n { perStudy.append((log(x[i] / (n - x[i])), 1 / x[i] + 1 / (n - x[i]))) }
                }
                if rows.allSatisfy({ x[$0] == 0 }) { separation = "no study has an event, so the pooled logit is -infinity" }
                if rows.allSatisfy({ x[$0] == (sizes.argument == .ni ? sizes[$0] : x[$0] + sizes[$0]) }) {
                    separation = "every participant has the event, so the pooled logit is +infinity"
                }
                return
            }
            if measure == .logIncidenceRate || measure == .logIncidenceRateRatio {
                try readPersonTime(measure: measure, model: model, data: data, columns: columns, rows: rows)
                return
            }
            let tables = try TwoByTwoTable.read(from: data, columns: columns, measure: measure)
            let atLower = rows.allSatisfy { tables[$0].a == max(0, tables[$0].events - tables[$0].n2) }
            let atUpper = rows.allSatisfy { tables[$0].a == min(tables[$0].n1, tables[$0].events) }
            if rows.allSatisfy({ tables[$0].events == 0 || tables[$0].nonEvents == 0 }) {
                // Every table double-zero (kept by drop00 = false): each is trivially "at both ends".
                separation = "no study has both events and non-events, so the data say nothing about the odds ratio"
            } else if atLower || atUpper {
                separation = "in every study the events fall as far toward group \(atLower ? 2 : 1) as the margins allow, "
                    + "so the pooled log odds ratio is \(atLower ? "-" : "+")infinity"
            }
            for i in rows {
                let t = tables[i]
                switch model {
                case .unconditionalFixedStudyEffects:
                    hasStudyIntercepts = true
                    // No events (or only events) in both arms (kept with --no-drop00): the likelihood is maximised by
                    // αᵢ → ∓∞ whatever β and uᵢ are, where the study's contribution is exactly 0 (log 1) — it carries
                    // nothing about (β, τ²), and keeping it would send Newton after an intercept at infinity.
                    if t.events == 0 || t.nonEvents == 0 { continue }
                    let logChoose = ConditionalLikelihood.logChoose(t.n1, t.a) + ConditionalLikelihood.logChoose(t.n2, t.c)
                    studies.append(ConditionalLikelihood(kind: .twoArm(a: t.a, n1: t.n1, c: t.c, n2: t.n2, logChoose: logChoose)))
                    startingIntercepts.append(log((t.c + 0.5) / (t.d + 0.5)))
                    saturatedLogLikelihood += ConditionalLikelihood.saturatedBinomial(t.a, t.n1) + ConditionalLikelihood.saturatedBinomial(t.c, t.n2)
                    if t.a > 0, t.b > 0, t.c > 0, t.d > 0 {
                        perStudy.append((log(t.a * t.d / (t.b * t.c)), 1 / t.a + 1 / t.b + 1 / t.c + 1 / t.d))
                    }
                case .conditionalApproximateLikelihood:
                    // a of the a + c events falls in group 1 with logit p = log(n₁/n₂) + θ (rare-event approximation).
                    addConditionalBinomial(x1: t.a, x2: t.c, offset: log(t.n1 / t.n2))
                case .conditionalExactLikelihood:
                    let distribution = FisherNoncentralHypergeometric(n1: t.n1, n2: t.n2, events: t.events)
                    studies.append(ConditionalLikelihood(kind: .conditional(distribution, a: t.a)))
                    let ml = distribution.maximumLikelihood(t.a)
                    saturatedLogLikelihood += ml.logLikelihood
                    if ml.theta.isFinite { perStudy.append((ml.theta, ml.variance)) }
                }
            }
        }

        /// x₁ of x₁ + x₂ events in group 1, binomial with logit p = offset + θ (a study without events carries nothing).
        mutating func addConditionalBinomial(x1: Double, x2: Double, offset: Double) {
            let n = x1 + x2
            guard n > 0 else { return }
            studies.append(ConditionalLikelihood(kind: .proportion(x: x1, n: n, offset: offset,
                                                                   logChoose: ConditionalLikelihood.logChoose(n, x1))))
            saturatedLogLikelihood += ConditionalLikelihood.saturatedBinomial(x1, n)
            if x1 > 0, x2 > 0 { perStudy.append((log(x1 / x2) - offset, 1 / x1 + 1 / x2)) }
        }

        /// Poisson models for IRLN (xi, ti) and IRR (x1i, t1i, x2i, t2i); the conditional models for IRR are binomial.
        mutating func readPersonTime(measure: EffectMeasure, model: GLMMModel, data: any StudyColumns,
                                     columns: [EscalcArgument: String], rows: [Int]) throws {
            let input = EscalcInput(table: data, columns: columns, measure: measure)
            if measure == .logIncidenceRate {
                let x = try input.column(.xi), t = try input.column(.ti)
                for i in rows {
                    studies.append(ConditionalLikelihood(kind: .count(x: x[i], t: t[i], constant: ConditionalLikelihood.poissonConstant(x[i], t[i]))))
                    saturatedLogLikelihood += ConditionalLikelihood.saturatedPoisson(x[i])
                    if x[i] > 0 { perStudy.append((log(x[i] / t[i]), 1 / x[i])) }
                }
                if rows.allSatisfy({ x[$0] == 0 }) { separation = "no study has an event, so the pooled log rate is -infinity" }
                return
            }
            let x1 = try input.column(.x1i), t1 = try input.column(.t1i), x2 = try input.column(.x2i), t2 = try input.column(.t2i)
            if rows.allSatisfy({ x1[$0] == 0 }) || rows.allSatisfy({ x2[$0] == 0 }) {
                separation = "every event is in group \(rows.allSatisfy { x1[$0] == 0 } ? 2 : 1), so the pooled log rate ratio is infinite"
            }
            for i in rows {
                switch model {
                case .unconditionalFixedStudyEffects:
                    hasStudyIntercepts = true
                    // No events in either group: the intercept goes to -infinity and the study carries nothing.
                    if x1[i] + x2[i] == 0 { continue }
                    let constant = ConditionalLikelihood.poissonConstant(x1[i], t1[i]) + ConditionalLikelihood.poissonConstant(x2[i], t2[i])
                    studies.append(ConditionalLikelihood(kind: .twoArmCount(x1: x1[i], t1: t1[i], x2: x2[i], t2: t2[i], constant: constant)))
                    startingIntercepts.append(log((x2[i] + 0.5) / t2[i]))
                    saturatedLogLikelihood += ConditionalLikelihood.saturatedPoisson(x1[i]) + ConditionalLikelihood.saturatedPoisson(x2[i])
                    if x1[i] > 0, x2[i] > 0 { perStudy.append((log(x1[i] / t1[i]) - log(x2[i] / t2[i]), 1 / x1[i] + 1 / x2[i])) }
                case .conditionalExactLikelihood, .conditionalApproximateLikelihood:
                    // Given x₁ + x₂, x₁ is binomial with logit p = log(t₁/t₂) + θ: exact for Poisson counts.
                    addConditionalBinomial(x1: x1[i], x2: x2[i], offset: log(t1[i] / t2[i]))
                }
            }
        }

        func startingBeta(_ effects: EffectSizes, _ rows: [Int]) -> Double {
            let w = rows.map { 1 / effects.vi[$0] }
            let sum = w.reduce(0, +)
            return zip(rows, w).reduce(0) { $0 + $1.1 * effects.yi[$1.0] } / sum
        }

        var waldStatistic: Double {
            let sumW = perStudy.reduce(0) { $0 + 1 / $1.variance }
            guard sumW > 0 else { return 0 }
            let mean = perStudy.reduce(0) { $0 + $1.estimate / $1.variance } / sumW
            return perStudy.reduce(0) { $0 + ($1.estimate - mean) * ($1.estimate - mean) / $1.variance }
        }
    }
}
