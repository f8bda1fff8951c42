import MetaAnalysis

/// The fields every sensitivity report starts with: the model's choices.
private func modelFields(_ model: RandomEffectsModel) -> [(String, JSONValue)] {
    [
        ("k", .number(Double(model.studyCount))),
        ("method", .string(model.estimator.rawValue)),
        ("test", .string(model.options.test.rawValue)),
        ("level", .number(model.options.level)),
    ]
}

private func studyValues(_ model: RandomEffectsModel) -> [(String, JSONValue)] {
    [("yi", .doubles(model.effectSizes)), ("vi", .doubles(model.samplingVariances))]
}

private func fitColumns(_ fits: [SubsetFit]) -> [(String, [JSONValue])] {
    [
        ("estimate", fits.map { .double($0.estimate) }),
        ("se", fits.map { .double($0.standardError) }),
        ("zval", fits.map { .double($0.statistic) }),
        ("pval", fits.map { .double($0.pValue) }),
        ("ci_lb", fits.map { .double($0.confidenceLower) }),
        ("ci_ub", fits.map { .double($0.confidenceUpper) }),
        ("Q", fits.map { .double($0.cochranQ) }),
        ("Qp", fits.map { .double($0.cochranQPValue) }),
        ("tau2", fits.map { .double($0.tauSquared) }),
        ("I2", fits.map { .double($0.iSquared) }),
        ("H2", fits.map { .double($0.hSquared) }),
    ]
}

private func choices(_ model: RandomEffectsModel) -> String {
    "\(model.estimator.rawValue) tau^2, \(model.options.test.rawValue) test, \(NumberFormat.fixed(model.options.level, digits: 0))% CI"
}

extension LeaveOneOutAnalysis {
    /// `leave1out` field names: per omitted study `estimate, se, zval, pval, ci_lb, ci_ub, Q, Qp, tau2, I2, H2`.
    public func report(model: RandomEffectsModel, notes: [String] = [], provenance: Provenance? = nil) -> AnalysisReport {
        AnalysisReport(title: "Leave-one-out analysis (\(choices(model))); row i omits study i",
                       fields: modelFields(model) + studyValues(model),
                       rowLabels: ("omitted", studies), columns: fitColumns(fits), notes: notes, provenance: provenance)
    }
}

extension CumulativeAnalysis {
    /// `cumul` field names: `order` (1-based rows in cumulative order), then per step the fit's columns.
    public func report(model: RandomEffectsModel, orderColumn: String?, notes: [String] = [], provenance: Provenance? = nil) -> AnalysisReport {
        let by = orderColumn.map { " ordered by \($0)" } ?? ""
        return AnalysisReport(
            title: "Cumulative analysis\(by) (\(choices(model))); row j pools the first j studies",
            fields: modelFields(model) + [("order", .array(order.map { .number(Double($0 + 1)) }))] + studyValues(model),
            rowLabels: ("added", studies), columns: fitColumns(fits), notes: notes, provenance: provenance)
    }
}

extension InfluenceDiagnostics {
    /// `influence` field names: `rstudent, dffits, cook_d, cov_r, tau2_del, QE_del, hat, weight, dfbetas, is_infl`.
    public func report(model: RandomEffectsModel, notes: [String] = [], provenance: Provenance? = nil) -> AnalysisReport {
        AnalysisReport(
            title: "Influence diagnostics (\(choices(model))); Viechtbauer & Cheung 2010",
            fields: modelFields(model) + studyValues(model),
            rowLabels: ("study", studies),
            columns: [
                ("rstudent", rstudent.map { .double($0) }),
                ("dffits", dffits.map { .double($0) }),
                ("cook_d", cooksDistance.map { .double($0) }),
                ("cov_r", covarianceRatio.map { .double($0) }),
                ("tau2_del", tauSquaredDeleted.map { .double($0) }),
                ("QE_del", cochranQDeleted.map { .double($0) }),
                ("hat", hat.map { .double($0) }),
                ("weight", weightPercent.map { .double($0) }),
                ("dfbetas", dfbetas.map { .double($0) }),
                ("is_infl", isInfluential.map { .bool($0) }),
            ],
            notes: notes, provenance: provenance)
    }
}

extension BaujatAnalysis {
    /// `baujat` field names: `x` (contribution to heterogeneity), `y` (influence on the pooled estimate).
    public func report(model: RandomEffectsModel, notes: [String] = [], provenance: Provenance? = nil) -> AnalysisReport {
        AnalysisReport(title: "Baujat coordinates (\(choices(model))); Baujat et al. 2002",
                       fields: modelFields(model) + studyValues(model),
                       rowLabels: ("study", studies),
                       columns: [("x", x.map { .double($0) }), ("y", y.map { .double($0) })],
                       notes: notes, provenance: provenance)
    }
}
