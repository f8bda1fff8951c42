import MetaAnalysis

extension RandomEffectsReport {
    /// The JSON document of `metaswift pool --format json`: the conformance bank's `rma.uni` field names, then
    /// `level`, `iterations`, `diagnostics` and `provenance`.
    public func jsonValue() -> JSONValue {
        let m = model
        let heterogeneityKnown = m.studyCount >= 2
        var fields: [(String, JSONValue)] = [
            ("k", .number(Double(m.studyCount))),
            ("p", .number(Double(m.coefficientCount))),
            ("method", .string(m.estimator.rawValue)),
            ("test", .string(m.testUsed.rawValue)),
            ("measure", .string(measureCode)),
            ("level", .number(m.options.level)),
            ("beta", .double(m.estimate)),
            ("se", .double(m.standardError)),
            ("zval", .double(m.statistic)),
            ("pval", .double(m.pValue)),
            ("ci_lb", .double(m.confidenceLower)),
            ("ci_ub", .double(m.confidenceUpper)),
            ("dfs", m.degreesOfFreedom.map { .number(Double($0)) } ?? .null),
            ("tau2", heterogeneityKnown ? .double(m.tauSquared) : .null),
            ("se_tau2", .double(m.tauSquaredEstimate?.standardError)),
            ("tau", heterogeneityKnown ? .double(m.tauSquared.squareRoot()) : .null),
            ("QE", .double(m.cochranQ)),
            ("QEp", .double(m.cochranQPValue)),
            ("QEdf", .number(Double(m.cochranQDegreesOfFreedom))),
            ("I2", .double(m.iSquared)),
            ("H2", .double(m.hSquared)),
            ("s2w", .double(m.scaleFactor)),
            ("iterations", .number(Double(m.tauSquaredEstimate?.iterations ?? 0))),
        ]
        if let ml = m.maximumLikelihoodFit, let reml = m.restrictedMaximumLikelihoodFit {
            fields.append(("fit_stats", .object([("ML", Self.json(ml)), ("REML", Self.json(reml))])))
        }
        fields.append(("weights_pct", .doubles(m.weightsPercent)))
        let prediction = m.prediction
        fields.append(("predict", .object([
            ("pred", .double(prediction.estimate)),
            ("se", .double(prediction.standardError)),
            ("ci_lb", .double(prediction.confidenceLower)),
            ("ci_ub", .double(prediction.confidenceUpper)),
            ("pi_lb", .double(prediction.predictionLower)),
            ("pi_ub", .double(prediction.predictionUpper)),
        ])))
        if let transformation = backTransformation {
            let t = prediction.transformed(by: transformation)
            fields.append(("predict_transf", .object([
                ("transf", .string(transformation.name)),
                ("pred", .double(t.estimate)),
                ("ci_lb", .double(t.confidenceLower)),
                ("ci_ub", .double(t.confidenceUpper)),
                ("pi_lb", .double(t.predictionLower)),
                ("pi_ub", .double(t.predictionUpper)),
            ])))
        }
        if let intervals { fields.append(("confint", Self.json(intervals))) }
        if let qProfileIntervals { fields.append(("confint_QP", Self.json(qProfileIntervals))) }
        for extra in extraIntervals { fields.append(("confint_\(extra.method.rawValue)", Self.json(extra))) }
        if includesStudyValues {
            fields.append(("study", .array(m.studies.map { .string($0) })))
            fields.append(("yi", .doubles(m.effectSizes)))
            fields.append(("vi", .doubles(m.samplingVariances)))
        }
        let notes = inputNotes + m.diagnostics.map(\.description)
        fields.append(("diagnostics", .array(notes.map { .string($0) })))
        if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        return .object(fields)
    }

    static func json(_ s: FitStatistics) -> JSONValue {
        .object([
            ("logLik", .double(s.logLikelihood)),
            ("deviance", .double(s.deviance)),
            ("AIC", .double(s.aic)),
            ("BIC", .double(s.bic)),
            ("AICc", .double(s.aicc)),
        ])
    }

    static func json(_ i: HeterogeneityConfidenceIntervals) -> JSONValue {
        func triple(_ b: HeterogeneityConfidenceIntervals.Bounds) -> JSONValue { .doubles([b.estimate, b.lower, b.upper]) }
        return .object([
            ("tau2", triple(i.tauSquared)),
            ("tau", triple(i.tau)),
            ("I2", triple(i.iSquared)),
            ("H2", triple(i.hSquared)),
            ("lb_sign", .string(i.lowerMarker.rawValue)),
            ("ub_sign", .string(i.upperMarker.rawValue)),
            ("type", .string(i.method.rawValue)),
        ] + (i.isEmptySet ? [("empty_set", .bool(true))] : []))
    }
}
