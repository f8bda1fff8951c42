import MetaAnalysis

extension ConventionalAnalysis {
    /// The fields of ``jsonValue()`` that record the conventions in force rather than results.
    public static let conventionFields = ["conventions", "conventions_source", "method_tau", "method_tau_ci", "Q_Cochrane",
                                          "method_random_ci", "method_predict", "prediction", "method_I2", "method_common_ci"]

    /// The analysis with meta's field names (`.` → `_`, as the v5b bank records them): the conventions in force,
    /// `studies`, `common`, `random`, `predict`, τ² with its CI, Q, H and I² (fractions).
    public func jsonValue() -> JSONValue {
        let df = JSONValue.number(Double(qDegreesOfFreedom))
        // A GLMM reports its Wald-type and likelihood-ratio tests side by side (meta's `Q_names`).
        let heterogeneityTests: [(String, JSONValue)] = likelihoodRatioQ.map { lrt in
            [("Q", .array([.double(q), .double(lrt)])), ("Q_names", .array([.string("Wald"), .string("LRT")])),
             ("df_Q", .array([df, df])), ("pval_Q", .array([.double(qPValue), .double(likelihoodRatioQPValue)]))]
        } ?? [("Q", .double(q)), ("df_Q", df), ("pval_Q", .double(qPValue))]
        let c = conventions
        func estimate(_ e: Estimate) -> [(String, JSONValue)] {
            [("TE", .double(e.estimate)), ("seTE", .double(e.standardError)), ("lower", .double(e.lower)),
             ("upper", .double(e.upper)), ("statistic", .double(e.statistic)), ("pval", .double(e.pValue)),
             ("df", e.degreesOfFreedom.map { .number(Double($0)) } ?? .string("Inf"))]
        }
        let sqrtOrNull = { (x: Double?) -> JSONValue in .double(x.map { $0.squareRoot() }) }
        let head: [(String, JSONValue)] = [
            ("conventions", .string(c.name)), ("conventions_source", .string(c.source)),
            ("k", .number(Double(studyCount))),
            ("method_tau", .string(c.estimator.rawValue)), ("method_tau_ci", .string(tauSquaredIntervalCode)),
            ("Q_Cochrane", .bool(qAroundCommonEffect)),
            ("method_random_ci", .string(c.randomEffectsInterval.rawValue)),
            ("method_predict", .string(c.predictionQuantile.rawValue)), ("prediction", .bool(c.printsPredictionInterval)),
            ("method_I2", .string(c.heterogeneity.rawValue)), ("method_common_ci", .string(c.commonEffectVariance.rawValue)),
            ("level", .number(level)),
            ("studies", .object([
                ("studlab", .array(studies.map(JSONValue.string))),
                ("TE", .array(effectSizes.map(JSONValue.number))), ("seTE", .array(standardErrors.map(JSONValue.number))),
                ("w_common", commonWeights.map { .array($0.map(JSONValue.number)) } ?? .null),
                ("w_random", randomWeights.map { .array($0.map(JSONValue.number)) } ?? .null),
            ])),
            ("common", .object(Array(estimate(common).dropLast()))),
            ("random", .object(estimate(random) + [("seTE_classic", .double(randomClassicStandardError)),
                                                   ("seTE_hakn_ci", .double(randomHartungKnappStandardError))])),
            ("predict", .object([("seTE", .double(predictionStandardError)), ("df", .number(Double(predictionDegreesOfFreedom))),
                                 ("lower", .double(predictionLower)), ("upper", .double(predictionUpper))])),
            ("tau2", .double(tauSquared)), ("se_tau2", .double(tauSquaredStandardError)),
            ("lower_tau2", .double(tauSquaredLower)), ("upper_tau2", .double(tauSquaredUpper)),
            ("tau", .double(tauSquared.squareRoot())), ("lower_tau", sqrtOrNull(tauSquaredLower)), ("upper_tau", sqrtOrNull(tauSquaredUpper)),
        ]
        return .object(head + heterogeneityTests + [
            ("H", .double(h)), ("lower_H", .double(hLower)), ("upper_H", .double(hUpper)),
            ("I2", .double(iSquared)), ("lower_I2", .double(iSquaredLower)), ("upper_I2", .double(iSquaredUpper)),
        ])
    }
}
