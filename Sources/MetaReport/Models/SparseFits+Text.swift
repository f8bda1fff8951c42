import MetaAnalysis

/// The text of the Mantel-Haenszel, Peto and GLMM fits in the layout of metafor's `print.rma.mh`,
/// `print.rma.peto` and `print.rma.glmm`.
enum SparseFitText {
    static func f(_ x: Double) -> String { NumberFormat.fixed(x) }

    /// "p-val < .0001" / "p-val = 0.1234"; with `add0`, "< 0.0001" (metafor's `.pval(add0 = TRUE)`).
    static func pValue(_ p: Double, add0: Bool = false) -> String {
        let s = NumberFormat.pValue(p)
        guard s.hasPrefix("<") else { return "p-val = " + s }
        return "p-val < " + (add0 ? "0" : "") + s.dropFirst()
    }

    /// I², H² and Q of a common-effect fit, as `print.rma.mh` and `print.rma.peto` show them.
    static func heterogeneity(_ h: FixedEstimateHeterogeneity) -> String {
        var out = ""
        if let i2 = h.iSquared { out += "I^2 (total heterogeneity / total variability):  \(NumberFormat.fixed(i2, digits: 2))%\n" }
        if let h2 = h.hSquared { out += "H^2 (total variability / sampling variability): \(NumberFormat.fixed(h2, digits: 2))\n" }
        if let q = h.q {
            out += "\nTest for Heterogeneity:\nQ(df = \(q.degreesOfFreedom)) = \(f(q.statistic)), \(pValue(q.pValue))\n"
        }
        if h.iSquared != nil || h.hSquared != nil || h.q != nil { out += "\n" }
        return out
    }

    /// The estimate table; for log-scale measures headed "(log scale)" and followed by the exponentiated estimate
    /// and CI.
    static func results(_ p: PooledEstimate, logScaleOf measure: String?) -> String {
        let table = RandomEffectsReport.rightAligned(
            header: ["estimate", "se", "zval", "pval", "ci.lb", "ci.ub"],
            row: [f(p.estimate), f(p.standardError), f(p.zValue), NumberFormat.pValue(p.pValue), f(p.ciLower), f(p.ciUpper)])
        guard let measure else { return "Model Results:\n\n" + table }
        let exp = BackTransformation.exp
        return "Model Results (log scale):\n\n" + table + "\nModel Results (\(measure) scale):\n\n"
            + RandomEffectsReport.rightAligned(header: ["estimate", "ci.lb", "ci.ub"],
                                               row: [f(exp.apply(p.estimate)), f(exp.apply(p.ciLower)), f(exp.apply(p.ciUpper))])
    }

    static func padded(_ s: String, to width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
}

extension MantelHaenszelFit {
    /// `print.rma.mh`: model line, I², H², Q, the results (log and ratio scale for OR, RR, IRR), and the
    /// Cochran-Mantel-Haenszel and Tarone tests for OR (the Mantel-Haenszel test for IRR).
    public func printed() -> String {
        let logScale = [EffectMeasure.logOddsRatio, .logRiskRatio, .logIncidenceRateRatio].contains(measure)
        var out = "\nEqual-Effects Model (k = \(tableCount))\n\n" + SparseFitText.heterogeneity(heterogeneity)
        out += SparseFitText.results(pooled, logScaleOf: logScale ? String(measure.rawValue) : nil)
        if measure == .logOddsRatio {
            let mh = cochranMantelHaenszel.map { SparseFitText.f($0.statistic) }
            let ta = tarone.map { SparseFitText.f($0.statistic) }
            let width = max(mh?.count ?? 1, ta?.count ?? 1)
            let kPos = informativeTableCount ?? tableCount
            out += "\nCochran-Mantel-Haenszel Test:    "
            if let cmh = cochranMantelHaenszel, let mh {
                out += "CMH = \(SparseFitText.padded(mh, to: width)), df = 1,\(String(repeating: " ", count: String(kPos).count - 1)) "
                    + SparseFitText.pValue(cmh.pValue, add0: true) + "\n"
            } else {
                out += "test value not computable for these data\n"
            }
            out += "Tarone's Test for Heterogeneity: "
            if let t = tarone, let ta {
                out += "X^2 = \(SparseFitText.padded(ta, to: width)), df = \(kPos - 1), " + SparseFitText.pValue(t.pValue, add0: true) + "\n"
            } else {
                out += "test value not computable for these data\n"
            }
        } else if measure == .logIncidenceRateRatio {
            out += "\nMantel-Haenszel Test: "
            out += cochranMantelHaenszel.map { "MH = \(SparseFitText.f($0.statistic)), df = 1, \(SparseFitText.pValue($0.pValue))\n" }
                ?? "test value not computable for these data\n"
        }
        return out
    }
}

extension PetoFit {
    /// `print.rma.peto`: model line, I², H², Q, the results on the log and odds-ratio scales.
    public func printed() -> String {
        "\nEqual-Effects Model (k = \(tableCount))\n\n" + SparseFitText.heterogeneity(heterogeneity)
            + SparseFitText.results(pooled, logScaleOf: "OR")
    }
}

extension GLMMFit {
    /// `print.rma.glmm`: model line and type, τ², τ, I², H², the Wald and likelihood-ratio tests for
    /// heterogeneity, the results; then the estimate back-transformed (exp for OR, IRR, ...; transf.ilogit for PLO).
    public func printed() -> String {
        let f = SparseFitText.f
        var out = options.estimator == .commonEffect
            ? "\nEqual-Effects Model (k = \(studyCount))\n" : "\nRandom-Effects Model (k = \(studyCount); tau^2 estimator: ML)\n"
        switch options.model {
        case .unconditionalFixedStudyEffects: out += "Model Type: Unconditional Model with Fixed Study Effects\n"
        case .conditionalExactLikelihood: out += "Model Type: Conditional Model with Exact Likelihood\n"
        case .conditionalApproximateLikelihood: out += "Model Type: Conditional Model with Approximate Likelihood\n"
        }
        out += "\ntau^2 (estimated amount of total heterogeneity): \(f(tauSquared))\n"
        out += "tau (square root of estimated tau^2 value):      \(f(tauSquared.squareRoot()))\n"
        // metafor 3.8-1 prints I² and H² of a GLMM with its 'het' digits (4), not the 2 of print.rma.uni.
        out += "I^2 (total heterogeneity / total variability):   \(f(iSquared))%\n"
        out += "H^2 (total variability / sampling variability):  \(f(hSquared))\n"
        if waldHeterogeneity != nil || likelihoodRatioHeterogeneity != nil {
            let wald = waldHeterogeneity.map { f($0.statistic) } ?? "NA", lrt = likelihoodRatioHeterogeneity.map { f($0.statistic) } ?? "NA"
            let width = max(wald.count, lrt.count)
            out += "\nTests for Heterogeneity:\n"
            if let w = waldHeterogeneity {
                out += "Wld(df = \(w.degreesOfFreedom)) = \(SparseFitText.padded(wald, to: width)), \(SparseFitText.pValue(w.pValue))\n"
            }
            if let l = likelihoodRatioHeterogeneity {
                out += "LRT(df = \(l.degreesOfFreedom)) = \(SparseFitText.padded(lrt, to: width)), \(SparseFitText.pValue(l.pValue))\n"
            }
        }
        out += "\n" + SparseFitText.results(pooled, logScaleOf: nil)
        if let t = measure.backTransformation() {
            out += "\nBack-transformed (\(t.name)):\n\n"
            out += RandomEffectsReport.rightAligned(header: ["estimate", "ci.lb", "ci.ub", "pi.lb", "pi.ub"],
                                                    row: [f(t.apply(pooled.estimate)), f(t.apply(pooled.ciLower)), f(t.apply(pooled.ciUpper)),
                                                          f(t.apply(predictionInterval.lower)), f(t.apply(predictionInterval.upper))])
        }
        return out
    }
}
