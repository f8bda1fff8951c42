import MetaAnalysis

extension MultilevelFit {
    /// The JSON document of a multilevel fit with the field names of metafor's `rma.mv` in the conformance bank
    /// (`beta`, `sigma2`, `s_nlevels`, `QE`, `QM`, `fit_stats`, `I2_multilevel`, `predict`, `ranef`), plus
    /// `iterations`, `score_norm` and `sigma2_boundary`.
    public func jsonValue() -> JSONValue {
        let p = coefficients.count
        var fields: [(String, JSONValue)] = [
            ("k", .number(Double(effectCount))),
            ("p", .number(Double(p))),
            ("method", .string(method.rawValue)),
            ("test", .string(test.rawValue)),
            ("dfs", test == .t ? .string(dfs.rawValue) : .null),
            ("level", .number(100 * level)),
            ("coef_names", .array(coefficientNames.map { .string($0) })),
            ("beta", .doubles(coefficients)),
            ("se", .doubles(standardErrors)),
            ("zval", .doubles(statistics)),
            ("pval", .doubles(pValues)),
            ("ci_lb", .doubles(confidenceLower)),
            ("ci_ub", .doubles(confidenceUpper)),
            ("ddf", degreesOfFreedom.map { .array($0.map { .number(Double($0)) }) } ?? .null),
            ("vcov", .array((0..<p).map { .doubles(covariance.row($0)) })),
            ("sigma2", .doubles(components.map(\.estimate))),
            ("sigma", .doubles(components.map { $0.estimate.squareRoot() })),
            ("s_names", .array(components.map { .string($0.name) })),
            ("s_nlevels", .array(components.map { .number(Double($0.levelCount)) })),
            ("sigma2_fixed", .array(components.map { .bool($0.isFixed) })),
            ("sigma2_boundary", .array(components.map { .bool($0.isOnBoundary) })),
            ("QE", .double(residualHeterogeneity.statistic)),
            ("QEdf", .number(Double(residualHeterogeneity.degreesOfFreedom))),
            ("QEp", .double(residualHeterogeneity.pValue)),
        ]
        if let qm = moderatorTest {
            fields += [
                ("QM", .double(qm.statistic)),
                ("QMdf", .array([.number(Double(qm.numeratorDegreesOfFreedom)),
                                 qm.denominatorDegreesOfFreedom.map { .number(Double($0)) } ?? .null])),
                ("QMp", .double(qm.pValue)),
                ("btt", .array(qm.coefficientIndices.map { .number(Double($0 + 1)) })),
            ]
        }
        for (index, e) in correlatedEstimates.enumerated() {
            let first = index == 0
            let l = e.innerLevels.count
            fields += [
                (first ? "struct" : "struct2", .string(e.structure.rawValue)),
                (first ? "g_names" : "h_names", .array(e.names.map { .string($0) })),
                (first ? "g_levels" : "h_levels", .array(e.innerLevels.map { .string($0) })),
                (first ? "g_nlevels" : "h_nlevels", .array(e.levelCounts.map { .number(Double($0)) })),
                (first ? "tau2" : "gamma2", .doubles(e.tau2)),
            ]
            if first { fields.append(("tau", .doubles(e.tau2.map { $0.squareRoot() }))) }
            fields += [
                (first ? "rho" : "phi", .doubles(e.rho)),
                (first ? "tau2_fixed" : "gamma2_fixed", .array(e.tau2Fixed.map { .bool($0) })),
                (first ? "rho_fixed" : "phi_fixed", .array(e.rhoFixed.map { .bool($0) })),
                (first ? "G" : "H", .array((0..<l).map { .doubles(e.covariance.row($0)) })),
            ]
        }
        fields += [
            ("parms", .number(Double(parameterCount))),
            ("fit_stats", .object([("ML", RandomEffectsReport.json(fitStatisticsML)), ("REML", RandomEffectsReport.json(fitStatisticsREML))])),
        ]
        if let shares = heterogeneityShares {
            fields.append(("I2_multilevel", .object([
                ("vt", .double(shares.typicalSamplingVariance)),
                ("I2_total", .double(shares.total)),
                ("I2", .doubles(shares.perComponent)),
                ("share_of_heterogeneity", .doubles(shares.shareOfHeterogeneity)),
            ])))
        }
        let interceptOnly = p == 1 && coefficientNames == ["intrcpt"]
        var predict = Self.json(interceptOnly ? [prediction(at: [1])] : fittedPredictions, scalar: interceptOnly)
        if !interceptOnly, let e = correlatedEstimates.first, e.tau2.count > 1, case var .object(inner) = predict {
            inner.append(("tau2_level", .array(fittedTau2Levels.map { .string($0) })))
            predict = .object(inner)
        }
        fields += [
            ("predict", predict),
            ("ranef", .array(randomEffects.map { r in
                .object([
                    ("term", .string(r.term)),
                    ("levels", .array(r.levels.map { .string($0) })),
                    ("blup", .doubles(r.predictions)),
                    ("se", .doubles(r.standardErrors)),
                    ("pi_lb", .doubles(r.lower)),
                    ("pi_ub", .doubles(r.upper)),
                ])
            })),
            ("iterations", .number(Double(iterations))),
            ("score_norm", .double(scoreNorm)),
        ]
        return .object(fields)
    }

    /// `predict`'s columns: scalars for one prediction (intercept-only model), else arrays.
    public static func json(_ predictions: [Prediction], scalar: Bool) -> JSONValue {
        func column(_ values: [Double?]) -> JSONValue { scalar ? .double(values[0]) : .doubles(values) }
        return .object([
            ("pred", column(predictions.map(\.estimate))),
            ("se", column(predictions.map(\.standardError))),
            ("ci_lb", column(predictions.map(\.confidenceLower))),
            ("ci_ub", column(predictions.map(\.confidenceUpper))),
            ("pi_lb", column(predictions.map(\.predictionLower))),
            ("pi_ub", column(predictions.map(\.predictionUpper))),
        ])
    }
}

extension MultilevelFit {
    /// `confint`'s entries with the bank's field names: component, index (1-based), estimate, ci_lb, ci_ub,
    /// lb_sign/ub_sign (`"<"`/`">"` at a search limit) and, for variances, `sqrt` = [√est, √lb, √ub].
    public static func json(_ intervals: [ComponentInterval]) -> JSONValue {
        .array(intervals.map { i in
            var fields: [(String, JSONValue)] = [
                ("component", .string(i.component.name)),
                ("index", .number(Double(i.component.index + 1))),
                ("estimate", .double(i.estimate)),
                ("ci_lb", .double(i.lower)),
                ("ci_ub", .double(i.upper)),
                ("lb_sign", .string(i.lowerAtLimit ? "<" : "")),
                ("ub_sign", .string(i.upperAtLimit ? ">" : "")),
            ]
            if !i.component.isCorrelationComponent {
                fields.append(("sqrt", .doubles([i.estimate.squareRoot(), i.lower.map { $0.squareRoot() }, i.upper.map { $0.squareRoot() }])))
            }
            return .object(fields)
        })
    }
}
