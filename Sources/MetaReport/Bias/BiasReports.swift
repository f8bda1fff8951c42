import MetaAnalysis

private func studyValues(_ y: [Double], _ v: [Double]) -> [(String, JSONValue)] {
    [("yi", .doubles(y)), ("vi", .doubles(v))]
}

extension EggerRegressionTest {
    /// `regtest` field names: `zval, pval, dfs, limit_est, limit_ci_lb, limit_ci_ub, fit{coef_names, beta, se, tau2}`.
    public func report(effectSizes y: [Double], samplingVariances v: [Double], method: TauSquaredEstimator?,
                       backTransformation: BackTransformation? = nil, notes: [String] = [],
                       provenance: Provenance? = nil) -> AnalysisReport {
        var fit: [(String, JSONValue)] = [
            ("coef_names", .array(coefficientNames.map { .string($0) })),
            ("beta", .doubles(coefficients)),
            ("se", .doubles(standardErrors)),
        ]
        if let tauSquared { fit.append(("tau2", .double(tauSquared))) }
        // zval keeps regtest's field name; the title says when it is a t statistic (knha, t or lm) and with what df.
        let test = degreesOfFreedom.map { "t test with \($0) df" } ?? "z test"
        let how = regression == .lm ? "weighted least squares, \(test)" : "meta-regression (\(method?.rawValue ?? "?") tau^2, \(test))"
        var report = AnalysisReport(
            title: "Regression test for funnel-plot asymmetry (Egger et al. 1997): \(how), predictor \(predictor.rawValue)",
            fields: [
                ("k", .number(Double(y.count))),
                ("model", .string(regression.rawValue)),
                ("predictor", .string(predictor.rawValue)),
                ("zval", .double(statistic)),
                ("pval", .double(pValue)),
                ("dfs", degreesOfFreedom.map { .number(Double($0)) } ?? .null),
                ("limit_est", .double(limitEstimate)),
                ("limit_ci_lb", .double(limitLower)),
                ("limit_ci_ub", .double(limitUpper)),
                ("fit", .object(fit)),
            ] + studyValues(y, v),
            notes: notes + diagnostics.map(\.description), provenance: provenance)
        report.printed = printed(method: method, backTransformation: backTransformation)
        return report
    }
}

extension PETPEESE {
    /// PET and PEESE intercepts and slopes, and the conditional estimate.
    public func report(backTransformation: BackTransformation? = nil, notes: [String] = [],
                       provenance: Provenance? = nil) -> AnalysisReport {
        func part(_ r: EggerRegressionTest) -> JSONValue {
            .object([
                ("coef_names", .array(r.coefficientNames.map { .string($0) })),
                ("beta", .doubles(r.coefficients)),
                ("se", .doubles(r.standardErrors)),
                ("dfs", .number(Double(r.degreesOfFreedom ?? 0))),
                ("limit_est", .double(r.limitEstimate)),
                ("limit_ci_lb", .double(r.limitLower)),
                ("limit_ci_ub", .double(r.limitUpper)),
                ("slope_pval", .double(r.pValue)),
            ])
        }
        var report = AnalysisReport(
            title: "PET-PEESE (Stanley & Doucouliagos 2014): PEESE if PET's intercept has two-sided p < \(NumberFormat.fixed(alpha, digits: 2))",
            fields: [
                ("estimate", .double(estimate)),
                ("ci_lb", .double(confidenceLower)),
                ("ci_ub", .double(confidenceUpper)),
                ("chosen", .string(usesPEESE ? "PEESE" : "PET")),
                ("pet_intercept_pval", .double(petInterceptPValue)),
                ("alpha", .double(alpha)),
                ("PET", part(pet)),
                ("PEESE", part(peese)),
            ],
            notes: notes + diagnostics.map(\.description), provenance: provenance)
        report.printed = printed(backTransformation: backTransformation)
        return report
    }
}

extension RankCorrelationTest {
    /// `ranktest` field names: `tau, pval`.
    public func report(effectSizes y: [Double], samplingVariances v: [Double], notes: [String] = [],
                       provenance: Provenance? = nil) -> AnalysisReport {
        var report = AnalysisReport(
            title: "Rank correlation test for funnel-plot asymmetry (Begg & Mazumdar 1994): Kendall's tau, \(correlation.isExact ? "exact" : "normal approximation") p",
            fields: [
                ("k", .number(Double(y.count))),
                ("tau", .double(tau)),
                ("pval", .double(pValue)),
                ("exact", .bool(correlation.isExact)),
            ] + studyValues(y, v),
            notes: notes + diagnostics.map(\.description), provenance: provenance)
        report.printed = printed()
        return report
    }
}

extension FailSafeN {
    /// `fsn` field names: `type, fsnum, alpha, pval, est, meanes, target, weighted, pool, method, tau2, est_fsn,
    /// tau2_fsn, pval_fsn, ub_sign` (`est` = `meanes`, as metafor 5 names both).
    public func report(effectSizes y: [Double], samplingVariances v: [Double], notes: [String] = [],
                       provenance: Provenance? = nil) -> AnalysisReport {
        var report = AnalysisReport(
            title: "Fail-safe N (\(method.rawValue) method)",
            fields: [
                ("k", .number(Double(y.count))),
                ("type", .string(method.rawValue)),
                ("fsnum", .number(Double(number))),
                ("alpha", .double(alpha)),
                ("pval", .double(pValue)),
                ("est", .double(meanEffect)),
                ("meanes", .double(meanEffect)),
                ("target", .double(target)),
                ("weighted", weighted.map(JSONValue.bool) ?? .null),
                ("pool", pool.map { .string($0.rawValue) } ?? .null),
                ("method", estimator.map { .string($0.rawValue) } ?? .null),
                ("tau2", .double(tauSquared)),
                ("est_fsn", .double(estimateAfter)),
                ("tau2_fsn", .double(tauSquaredAfter)),
                ("pval_fsn", .double(pValueAfter)),
                // metafor's marker for a number that hit its search limit (Binomial, Fisher and General search).
                ("ub_sign", .string(reachedLimit ? ">" : "")),
            ] + studyValues(y, v),
            notes: notes, provenance: provenance)
        report.printed = printed()
        return report
    }
}

extension TrimAndFill {
    /// `trimfill` field names: `side, k0, se_k0, p_k0, k, beta, se, zval, pval, ci_lb, ci_ub, tau2, QE, QEp, I2,
    /// H2, filled_yi, filled_vi, fill`.
    public func report(original: RandomEffectsModel, backTransformation: BackTransformation? = nil, notes: [String] = [],
                       provenance: Provenance? = nil) -> AnalysisReport {
        let m = adjustedModel
        let sideText = sideWasEstimated ? "\(side.rawValue) (estimated)" : side.rawValue
        var report = AnalysisReport(
            title: "Trim-and-fill (Duval & Tweedie 2000): \(estimator.rawValue) estimator, missing studies on the \(sideText) side, \(m.estimator.rawValue) model",
            fields: [
                ("estimator", .string(estimator.rawValue)),
                ("side", .string(side.rawValue)),
                ("k0", .number(Double(missingCount))),
                ("se_k0", .double(missingStandardError)),
                ("p_k0", .double(missingPValue)),
                ("k", .number(Double(m.studyCount))),
                ("beta", .double(m.estimate)),
                ("se", .double(m.standardError)),
                ("zval", .double(m.statistic)),
                ("pval", .double(m.pValue)),
                ("ci_lb", .double(m.confidenceLower)),
                ("ci_ub", .double(m.confidenceUpper)),
                ("tau2", .double(m.tauSquared)),
                ("QE", .double(m.cochranQ)),
                ("QEp", .double(m.cochranQPValue)),
                ("I2", .double(m.iSquared)),
                ("H2", .double(m.hSquared)),
                ("unadjusted_beta", .double(original.estimate)),
                ("filled_yi", .doubles(filledEffects)),
                ("filled_vi", .doubles(filledVariances)),
                ("fill", .array(isFilled.map { .bool($0) })),
            ] + studyValues(original.effectSizes, original.samplingVariances),
            rowLabels: ("study", studies),
            columns: [
                ("yi", filledEffects.map { .double($0) }),
                ("vi", filledVariances.map { .double($0) }),
                ("filled", isFilled.map { .bool($0) }),
            ],
            notes: notes + diagnostics.map(\.description), provenance: provenance)
        report.columnsInJSON = false
        report.printed = printed(original: original, backTransformation: backTransformation)
        return report
    }
}

extension ExcessSignificanceTest {
    /// `tes` field names: `k, O, E, OEratio, test, X2, pval, power, sig, theta, theta_lim, tes_alternative, tes_alpha`.
    public func report(effectSizes y: [Double], samplingVariances v: [Double], notes: [String] = [],
                       provenance: Provenance? = nil) -> AnalysisReport {
        var report = AnalysisReport(
            title: "Test of excess significance (Ioannidis & Trikalinos 2007)",
            fields: [
                ("k", .number(Double(studyCount))),
                ("O", .number(Double(observed))),
                ("E", .double(expected)),
                ("OEratio", .double(ratio)),
                ("test", .string(method.rawValue)),
                ("X2", .double(chiSquared)),
                ("pval", .double(pValue)),
                ("power", .doubles(power)),
                ("sig", .array(significant.map(JSONValue.bool))),
                ("theta", .doubles([theta])),
                ("theta_lim", .doubles(thetaLimits)),
                ("tes_alternative", .string(testAlternative.rawValue)),
                ("tes_alpha", .double(testAlpha)),
            ] + studyValues(y, v),
            notes: notes, provenance: provenance)
        report.printed = printed()
        return report
    }
}

extension HenmiCopasInterval {
    /// `hc` field names: `method` ("DL"), `beta`, `se`, `ci_lb`, `ci_ub`, `tau2`, `u0`, and the random-effects
    /// model's `method_rma`, `beta_rma`, `se_rma`, `ci_lb_rma`, `ci_ub_rma`, `tau2_rma`.
    public func report(model: RandomEffectsModel, backTransformation: BackTransformation? = nil, notes: [String] = [],
                       provenance: Provenance? = nil) -> AnalysisReport {
        var report = AnalysisReport(
            title: "Henmi-Copas confidence interval (Henmi & Copas 2010)",
            fields: [
                ("k", .number(Double(model.studyCount))),
                ("method", .string("DL")),
                ("beta", .double(estimate)),
                ("se", .double(standardError)),
                ("ci_lb", .double(lower)),
                ("ci_ub", .double(upper)),
                ("tau2", .double(tauSquared)),
                ("u0", .double(criticalValue)),
                ("method_rma", .string(model.estimator.rawValue)),
                ("beta_rma", .double(model.estimate)),
                ("se_rma", .double(model.standardError)),
                ("ci_lb_rma", .double(model.confidenceLower)),
                ("ci_ub_rma", .double(model.confidenceUpper)),
                ("tau2_rma", .double(model.tauSquared)),
            ] + studyValues(model.effectSizes, model.samplingVariances),
            notes: notes, provenance: provenance)
        report.printed = printed(model: model, backTransformation: backTransformation)
        return report
    }
}

extension SelectionModel {
    /// `selmodel` field names: `type, k, beta, se, zval, pval, ci_lb, ci_ub, tau2, se_tau2, ci_lb_tau2, ci_ub_tau2,
    /// delta, se_delta, zval_delta, pval_delta, ci_lb_delta, ci_ub_delta, delta_fixed, ll, ll0, LRT, LRTdf, LRTp,
    /// LRT_tau2, LRTp_tau2, fit_stats_ML{logLik, deviance, AIC, BIC, AICc}, ptable{k, interval}` (metafor's), plus
    /// `steps`, `alternative`, `iterations` and `gradient_norm` (convergence diagnostics).
    public func report(effectSizes y: [Double], samplingVariances v: [Double], notes: [String] = [],
                       provenance: Provenance? = nil) -> AnalysisReport {
        let ci = confidenceInterval
        let tauCI = tauSquaredInterval
        let stats = fitStatistics
        var fields: [(String, JSONValue)] = [
            ("type", .string(type.rawValue)),
            ("k", .number(Double(studyCount))),
            ("alternative", .string(alternative.rawValue)),
            ("steps", .doubles(steps)),
            ("beta", .double(estimate)),
            ("se", .double(standardError)),
            ("zval", .double(zValue)),
            ("pval", .double(pValue)),
            ("ci_lb", .double(ci.lower)),
            ("ci_ub", .double(ci.upper)),
            ("tau2", .double(tauSquared)),
            ("se_tau2", .double(tauSquaredStandardError)),
            ("ci_lb_tau2", .double(tauCI?.lower)),
            ("ci_ub_tau2", .double(tauCI?.upper)),
            ("delta", .doubles(delta)),
            ("se_delta", .doubles(deltaStandardErrors)),
            ("zval_delta", .doubles(deltaZValues)),
            ("pval_delta", .doubles(deltaPValues)),
            ("ci_lb_delta", .doubles(deltaIntervals.map { $0?.lower })),
            ("ci_ub_delta", .doubles(deltaIntervals.map { $0?.upper })),
            ("delta_fixed", .array(deltaFixed.map { .bool($0) })),
            ("ll", .double(logLikelihood)),
            ("ll0", .double(logLikelihoodWithoutSelection)),
            ("LRT", .double(likelihoodRatio)),
            ("LRTdf", .number(Double(likelihoodRatioDF))),
            ("LRTp", .double(likelihoodRatioPValue)),
            ("LRT_tau2", .double(tauSquaredLikelihoodRatio)),
            ("LRTp_tau2", .double(tauSquaredLikelihoodRatioPValue)),
            ("fit_stats_ML", .object([("logLik", .double(stats.logLikelihood)), ("deviance", .double(stats.deviance)),
                                      ("AIC", .double(stats.aic)), ("BIC", .double(stats.bic)), ("AICc", .double(stats.aicc))])),
        ]
        if type == .stepFunction {
            fields.append(("ptable", .object([("k", .array(pValueCounts.map { .number(Double($0)) })),
                                              ("interval", .array(intervalLabels.map { .string($0) }))])))
        }
        fields.append(("iterations", .number(Double(iterations))))
        fields.append(("gradient_norm", .double(gradientNorm)))
        var report = AnalysisReport(
            title: "Selection model (\(type.rawValue), alternative \(alternative.rawValue); Vevea & Hedges 1995), ML",
            fields: fields + studyValues(y, v), notes: notes, provenance: provenance)
        report.printed = printed()
        return report
    }

    /// metafor's p-value table labels: "0     < p <= 0.025" (left ends padded to one width).
    var intervalLabels: [String] {
        let left = ([0] + steps.dropLast()).map(NumberFormat.shortest)
        let width = left.map(\.count).max() ?? 0
        return zip(left, steps).map { l, r in l + String(repeating: " ", count: width - l.count) + " < p <= " + NumberFormat.shortest(r) }
    }
}
