import MetaAnalysis

extension MetaRegressionReport {
    /// The JSON document of `metaswift pool --mods --format json`: the conformance bank's `rma.uni.mods` field
    /// names, then the predictions at new points, `diagnostics` and `provenance`.
    public func jsonValue() -> JSONValue {
        let m = model
        let p = m.coefficientCount
        var fields: [(String, JSONValue)] = [
            ("k", .number(Double(m.studyCount))),
            ("p", .number(Double(p))),
            ("method", .string(m.estimator.rawValue)),
            ("test", .string(m.testUsed.rawValue)),
            ("measure", .string(measureCode)),
            ("level", .number(m.options.level)),
            ("coef_names", .array(m.coefficientNames.map { .string($0) })),
            ("beta", .doubles(m.coefficients)),
            ("se", .doubles(m.standardErrors)),
            ("zval", .doubles(m.statistics)),
            ("pval", .doubles(m.pValues)),
            ("ci_lb", .doubles(m.confidenceLower)),
            ("ci_ub", .doubles(m.confidenceUpper)),
            ("vcov", .array((0..<p).map { .doubles(m.covariance.row($0)) })),
        ]
        if let qm = m.moderatorTest {
            fields.append(("QM", .double(qm.statistic)))
            fields.append(("QMp", .double(qm.pValue)))
            fields.append(("QMdf", .array([.number(Double(qm.numeratorDegreesOfFreedom)),
                                           qm.denominatorDegreesOfFreedom.map { .number(Double($0)) } ?? .null])))
        } else {
            fields += [("QM", .null), ("QMp", .null), ("QMdf", .null)]
        }
        fields += [
            ("R2", .double(m.rSquared)),
            ("dfs", m.degreesOfFreedom.map { .number(Double($0)) } ?? .null),
            ("tau2", .double(m.tauSquared)),
            ("se_tau2", .double(m.tauSquaredEstimate.standardError)),
            ("tau", .double(m.tauSquared.squareRoot())),
            ("QE", .double(m.cochranQ)),
            ("QEp", .double(m.cochranQPValue)),
            ("QEdf", .number(Double(m.cochranQDegreesOfFreedom))),
            ("I2", .double(m.iSquared)),
            ("H2", .double(m.hSquared)),
            ("s2w", .double(m.scaleFactor)),
            ("iterations", .number(Double(m.tauSquaredEstimate.iterations))),
            ("fit_stats", .object([("ML", RandomEffectsReport.json(m.maximumLikelihoodFit)),
                                   ("REML", RandomEffectsReport.json(m.restrictedMaximumLikelihoodFit))])),
            ("weights_pct", .doubles(m.weightsPercent)),
            ("model_matrix", .array((0..<m.studyCount).map { .doubles(m.design.matrix.row($0)) })),
            ("fitted", .doubles(m.fittedValues)),
            ("predict", Self.json(m.studyPredictions, includesPredictionInterval: !m.isCommonEffect)),
        ]
        if !newPredictions.isEmpty {
            var predictions = Self.json(newPredictions.map(\.prediction), includesPredictionInterval: !m.isCommonEffect)
            if case var .object(inner) = predictions {
                inner.insert(("point", .array(newPredictions.map { .string($0.label) })), at: 0)
                inner.insert(("X", .array(newPredictions.map { .doubles($0.designRow) })), at: 1)
                predictions = .object(inner)
            }
            fields.append(("predict_new", predictions))
            if let t = backTransformation {
                let back = newPredictions.map { $0.prediction.transformed(by: t) }
                var inner = Self.json(back, includesPredictionInterval: !m.isCommonEffect).objectValue ?? []
                inner.removeAll { $0.0 == "se" }
                inner.insert(("transf", .string(t.name)), at: 0)
                fields.append(("predict_new_transf", .object(inner)))
            }
        }
        if let intervals { fields.append(("confint", RandomEffectsReport.json(intervals))) }
        fields.append(("study", .array(m.studies.map { .string($0) })))
        fields.append(("yi", .doubles(m.effectSizes)))
        fields.append(("vi", .doubles(m.samplingVariances)))
        let notes = inputNotes + m.diagnostics.map(\.description)
        fields.append(("diagnostics", .array(notes.map { .string($0) })))
        if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        return .object(fields)
    }

    /// Predictions as parallel arrays (`predict(res)`'s columns); the common-effect model has no PI (as metafor).
    static func json(_ predictions: [Prediction], includesPredictionInterval: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("pred", .doubles(predictions.map(\.estimate))),
            ("se", .doubles(predictions.map(\.standardError))),
            ("ci_lb", .doubles(predictions.map(\.confidenceLower))),
            ("ci_ub", .doubles(predictions.map(\.confidenceUpper))),
        ]
        if includesPredictionInterval {
            fields.append(("pi_lb", .doubles(predictions.map(\.predictionLower))))
            fields.append(("pi_ub", .doubles(predictions.map(\.predictionUpper))))
        }
        return .object(fields)
    }
}
