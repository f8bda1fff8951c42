import MetaAnalysis

extension SubgroupReport {
    /// The JSON document of `metaswift pool --subgroup --format json` (the bank's `subgroup` field names).
    public func jsonValue() -> JSONValue {
        let a = analysis
        let common = a.commonTauSquaredModel, ee = a.commonEffectModel
        let between = a.separateTauSquaredTest
        var fields: [(String, JSONValue)] = [
            ("group_var", .string(a.groupColumn)),
            ("levels", .array(a.levels.map { .string($0) })),
            ("method", .string(a.options.estimator.rawValue)),
            ("test", .string(a.options.test.rawValue)),
            ("measure", .string(measureCode)),
            ("level", .number(a.options.level)),
            ("subgroups", .array(a.subgroups.map { Self.json($0.level, $0.model) })),
            ("test_common_tau2", .object([
                ("method", .string(common.estimator.rawValue)),
                ("QM", .double(common.moderatorTest?.statistic)),
                ("QMp", .double(common.moderatorTest?.pValue)),
                ("QMdf", Self.degreesOfFreedom(common.moderatorTest)),
                ("tau2", .double(common.tauSquared)),
                ("QE", .double(common.cochranQ)),
                ("QEp", .double(common.cochranQPValue)),
                ("QEdf", .number(Double(common.cochranQDegreesOfFreedom))),
                ("coef_names", .array(common.coefficientNames.map { .string($0) })),
                ("beta", .doubles(common.coefficients)),
                ("se", .doubles(common.standardErrors)),
            ])),
            ("test_separate_tau2", .object([
                ("description", .string(Self.separateTestDescription)),
                ("Q_between", .double(a.betweenGroupsQ)),
                ("df", .number(Double(a.betweenGroupsDegreesOfFreedom))),
                ("pval", .double(a.betweenGroupsPValue)),
                ("est", .double(between.estimate)),
                ("se", .double(between.standardError)),
            ])),
            ("subgroups_EE", .array(a.subgroups.map { Self.json($0.level, $0.commonEffectModel) })),
            ("test_all_EE", .object([
                ("QM", .double(ee.moderatorTest?.statistic)),
                ("QMp", .double(ee.moderatorTest?.pValue)),
                ("QMdf", Self.degreesOfFreedom(ee.moderatorTest)),
                ("QE", .double(ee.cochranQ)),
                ("QEp", .double(ee.cochranQPValue)),
            ])),
            ("study", .array(common.studies.map { .string($0) })),
            ("yi", .doubles(common.effectSizes)),
            ("vi", .doubles(common.samplingVariances)),
            ("diagnostics", .array(notes.map { .string($0) })),
        ]
        if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        return .object(fields)
    }

    static func degreesOfFreedom(_ test: OmnibusTest?) -> JSONValue {
        guard let test else { return .null }
        return .array([.number(Double(test.numeratorDegreesOfFreedom)), test.denominatorDegreesOfFreedom.map { .number(Double($0)) } ?? .null])
    }

    /// One subgroup's summary; a common-effect model has no prediction interval (empty arrays, as metafor's NULL).
    static func json(_ level: String, _ m: RandomEffectsModel) -> JSONValue {
        let p = m.prediction
        let heterogeneityKnown = m.studyCount >= 2
        return .object([
            ("level", .string(level)),
            ("k", .number(Double(m.studyCount))),
            ("beta", .double(m.estimate)),
            ("se", .double(m.standardError)),
            ("zval", .double(m.statistic)),
            ("pval", .double(m.pValue)),
            ("ci_lb", .double(m.confidenceLower)),
            ("ci_ub", .double(m.confidenceUpper)),
            ("tau2", heterogeneityKnown ? .double(m.tauSquared) : .null),
            ("se_tau2", .double(m.tauSquaredEstimate?.standardError)),
            ("QE", .double(m.cochranQ)),
            ("QEp", .double(m.cochranQPValue)),
            ("I2", .double(m.iSquared)),
            ("H2", .double(m.hSquared)),
            ("pi_lb", m.isCommonEffect ? .array([]) : .double(p.predictionLower)),
            ("pi_ub", m.isCommonEffect ? .array([]) : .double(p.predictionUpper)),
        ])
    }
}
