#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis

extension BayesianMetaRegressionSummary {
    /// The JSON document of a Bayesian meta-regression, with the field names of the conformance bank's `bmr` cases
    /// (bayesmeta 3.4): `k, d, beta_names, y, sigma, tau_prior_proper, summary{tau, <coefficient>…}, ML{joint,
    /// marginal}, MAP{joint, marginal}, marginal_likelihood, log_marginal_likelihood, bayesfactor, intervals,
    /// quantiles, grid_tau, shrinkage, predictions[{x, mean, predictive}]`, then `priors` and `diagnostics`.
    /// `ML.marginal` and the Bayes factors are null (bmr does not define them).
    public func jsonValue() -> JSONValue {
        let names = model.coefficientNames
        let numbers: ([Double]) -> JSONValue = JSONValue.doubles
        let pair = Marginal.jsonPair
        let marginal: (Marginal) -> JSONValue = \.jsonSummary
        func estimate(_ e: BayesianMetaRegressionModel.Estimate?) -> JSONValue {
            .object([("tau", .double(e?.tau))] + names.indices.map { (names[$0], .double(e?.coefficients?[$0])) })
        }
        func byName(tau: JSONValue, _ value: (Marginal) -> JSONValue) -> JSONValue {
            .object([("tau", tau)] + names.indices.map { (names[$0], value(coefficients[$0])) })
        }
        func prediction(_ m: Marginal) -> JSONValue {
            .object([("quantiles", numbers(m.quantiles)), ("shortest", pair(m.shortest)), ("central", pair(m.central)),
                     ("mean", .double(m.mean)), ("sd", .double(m.standardDeviation))])
        }
        let nullFactors = JSONValue.object([("tau0", .null)] + names.map { ($0 + "0", JSONValue.null) })
        var fields: [(String, JSONValue)] = [
            ("k", .number(Double(model.effectSizes.count))), ("d", .number(Double(names.count))),
            ("beta_names", .array(names.map { .string($0) })),
            ("y", numbers(model.effectSizes)), ("sigma", numbers(model.standardErrors)),
            ("tau_prior_proper", .bool(model.tauPrior.isProper)),
            ("summary", byName(tau: marginal(tau), marginal)),
            ("ML", .object([("joint", estimate(maximumLikelihood)), ("marginal", estimate(nil))])),
            ("MAP", .object([("joint", estimate(maximumAPosteriori.joint)), ("marginal", estimate(maximumAPosteriori.marginal))])),
            ("marginal_likelihood", .double(logMarginalLikelihood.map { exp($0) })),
            ("log_marginal_likelihood", .double(logMarginalLikelihood)),
            ("bayesfactor", .object([("actual", nullFactors), ("minimum", nullFactors)])),
            ("intervals", byName(tau: .object([("shortest", pair(tau.shortest)), ("central", pair(tau.central))])) {
                .object([("shortest", pair($0.shortest)), ("central", pair($0.central))])
            }),
            ("quantiles", .object([("p", numbers(quantileProbabilities)), ("tau", numbers(tau.quantiles))]
                                  + names.indices.map { (names[$0], numbers(coefficients[$0].quantiles)) })),
            ("grid_tau", .object([("tau", numbers(tauGrid)), ("density", numbers(tauDensity)), ("cdf", numbers(tauCDF))])),
            ("shrinkage", .object([
                ("mode", numbers(shrinkage.map(\.mode))),
                ("median", numbers(shrinkage.map(\.median))), ("mean", numbers(shrinkage.map(\.mean))),
                ("sd", numbers(shrinkage.map(\.standardDeviation))),
                ("lower95", numbers(shrinkage.map(\.shortest.lower))), ("upper95", numbers(shrinkage.map(\.shortest.upper))),
                ("central_lower95", numbers(shrinkage.map(\.central.lower))),
                ("central_upper95", numbers(shrinkage.map(\.central.upper))),
            ])),
            ("predictions", .array(predictions.map {
                .object([("x", numbers($0.covariates)), ("mean", prediction($0.mean)), ("predictive", prediction($0.predictive))])
            })),
        ]
        fields.append(("priors", .object([("tau", .string(model.tauPrior.label)), ("beta", .string(model.coefficientPrior.label))])))
        fields.append(("diagnostics", .object([
            ("quadrature_relative_error_estimate", .double(model.quadratureErrorEstimate)),
            ("quadrature_nodes", .number(Double(model.quadratureNodes))),
        ])))
        return .object(fields)
    }
}
