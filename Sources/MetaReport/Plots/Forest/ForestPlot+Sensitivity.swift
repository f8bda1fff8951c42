import MetaAnalysis

/// Which refits a forest plot of subset fits shows.
public enum ForestSensitivity: String, CaseIterable, Sendable {
    /// Cumulative meta-analysis (`CumulativeAnalysis`): row j pools the first j studies.
    case cumulative
    /// Leave-one-out (`LeaveOneOutAnalysis`): row i pools every study but study i.
    case leaveOneOut
}

extension ForestPlot {
    /// A forest plot of refits of `model` (metafor's `forest(cumul(res))` and `forest(leave1out(res))`): one row per
    /// refit with its pooled estimate and CI, and the number of studies, τ² and I² of that refit as text; the model of
    /// all studies as the diamond. No weights: each row is itself a pooled estimate.
    ///
    /// - Parameters:
    ///   - fits: the refits, in the order drawn (`CumulativeAnalysis.fits`, `LeaveOneOutAnalysis.fits`).
    ///   - studies: the study each row adds (cumulative) or leaves out, in the same order.
    public init(sensitivity kind: ForestSensitivity, fits: [SubsetFit], studies: [String], model: RandomEffectsModel,
                measure: EffectMeasure, settings: ForestPlotSettings = ForestPlotSettings()) {
        precondition(fits.count == studies.count, "one study per refit")
        let display = ForestDisplay(measure: measure, settings: settings)
        let rows = zip(fits, studies).map { fit, study in
            Row(label: kind == .cumulative ? "+ \(study)" : "Omitting \(study)",
                estimate: display.shown(fit.estimate), lower: display.shown(fit.confidenceLower),
                upper: display.shown(fit.confidenceUpper),
                values: ["\(fit.studyCount)", Self.tauSquaredText(fit.tauSquared), fit.iSquared.isFinite ? Self.number(fit.iSquared, digits: 0) + "%" : "NA"])
        }
        let summary = display.summary(model, label: Self.modelLabel(model) + ", all studies", weight: nil, values: ["\(model.studyCount)", "", ""])
        let what = kind == .cumulative
            ? "Cumulative meta-analysis: each row pools the studies down to and including it, in the order shown."
            : "Leave-one-out: each row pools every study but the one named."
        var footnotes = [what, Self.modelNote(model)]
        footnotes += display.transformNote.map { [$0] } ?? []
        footnotes += Self.compacted(settings.notes)
        let (left, right) = settings.favours(measure)
        self.init(title: settings.title, rows: rows, overall: summary, footnotes: footnotes,
                  columns: [Column("k"), Column("τ²"), Column("I²")], labelHeader: kind == .cumulative ? "Study added" : "Study left out",
                  estimateHeader: display.estimateHeader(level: model.options.level), nullValue: display.nullValue,
                  scale: display.scale, axisLabel: display.axisLabel,
                  favoursLeft: display.nullValue?.isNaN == true ? nil : left, favoursRight: display.nullValue?.isNaN == true ? nil : right,
                  axisLimits: settings.axisLimits, style: settings.style)
    }

    /// τ² as the plots print it: two decimals hide a small τ² (0.03 vs 0.0328), so small values keep three significant digits.
    static func tauSquaredText(_ tau2: Double) -> String {
        number(tau2, digits: tau2 >= 0.1 || tau2 == 0 ? 2 : (tau2 >= 0.01 ? 3 : 4))
    }
}
