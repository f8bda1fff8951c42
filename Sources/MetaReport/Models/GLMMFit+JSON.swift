#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis

extension GLMMFit {
    /// The JSON document `metaswift pool --method GLMM` prints, with the conformance names of `rma.glmm`:
    /// `measure, method, model, level, k, beta, se, zval, pval, ci_lb, ci_ub, tau2, QE_Wld, QEp_Wld, QE_LRT,
    /// QEp_LRT, I2, H2, fit_stats {ML, REML (null: not defined)}, predict_transf` (`exp` for OR,
    /// `transf.ilogit` for PLO, with the prediction interval unless the method is EE), then `study`, `yi`, `vi` and `diagnostics`
    /// (quadrature points, iterations, gradient norm, boundary, marginal log-likelihood, effect-size notes).
    public func jsonValue() -> JSONValue {
        let transform: (String, (Double) -> Double) = measure == .logitProportion
            ? ("transf.ilogit", { 1 / (1 + exp(-$0)) }) : ("exp", { exp($0) })
        let stats = fitStatistics
        let empty: JSONValue = .object(["logLik", "deviance", "AIC", "BIC", "AICc"].map { ($0, JSONValue.null) })
        var fields: [(String, JSONValue)] = [
            ("measure", .string(measure.rawValue)), ("method", .string(options.estimator.rawValue)), ("model", .string(options.model.rawValue)),
            ("level", .number(options.escalc.level)), ("k", .number(Double(studyCount))),
        ]
        fields += pooled.jsonFields
        fields += [
            ("tau2", .double(tauSquared)),
            ("QE_Wld", .double(waldHeterogeneity?.statistic)), ("QEp_Wld", .double(waldHeterogeneity?.pValue)),
            ("QE_LRT", .double(likelihoodRatioHeterogeneity?.statistic)),
            ("QEp_LRT", .double(likelihoodRatioHeterogeneity?.pValue)),
            ("I2", .double(iSquared)), ("H2", .double(hSquared)),
            ("fit_stats", .object([
                ("ML", .object([("logLik", .double(stats.logLikelihood)), ("deviance", .double(stats.deviance)),
                                ("AIC", .double(stats.aic)), ("BIC", .double(stats.bic)), ("AICc", .double(stats.aicc))])),
                ("REML", empty),
            ])),
            ("predict_transf", .object([
                ("transf", .string(transform.0)), ("pred", .double(transform.1(pooled.estimate))),
                ("ci_lb", .double(transform.1(pooled.ciLower))), ("ci_ub", .double(transform.1(pooled.ciUpper))),
            ] + (options.estimator == .commonEffect ? [] : [
                ("pi_lb", .double(transform.1(predictionInterval.lower))),
                ("pi_ub", .double(transform.1(predictionInterval.upper))),
            ]))),
            ("study", .array(effectSizes.studies.map { .string($0) })),
            ("yi", .doubles(effectSizes.yi.map { $0.isNaN ? nil : $0 })),
            ("vi", .doubles(effectSizes.vi.map { $0.isNaN ? nil : $0 })),
            ("diagnostics", .object([
                ("quadrature", .string(diagnostics.quadraturePoints == 1
                    ? "Laplace" : "adaptive Gauss-Hermite, \(diagnostics.quadraturePoints) points")),
                ("quadrature_points", .number(Double(diagnostics.quadraturePoints))),
                ("iterations", .number(Double(diagnostics.iterations))),
                ("gradient_norm", .double(diagnostics.gradientNorm)),
                ("tau2_on_boundary", .bool(diagnostics.tauSquaredOnBoundary)),
                ("marginal_logLik", .double(marginalLogLikelihood)),
                ("effect_sizes", .array(effectSizes.diagnostics.map(\.jsonValue))),
            ])),
        ]
        return .object(fields)
    }
}
