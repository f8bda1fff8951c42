import MetaAnalysis

/// The text of the bias analyses in the layout of metafor's print methods (`print.regtest`, `print.ranktest`,
/// `print.fsn`, `print.rma.uni` of a trim-and-fill fit), followed by what metafor leaves out: estimates
/// back-transformed for ratio measures.
enum BiasText {
    static func f(_ x: Double) -> String { NumberFormat.fixed(x) }

    /// "p = 0.4218" or "p < .0001" (metafor's `.pval(..., showeq = TRUE, sep = " ")`).
    static func p(_ x: Double, name: String = "p") -> String {
        let s = NumberFormat.pValue(x)
        return name + (s.hasPrefix("<") ? " < " + s.dropFirst() : " = " + s)
    }

    /// "b = -0.5104 (CI: -1.1182, 0.0974)".
    static func estimate(_ b: Double, _ lower: Double, _ upper: Double) -> String {
        "b = \(f(b)) (CI: \(f(lower)), \(f(upper)))"
    }

    static func backTransformed(_ t: BackTransformation?, _ b: Double, _ lower: Double, _ upper: Double, label width: Int) -> String {
        guard let t else { return "" }
        return "Back-transformed (\(t.name)):".padding(to: width) + "  \(f(t.apply(b))) (CI: \(f(t.apply(lower))), \(f(t.apply(upper))))\n"
    }

    static func predictorName(_ p: AsymmetryPredictor) -> String {
        switch p {
        case .sei: return "standard error"
        case .vi: return "sampling variance"
        case .ni: return "sample size"
        case .ninv: return "inverse of the sample size"
        case .sqrtninv: return "inverse of the square root sample size"
        }
    }

    /// The label before the limit estimate, padded as metafor pads it.
    static func limitLabel(_ p: AsymmetryPredictor) -> String {
        switch p {
        case .sei: return "Limit Estimate (as sei -> 0):   "
        case .vi: return "Limit Estimate (as vi -> 0):    "
        case .ni, .ninv, .sqrtninv: return "Limit Estimate (as ni -> inf):  "
        }
    }

    /// "z = -0.8033, p = 0.4218" or "t = -0.7812, df = 11, p = 0.4512".
    static func test(_ statistic: Double, df: Int?, pValue: Double) -> String {
        if let df { return "t = \(f(statistic)), df = \(df), \(p(pValue))" }
        return "z = \(f(statistic)), \(p(pValue))"
    }
}

extension String {
    func padding(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

extension EggerRegressionTest {
    /// `print.regtest`: model, predictor, the asymmetry test (t with its df when it is a t test) and the limit
    /// estimate with its CI; then the limit estimate back-transformed.
    func printed(method: TauSquaredEstimator?, backTransformation: BackTransformation?) -> String {
        var out = "\nRegression Test for Funnel Plot Asymmetry\n\n"
        if regression == .lm {
            out += "Model:     weighted regression with multiplicative dispersion\n"
        } else {
            out += "Model:     \(method == .commonEffect ? "fixed-effects" : "mixed-effects") meta-regression model\n"
        }
        out += "Predictor: \(BiasText.predictorName(predictor))\n\n"
        out += "Test for Funnel Plot Asymmetry: " + BiasText.test(statistic, df: degreesOfFreedom, pValue: pValue) + "\n"
        if predictor.hasLimitEstimate, let b = limitEstimate, let lower = limitLower, let upper = limitUpper {
            out += BiasText.limitLabel(predictor) + BiasText.estimate(b, lower, upper) + "\n"
            out += BiasText.backTransformed(backTransformation, b, lower, upper, label: 30)
        }
        return out
    }
}

extension RankCorrelationTest {
    /// `print.ranktest`.
    func printed() -> String {
        "\nRank Correlation Test for Funnel Plot Asymmetry\n\nKendall's tau = \(BiasText.f(tau)), \(BiasText.p(pValue))\n"
            + (correlation.isExact ? "" : "(p from the normal approximation to Kendall's S)\n")
    }
}

extension FailSafeN {
    /// `print.fsn`: the approach, what it compares, the fail-safe N.
    func printed() -> String {
        var out = "\nFail-safe N Calculation Using the \(method.rawValue) Approach"
            + (pool == .fisher ? " (Fisher's method of pooling p-values)" : "") + "\n\n"
        let alphaText = NumberFormat.shortest(alpha)
        switch method {
        case .rosenthal:
            out += "Observed Significance Level: \(pValue.map { NumberFormat.pValue($0) } ?? "NA")\n"
            out += "Target Significance Level:   \(alphaText)\n"
        case .orwin:
            out += "Average Effect Size: \(meanEffect.map(BiasText.f) ?? "NA")\n"
            out += "Target Effect Size:  \(target.map(BiasText.f) ?? "NA")\n"
        case .binomial:
            out += "Observed Significance Level: \(pValue.map { NumberFormat.pValue($0) } ?? "NA")\n"
            out += "Target Significance Level:   \(alphaText)\n"
        case .general:
            let k = "with k = \(studyCount) studies"
            let kAfter = "with k = \(studyCount + (addedStudies ?? 0)) studies"
            out += "Average Effect Size:         \(meanEffect.map(BiasText.f) ?? "NA") (\(k))\n"
            out += "Amount of Heterogeneity:     \(tauSquared.map(BiasText.f) ?? "NA")\n"
            out += "Observed Significance Level: \(pValue.map { NumberFormat.pValue($0) } ?? "NA") (\(k))\n"
            if let target {
                out += "Target Effect Size:          \(BiasText.f(target))\n"
            } else {
                out += "Target Significance Level:   \(alphaText)\n"
            }
            out += "\nAverage Effect Size:         \(estimateAfter.map(BiasText.f) ?? "NA") (\(kAfter))\n"
            out += "Amount of Heterogeneity:     \(tauSquaredAfter.map(BiasText.f) ?? "NA")\n"
            out += "Observed Significance Level: \(pValueAfter.map { NumberFormat.pValue($0) } ?? "NA") (\(kAfter))\n"
        case .rosenberg:
            out += "Average Effect Size:         \(meanEffect.map(BiasText.f) ?? "NA")\n"
            out += "Observed Significance Level: \(pValue.map { NumberFormat.pValue($0) } ?? "NA")\n"
            out += "Target Significance Level:   \(alphaText)\n"
        }
        return out + "\nFail-safe N: \(reachedLimit ? ">" : "")\(number)\n"
    }
}

extension TrimAndFill {
    /// metafor's print of a trim-and-fill fit: the estimated number of missing studies, then the filled model as
    /// `print.rma.uni` shows it; then the estimate back-transformed and the unadjusted one.
    func printed(original: RandomEffectsModel, backTransformation: BackTransformation?) -> String {
        let m = adjustedModel
        var out = "\nEstimated number of missing studies on the \(side.rawValue) side: \(missingCount) "
            + "(SE = \(BiasText.f(missingStandardError)))\n"
        if let p = missingPValue {
            out += "Test of H0: no missing studies on the \(side.rawValue) side:"
                + String(repeating: " ", count: 5 + String(missingCount).count) + "p-val \(RandomEffectsReport.pText(p))\n"
        }
        out += "\n" + RandomEffectsReport.metaforSummary(m)
        if let t = backTransformation {
            out += "\nBack-transformed (\(t.name)):\n\n"
            out += RandomEffectsReport.rightAligned(header: ["estimate", "ci.lb", "ci.ub"],
                                                    row: [BiasText.f(t.apply(m.estimate)), BiasText.f(t.apply(m.confidenceLower)),
                                                          BiasText.f(t.apply(m.confidenceUpper))])
        }
        out += "\nWithout the filled studies (k = \(original.studyCount)): estimate \(BiasText.f(original.estimate))"
            + (backTransformation.map { " (\($0.name): \(BiasText.f($0.apply(original.estimate))))" } ?? "")
            + "; side \(sideWasEstimated ? "estimated from the funnel's asymmetry" : "as given"), \(estimator.rawValue) estimator\n"
        return out
    }
}

extension PETPEESE {
    /// PET, PEESE and the conditional estimate, in the layout of `print.regtest` (metafor has no PET-PEESE print).
    func printed(backTransformation: BackTransformation?) -> String {
        var out = "\nPET-PEESE (Stanley & Doucouliagos 2014)\n\n"
        func line(_ name: String, _ r: EggerRegressionTest) -> String {
            guard let b = r.limitEstimate, let lower = r.limitLower, let upper = r.limitUpper else { return "" }
            return "\(name) (predictor: \(BiasText.predictorName(r.predictor))):".padding(to: 46)
                + BiasText.estimate(b, lower, upper) + "\n"
        }
        out += line("PET", pet) + line("PEESE", peese)
        out += "\nTest of PET's intercept:".padding(to: 47) + BiasText.p(petInterceptPValue)
            + " (PEESE if p < \(NumberFormat.shortest(alpha)))\n"
        out += "Conditional estimate (\(usesPEESE ? "PEESE" : "PET")):".padding(to: 46)
            + BiasText.estimate(estimate, confidenceLower, confidenceUpper) + "\n"
        out += BiasText.backTransformed(backTransformation, estimate, confidenceLower, confidenceUpper, label: 44)
        return out
    }
}

extension ExcessSignificanceTest {
    /// The layout of metafor's `print.tes`: the test, observed and expected numbers, the limit estimate(s).
    func printed() -> String {
        let testName: String
        switch method {
        case .chiSquared: testName = "chi-square test"
        case .binomial: testName = "binomial test"
        default: testName = "exact test"
        }
        var out = "\nTest of Excess Significance\n\n"
        out += "Observed Number of Significant Findings: \(observed) (out of \(studyCount))\n"
        out += "Expected Number of Significant Findings: \(BiasText.f(expected))\n"
        out += "Observed Number / Expected Number:       \(BiasText.f(ratio))\n\n"
        out += "Estimated Power of Tests (based on theta = \(BiasText.f(theta)))\n\n"
        out += "Test of Excess Significance: p = \(NumberFormat.pValue(pValue)) (\(testName), \(testAlternative.rawValue))\n"
        let limits = thetaLimits.map(BiasText.f).joined(separator: ", ")
        out += "Limit Estimate (theta_lim):  \(limits.isEmpty ? "not found" : limits) (where p = \(NumberFormat.shortest(testAlpha)))\n"
        return out
    }
}

extension HenmiCopasInterval {
    /// The layout of `print.hc.rma.uni`: the random-effects model's row and the Henmi-Copas row side by side.
    func printed(model: RandomEffectsModel, backTransformation: BackTransformation?) -> String {
        let header = "method    tau^2 estimator  estimate       se    ci.lb    ci.ub"
        func right(_ s: String) -> String { String(repeating: " ", count: max(0, 8 - s.count)) + s }
        func row(_ name: String, _ estimator: String, _ b: Double, _ se: Double, _ lb: Double, _ ub: Double) -> String {
            name.padding(to: 10) + estimator.padding(to: 17) + [b, se, lb, ub].map { right(BiasText.f($0)) }.joined(separator: " ") + "\n"
        }
        var out = "\n" + header + "\n"
        out += row("rma", model.estimator.rawValue, model.estimate, model.standardError, model.confidenceLower, model.confidenceUpper)
        out += row("hc", "DL", estimate, standardError, lower, upper)
        out += "\nHenmi-Copas: the fixed-effect estimate with a \(NumberFormat.shortest(level))% interval of u = "
            + "\(BiasText.f(criticalValue)) standard errors (DL tau^2 = \(BiasText.f(tauSquared)))\n"
        out += BiasText.backTransformed(backTransformation, estimate, lower, upper, label: 28)
        return out
    }
}

extension SelectionModel {
    /// metafor's print of a selection model: τ², the LRT of τ² = 0, the LRT for selection, μ̂ and the δ table.
    func printed() -> String {
        var out = "\nRandom-Effects Model (k = \(studyCount); tau^2 estimator: ML)\n\n"
        out += "tau^2 (estimated amount of total heterogeneity): \(BiasText.f(tauSquared))"
            + (tauSquaredStandardError.map { " (SE = \(BiasText.f($0)))" } ?? "") + "\n"
        out += "\nTest for Heterogeneity:\nLRT(df = 1) = \(BiasText.f(tauSquaredLikelihoodRatio)), \(BiasText.p(tauSquaredLikelihoodRatioPValue, name: "p-val"))\n"
        out += "\nSelection Function: Step Function (alternative \(alternative.rawValue))\n"
        out += "\nTest for Selection Model Parameters:\nLRT(df = \(likelihoodRatioDF)) = \(BiasText.f(likelihoodRatio)), \(BiasText.p(likelihoodRatioPValue, name: "p-val"))\n"
        let ci = confidenceInterval
        out += "\nModel Results:\n\n"
        out += TextTable(header: ["estimate", "se", "zval", "pval", "ci.lb", "ci.ub"],
                          rows: [[BiasText.f(estimate), BiasText.f(standardError), BiasText.f(zValue), NumberFormat.pValue(pValue),
                                        BiasText.f(ci.lower), BiasText.f(ci.upper)]]).rendered()
        out += "\nTest for Selection Model Parameters (H0: delta = \(NumberFormat.shortest(deltaNull))):\n\n"
        let z = deltaZValues, p = deltaPValues, intervals = deltaIntervals
        let rows = delta.indices.map { j -> [String] in
            let label = type == .stepFunction ? intervalLabels[j] : "delta.\(j + 1)"
            let count = type == .stepFunction ? String(pValueCounts[j]) : ""
            guard let se = deltaStandardErrors[j], let zj = z[j], let pj = p[j], let cij = intervals[j] else {
                return [label, count, BiasText.f(delta[j]), "---", "---", "---", "---", "---"]
            }
            return [label, count, BiasText.f(delta[j]), BiasText.f(se), BiasText.f(zj), NumberFormat.pValue(pj),
                    BiasText.f(cij.lower), BiasText.f(cij.upper)]
        }
        out += TextTable(header: ["", "k", "estimate", "se", "zval", "pval", "ci.lb", "ci.ub"], rows: rows).rendered()
        return out
    }
}
