#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis

extension BayesianMetaRegressionSummary {
    /// The text report, in the voice of bayesmeta's `print.bmr()`: data, priors, ML and MAP estimates, the marginal
    /// posterior summary of τ and each coefficient (shortest intervals), predictions and the shrinkage estimates.
    public func textReport(studyLabels: [String]? = nil, predictionLabels: [String]? = nil, digits: Int = 4) -> String {
        let f: (Double?) -> String = { $0.map { NumberFormat.fixed($0, digits: digits) } ?? "NA" }
        let k = model.effectSizes.count
        let names = model.coefficientNames
        let labels = studyLabels ?? (1...k).map { "\($0)" }
        var out = "Bayesian random-effects meta-regression (normal-normal hierarchical model)\n\n"
        out += "\(k) estimate\(k == 1 ? "" : "s"):\n\(labels.joined(separator: ", "))\n\n"
        out += "\(names.count) regression coefficient\(names.count == 1 ? "" : "s"):\n\(names.joined(separator: ", "))\n\n"
        out += "tau prior (\(model.tauPrior.isProper ? "proper" : "improper")):\n\(model.tauPrior.label)\n\n"
        out += "regression coefficients' prior (\(model.coefficientPrior == .improperUniform ? "improper" : "proper")):\n\(model.coefficientPrior.label)\n\n"
        out += "ML and MAP estimates:\n"
        func row(_ name: String, _ e: BayesianMetaRegressionModel.Estimate) -> [String] {
            [name, f(e.tau)] + names.indices.map { f(e.coefficients?[$0]) }
        }
        out += TextTable(header: ["", "tau"] + names, rows: [
            row("ML joint", maximumLikelihood), row("MAP joint", maximumAPosteriori.joint),
            row("MAP marginal", maximumAPosteriori.marginal),
        ]).rendered()
        let percent = NumberFormat.fixed(level * 100, digits: 0)
        out += "\nmarginal posterior summary:\n"
        out += BayesianRandomEffectsSummary.posteriorSummaryText(
            [(name: "tau", marginal: tau)] + names.indices.map { (name: names[$0], marginal: coefficients[$0]) },
                                                                 percent: percent, format: f)
        if !predictions.isEmpty {
            let rowLabels = predictionLabels ?? predictions.map { $0.covariates.map { f($0) }.joined(separator: ", ") }
            out += "\npredictions (mean effect x'beta, and a new study's effect):\n"
            out += TextTable(header: ["at", "mean", "sd", "\(percent)% lower", "\(percent)% upper", "new study \(percent)% lower", "new study \(percent)% upper"],
                             rows: predictions.indices.map { i in
                                 let p = predictions[i]
                                 return [rowLabels[i], f(p.mean.mean), f(p.mean.standardDeviation), f(p.mean.shortest.lower),
                                         f(p.mean.shortest.upper), f(p.predictive.shortest.lower), f(p.predictive.shortest.upper)]
                             }).rendered()
        }
        out += BayesianRandomEffectsSummary.shrinkageAndQuadratureText(
            shrinkage, effectSizes: model.effectSizes, standardErrors: model.standardErrors, labels: labels, percent: percent,
            quadratureError: model.quadratureErrorEstimate, format: f)
        return out
    }

    /// One row per quantity (`parameter, mode, median, mean, sd, lower, upper, central_lower, central_upper`) for
    /// tau, each coefficient, each prediction (`mean[at]`, `new[at]`) and each study's shrinkage estimate.
    public func csvDocument(studyLabels: [String]? = nil, predictionLabels: [String]? = nil) -> CSVDocument {
        let field: (Double?) -> String = { $0.map(NumberFormat.shortest) ?? "NA" }
        func row(_ name: String, _ m: Marginal) -> [String] {
            [name, field(m.mode), field(m.median), field(m.mean), field(m.standardDeviation),
             field(m.shortest.lower), field(m.shortest.upper), field(m.central.lower), field(m.central.upper)]
        }
        var rows = [row("tau", tau)] + coefficients.indices.map { row(model.coefficientNames[$0], coefficients[$0]) }
        let atLabels = predictionLabels ?? predictions.map { $0.covariates.map(NumberFormat.shortest).joined(separator: " ") }
        for (i, p) in predictions.enumerated() {
            rows.append(row("mean[\(atLabels[i])]", p.mean))
            rows.append(row("new[\(atLabels[i])]", p.predictive))
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
