#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis

extension BayesianRandomEffectsSummary {
    /// The text report, in the voice of bayesmeta's `print()`/`summary()`: data, priors, ML and MAP estimates, the
    /// marginal posterior summary of τ, μ and θ (shortest intervals), I², Bayes factors and the shrinkage estimates.
    public func textReport(studyLabels: [String]? = nil, digits: Int = 4) -> String {
        let f: (Double?) -> String = { $0.map { NumberFormat.fixed($0, digits: digits) } ?? "NA" }
        let k = model.effectSizes.count
        let labels = studyLabels ?? (1...k).map { "\($0)" }
        var out = "Bayesian random-effects meta-analysis (normal-normal hierarchical model)\n\n"
        out += "\(k) estimate\(k == 1 ? "" : "s"):\n\(labels.joined(separator: ", "))\n\n"
        out += "tau prior (\(model.tauPrior.isProper ? "proper" : "improper")):\n\(model.tauPrior.label)\n\n"
        out += "mu prior (\(model.muPrior == .improperUniform ? "improper" : "proper")):\n\(model.muPrior.label)\n\n"
        out += "ML and MAP estimates:\n"
        out += TextTable(header: ["", "tau", "mu"], rows: [
            ["ML joint", f(maximumLikelihood.joint.tau), f(maximumLikelihood.joint.mu)],
            ["ML marginal", f(maximumLikelihood.marginal.tau), f(maximumLikelihood.marginal.mu)],
            ["MAP joint", f(maximumAPosteriori.joint.tau), f(maximumAPosteriori.joint.mu)],
            ["MAP marginal", f(maximumAPosteriori.marginal.tau), f(maximumAPosteriori.marginal.mu)],
        ]).rendered()
        let percent = NumberFormat.fixed(level * 100, digits: 0)
        out += "\nmarginal posterior summary:\n"
        out += Self.posteriorSummaryText([("tau", tau), ("mu", mu), ("theta", theta)],
                                         percent: percent, format: f)
        if let median = quantileProbabilities.firstIndex(of: 0.5) {
            out += "\nrelative heterogeneity I^2 (posterior median): \(f(iSquaredQuantiles[median]))\n"
        }
        out += "\nBayes factors:\n"
        out += TextTable(header: ["", "tau=0", "mu=0"], rows: [
            ["actual", f(bayesFactors.actualTau0), f(bayesFactors.actualMu0)],
            ["minimum", f(bayesFactors.minimumTau0), f(bayesFactors.minimumMu0)],
        ]).rendered()
        out += BayesianRandomEffectsSummary.shrinkageAndQuadratureText(
            shrinkage, effectSizes: model.effectSizes, standardErrors: model.standardErrors, labels: labels, percent: percent,
            quadratureError: model.quadratureErrorEstimate, format: f)
        return out
    }

    /// One row per quantity (`parameter, mode, median, mean, sd, lower, upper, central_lower, central_upper`) for
    /// tau, mu, theta and each study's shrinkage estimate (`theta[label]`).
    public func csvDocument(studyLabels: [String]? = nil) -> CSVDocument {
        let field: (Double?) -> String = { $0.map(NumberFormat.shortest) ?? "NA" }
        var rows: [[String]] = []
        for (name, m) in [("tau", tau), ("mu", mu), ("theta", theta)] {
            rows.append([name, field(m.mode), field(m.median), field(m.mean), field(m.standardDeviation),
                         field(m.shortest.lower), field(m.shortest.upper), field(m.central.lower), field(m.central.upper)])
        }
        let labels = studyLabels ?? (1...model.effectSizes.count).map { "\($0)" }
        for (i, s) in shrinkage.enumerated() {
            rows.append(["theta[\(labels[i])]", field(s.mode), field(s.median), field(s.mean), field(s.standardDeviation),
                         field(s.shortest.lower), field(s.shortest.upper), field(s.central.lower), field(s.central.upper)])
        }
        return CSVDocument(header: ["parameter", "mode", "median", "mean", "sd", "lower", "upper", "central_lower", "central_upper"],
                           rows: rows)
    }
}

extension BayesianRandomEffectsSummary {
    /// The marginal posterior summary table (one column per parameter) and its note on the intervals.
    static func posteriorSummaryText(_ columns: [(name: String, marginal: Marginal)], percent: String,
                                     format f: (Double?) -> String) -> String {
        let m = columns.map(\.marginal)
        return TextTable(header: [""] + columns.map(\.name), rows: [
            ["mode"] + m.map { f($0.mode) },
            ["median"] + m.map { f($0.median) },
            ["mean"] + m.map { f($0.mean) },
            ["sd"] + m.map { f($0.standardDeviation) },
            ["\(percent)% lower"] + m.map { f($0.shortest.lower) },
            ["\(percent)% upper"] + m.map { f($0.shortest.upper) },
        ]).rendered() + "(quoted intervals are shortest credible intervals.)\n"
    }

    /// The shrinkage table and the quadrature's error line that end both Bayesian text reports.
    static func shrinkageAndQuadratureText(_ shrinkage: [Shrinkage], effectSizes: [Double], standardErrors: [Double],
                                           labels: [String], percent: String, quadratureError error: Double,
                                           format f: (Double?) -> String) -> String {
        var out = "\nshrinkage estimates (posterior of each study's true effect):\n"
        out += TextTable(header: ["study", "y", "sigma", "mean", "sd", "\(percent)% lower", "\(percent)% upper"],
                         rows: shrinkage.indices.map { i in
                             [labels[i], f(effectSizes[i]), f(standardErrors[i]), f(shrinkage[i].mean),
                              f(shrinkage[i].standardDeviation), f(shrinkage[i].shortest.lower), f(shrinkage[i].shortest.upper)]
                         }).rendered()
        let exponent = error > 0 ? Int((log10(error)).rounded(.down)) : 0
        let mantissa = NumberFormat.fixed(error / pow(10, Double(exponent)), digits: 1)
        out += "\n(numerical integration over tau: relative error estimate \(mantissa)e\(exponent))\n"
        return out
    }
}
