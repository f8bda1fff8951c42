#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis

extension BayesianRandomEffectsSummary {
    /// The JSON document of a Bayesian random-effects analysis, with the field names of the conformance bank's
    /// `bayesmeta` group (bayesmeta 3.4's accessors): `k, y, sigma, tau_prior_proper, summary{tau, mu, theta}{mode,
    /// median, mean, sd, lower95, upper95}, ML/MAP{joint, marginal}{tau, mu}, marginal_likelihood,
    /// log_marginal_likelihood, bayesfactor{actual, minimum}{tau0, mu0}, intervals{tau, mu, theta_pred}{shortest,
    /// central}, quantiles{p, tau, mu, theta_pred}, grid_tau{density, cdf}, grid_mu{density, cdf, pred_density,
    /// pred_cdf}, shrinkage{mode, mode_within_mu_deciles, median, mean, sd, lower95, upper95, central_lower95,
    /// central_upper95}, I2{sigma2hat, p, quantiles}, weights, weight_prior_mean`, then `priors` and `diagnostics`.
    public func jsonValue() -> JSONValue {
        let numbers: ([Double]) -> JSONValue = JSONValue.doubles
        let pair = Marginal.jsonPair
        let marginal: (Marginal) -> JSONValue = \.jsonSummary
        func estimate(_ e: BayesianRandomEffectsModel.Estimate) -> JSONValue {
            .object([("tau", .double(e.tau)), ("mu", .double(e.mu))])
        }
        var fields: [(String, JSONValue)] = [
            ("k", .number(Double(model.effectSizes.count))),
            ("y", numbers(model.effectSizes)), ("sigma", numbers(model.standardErrors)),
            ("tau_prior_proper", .bool(model.tauPrior.isProper)),
            ("summary", .object([("tau", marginal(tau)), ("mu", marginal(mu)), ("theta", marginal(theta))])),
            ("ML", .object([("joint", estimate(maximumLikelihood.joint)), ("marginal", estimate(maximumLikelihood.marginal))])),
            ("MAP", .object([("joint", estimate(maximumAPosteriori.joint)), ("marginal", estimate(maximumAPosteriori.marginal))])),
            ("marginal_likelihood", .double(logMarginalLikelihood.map { exp($0) })),
            ("log_marginal_likelihood", .double(logMarginalLikelihood)),
            ("bayesfactor", .object([
                ("actual", .object([("tau0", .double(bayesFactors.actualTau0)), ("mu0", .double(bayesFactors.actualMu0))])),
                ("minimum", .object([("tau0", .double(bayesFactors.minimumTau0)), ("mu0", .double(bayesFactors.minimumMu0))])),
            ])),
            ("intervals", .object([
                ("tau", .object([("shortest", pair(tau.shortest)), ("central", pair(tau.central))])),
                ("mu", .object([("shortest", pair(mu.shortest)), ("central", pair(mu.central))])),
                ("theta_pred", .object([("shortest", pair(theta.shortest)), ("central", pair(theta.central))])),
            ])),
            ("quantiles", .object([("p", numbers(quantileProbabilities)), ("tau", numbers(tau.quantiles)),
                                   ("mu", numbers(mu.quantiles)), ("theta_pred", numbers(theta.quantiles))])),
            ("grid_tau", .object([("tau", numbers(tauGrid)), ("density", numbers(tauDensity)), ("cdf", numbers(tauCDF))])),
            ("grid_mu", .object([("mu", numbers(muGrid)), ("density", numbers(muDensity)), ("cdf", numbers(muCDF)),
                                 ("pred_density", numbers(predictiveDensity)), ("pred_cdf", numbers(predictiveCDF))])),
            ("shrinkage", .object([
                ("mode", numbers(shrinkage.map(\.mode))),
                ("mode_within_mu_deciles", numbers(shrinkage.map(\.modeWithinMuDeciles))),
                ("median", numbers(shrinkage.map(\.median))), ("mean", numbers(shrinkage.map(\.mean))),
                ("sd", numbers(shrinkage.map(\.standardDeviation))),
                ("lower95", numbers(shrinkage.map(\.shortest.lower))), ("upper95", numbers(shrinkage.map(\.shortest.upper))),
                ("central_lower95", numbers(shrinkage.map(\.central.lower))),
                ("central_upper95", numbers(shrinkage.map(\.central.upper))),
            ])),
            ("I2", .object([("sigma2hat", .double(model.higginsThompsonVariance)), ("p", numbers(quantileProbabilities)),
                            ("quantiles", numbers(iSquaredQuantiles))])),
            ("weights", numbers(weights)),
        ]
        if let priorMeanWeight { fields.append(("weight_prior_mean", .double(priorMeanWeight))) }
        fields.append(("priors", .object([("tau", .string(model.tauPrior.label)), ("mu", .string(model.muPrior.label))])))
        fields.append(("diagnostics", .object([
            ("quadrature_relative_error_estimate", .double(model.quadratureErrorEstimate)),
            ("quadrature_nodes", .number(Double(model.quadratureNodes))),
        ])))
        return .object(fields)
    }
}

extension BayesianRandomEffectsSummary.Marginal {
    /// `{mode, median, mean, sd, lower95, upper95}` (bayesmeta's summary column; the bounds of the shortest interval).
    var jsonSummary: JSONValue {
        .object([("mode", .double(mode)), ("median", .double(median)), ("mean", .double(mean)),
                 ("sd", .double(standardDeviation)), ("lower95", .double(shortest.lower)), ("upper95", .double(shortest.upper))])
    }

    /// An interval as `[lower, upper]`.
    static func jsonPair(_ p: (lower: Double, upper: Double)) -> JSONValue { .doubles([p.lower, p.upper]) }
}
