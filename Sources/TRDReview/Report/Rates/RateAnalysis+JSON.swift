import MetaAnalysis
import MetaReport

extension RateAnalysis {
    /// The JSON document of `metaswift rates --format json`. Per-study values carry `study`, `yi`, `vi` (analysis
    /// scale) and the back-transformed values; field names follow the conformance bank (`ci_lb`, `pi_lb`, `tau2`,
    /// `I2`, `QE`, `weights_pct`, ...).
    public func jsonValue(provenance: Provenance? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("analysis", .string("rates")),
            ("outcome", .string(outcome.rawValue)),
            ("by", .string(grouping.rawValue)),
            ("model", .string(modelRequested.rawValue)),
            ("models_used", .array(modelsUsed.map { .string($0.rawValue) })),
            ("measure", .string(modelRequested.measure.rawValue)),
            ("method", .string(modelRequested == .glmm ? "ML" : options.estimator.rawValue)),
            ("test", .string(modelRequested == .glmm ? "z" : options.test.rawValue)),
            ("fallback_method", .string(options.estimator.rawValue)),
            ("fallback_test", .string(options.test.rawValue)),
            ("level", .number(options.level)),
            ("eligibility_rules", .array(EligibilityRules.statement.map { .string($0) })),
            ("pooled", .array(pooled.map(Self.json))),
            ("study_results", .array(studyResults.map(Self.json))),
            ("comparisons", .array(comparisons.map(Self.json))),
            ("comparison_pools", .array(comparisonPools.map(Self.json))),
            ("continuous", .array(continuous.map(Self.json))),
            ("continuous_pools", .array(continuousPools.map(Self.json))),
            ("shared_control", .array(sharedControl.map(Self.json))),
            ("listed", .array(listed.map(Self.json))),
            ("diagnostics", .array(diagnostics.map(Self.json))),
        ]
        if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        return .object(fields)
    }

    static func json(_ s: SharedControlAnalysis) -> JSONValue {
        let d = s.displayed
        return .object([
            ("stratum", json(s.stratum)), ("measure", .string(s.measure.rawValue)), ("trials", .number(Double(s.trialCount))),
            ("participants", .number(Double(s.participants))),
            ("pairs", .array(s.effects.enumerated().map { i, e in
                .object([("study", .string(e.study)), ("active_arm", .string(e.activeArm)), ("control_arm", .string(e.controlArm)),
                         ("n1i", .number(Double(e.activeN))), ("n2i", .number(Double(e.controlN))), ("yi", .double(e.yi)), ("vi", .double(e.vi)),
                         ("cov", .array(s.effects.indices.map { .double(s.covariance.element(i, $0)) }))])
            })),
            ("beta", .double(s.estimate)), ("se", .double(s.standardError)), ("ci_lb", .double(s.ciLower)), ("ci_ub", .double(s.ciUpper)),
            ("pred", .double(d.estimate)), ("pred_ci_lb", .double(d.lower)), ("pred_ci_ub", .double(d.upper)),
            ("sigma2", .double(s.betweenTrialVariance)),
        ])
    }

    static func json(_ d: RateDiagnostic) -> JSONValue {
        .object([("code", .string(d.code)), ("message", .string(d.description))])
    }

    static func json(_ s: PoolingStratum) -> JSONValue {
        .object([
            ("key", .string(s.key)), ("label", .string(s.label)), ("outcome", .string(s.outcome.rawValue)),
            ("treatment", .string(s.treatmentKey)), ("comparator", s.comparator.map { .string($0.rawValue) } ?? .null),
            ("comparator_class", s.comparatorClass.map { .string($0.rawValue) } ?? .null),
            ("design", .string(s.design.rawValue)), ("phase", .string(s.phase.rawValue)), ("window", .string(s.window.rawValue)),
            ("definition", s.definition.map { .string($0.rawValue) } ?? .null), ("rater", s.rater.map { .string($0.rawValue) } ?? .null),
        ])
    }

    static func json(_ e: FewStudyEstimate) -> JSONValue {
        .object([
            ("method", .string(e.method.rawValue)), ("method_text", .string(e.method.displayName)),
            ("prior", e.prior.map { .string($0) } ?? .null),
            ("pred", .double(e.estimate)), ("ci_lb", .double(e.ciLower)), ("ci_ub", .double(e.ciUpper)),
            ("pi_lb", .double(e.predictionLower)), ("pi_ub", .double(e.predictionUpper)), ("tau2", .double(e.tauSquared)),
            ("recommended", .bool(e.recommended)),
        ])
    }

    static func json(_ r: SingleArmResult) -> JSONValue {
        .object([
            ("stratum", json(r.stratum)), ("label", .string(r.stratum.label)), ("k", .number(1)),
            ("result", .string("study")), ("study", .string(r.study)), ("ref", .number(Double(r.ref))),
            ("sample_group", .string(r.sampleGroup)), ("arm", .string(r.arm)), ("row", .number(Double(r.row))),
            ("timepoint", .string(r.timepoint)), ("primary_timepoint", r.primaryTimepoint.map { .bool($0) } ?? .null),
            ("events", .number(Double(r.events))), ("total", .number(Double(r.total))),
            ("count_derived", .bool(r.countDerived)), ("pr", .double(r.interval.proportion)),
            ("ci_lb", .double(r.interval.lower)), ("ci_ub", .double(r.interval.upper)), ("ci_method", .string("Clopper-Pearson")),
        ])
    }

    static func json(_ p: PooledRate) -> JSONValue {
        .object([
            ("group", .string(p.key)),
            ("label", .string(p.label)),
            ("stratum", json(p.stratum)),
            ("result", .string("pooled")),
            ("estimates", .array(p.estimates.map(json))),
            ("without_possible_overlaps", p.withoutPossibleOverlaps.map(json) ?? .null),
            ("model", .string(p.model.rawValue)),
            ("measure", .string(p.model.measure.rawValue)),
            ("k", .number(Double(p.k))),
            ("n_total", .number(Double(p.totalN))),
            ("events_total", .number(Double(p.totalEvents))),
            ("studies", .array(p.studies.map { .string($0.study) })),
            ("refs", .array(p.studies.map { .number(Double($0.ref)) })),
            ("pred", .double(p.estimate)),
            ("ci_lb", .double(p.ciLower)),
            ("ci_ub", .double(p.ciUpper)),
            ("pi_lb", .double(p.predictionLower)),
            ("pi_ub", .double(p.predictionUpper)),
            ("beta", .double(p.beta)),
            ("se", .double(p.standardError)),
            ("tau2", .double(p.tauSquared)),
            ("I2", .double(p.iSquared)),
            ("QE", .double(p.cochranQ)),
            ("QEp", .double(p.cochranQPValue)),
            ("weights_pct", p.randomEffects.map { .doubles($0.weightsPercent) } ?? .null),
            ("per_study", .array(p.studies.map { s in
                .object([
                    ("study", .string(s.study)), ("ref", .number(Double(s.ref))), ("sample_group", .string(s.sampleGroup)),
                    ("arm", .string(s.arm)), ("row", .number(Double(s.row))), ("timepoint", .string(s.timepoint)),
                    ("events", .number(Double(s.events))), ("total", .number(Double(s.total))),
                    ("yi", .double(s.yi)), ("vi", .double(s.vi)),
                    ("pr", .double(s.proportion)), ("ci_lb", .double(s.ciLower)), ("ci_ub", .double(s.ciUpper)),
                    ("weight_pct", .double(s.weightPercent)), ("count_derived", .bool(s.countDerived)),
                ])
            })),
            ("diagnostics", .array(p.diagnostics.map(json))),
        ])
    }

    static func json(_ e: ComparisonEffect) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("measure", .string(e.measure.rawValue)), ("method", .string(e.method)),
            ("yi", .double(e.yi)), ("vi", .double(e.vi)),
            ("estimate", .double(e.estimate)), ("ci_lb", .double(e.ciLower)), ("ci_ub", .double(e.ciUpper)),
            ("pval", .double(e.pValue)),
        ]
        if e.tauSquared != nil || e.iSquared != nil {
            fields += [("tau2", .double(e.tauSquared)), ("I2", .double(e.iSquared)),
                       ("pi_lb", .double(e.predictionLower)), ("pi_ub", .double(e.predictionUpper))]
        }
        return .object(fields)
    }

    static func json(_ n: NumberNeededToTreat) -> JSONValue {
        var fields: [(String, JSONValue)] = [("value", .double(n.value)), ("direction", .string(n.direction.rawValue))]
        switch n.interval {
        case let .bounded(lower, upper, direction):
            fields += [("ci_lb", .double(lower)), ("ci_ub", .double(upper)), ("ci_direction", .string(direction.rawValue)),
                       ("ci_through_infinity", .bool(false))]
        case let .throughInfinity(benefit, harm):
            fields += [("nntb_bound", .double(benefit)), ("nnth_bound", .double(harm)), ("ci_through_infinity", .bool(true))]
        }
        fields.append(("text", .string(n.description)))
        return .object(fields)
    }

    static func json(_ c: ControlledComparison) -> JSONValue {
        .object([
            ("study", .string(c.study)), ("ref", .number(Double(c.ref))), ("sample_group", .string(c.sampleGroup)),
            ("comparison", .string(c.comparison)), ("outcome", .string(c.outcome.rawValue)),
            ("timepoint", .string(c.timepoint)), ("class", .string(c.treatmentClass.rawValue)), ("kind", .string(c.kind.rawValue)),
            ("active_arm", .string(c.activeArm)), ("control_arm", .string(c.controlArm)),
            ("ai", .number(Double(c.activeEvents))), ("n1i", .number(Double(c.activeTotal))),
            ("ci", .number(Double(c.controlEvents))), ("n2i", .number(Double(c.controlTotal))),
            ("rows", .array(c.rows.map { .number(Double($0)) })),
            ("stratum", json(c.stratum)), ("primary_timepoint", c.primaryTimepoint.map { .bool($0) } ?? .null),
            ("combined_arms", .bool(c.combinedArms)), ("count_derived", .bool(c.countDerived)), ("alpha", .double(c.alpha)),
            ("RR", json(c.riskRatio)), ("OR", json(c.oddsRatio)), ("RD", json(c.riskDifference)),
            ("RD_trial_alpha", json(c.riskDifferenceAtTrialAlpha)), ("significant_at_trial_alpha", .bool(c.significantAtTrialAlpha)),
            ("reported", .array(c.reported.map { r in
                .object([("measure", .string(r.measure.rawValue)), ("estimate", .double(r.estimate)), ("ci_lb", .double(r.ciLower)),
                         ("ci_ub", .double(r.ciUpper)), ("recomputed", .double(r.recomputed)), ("differs", .bool(r.differs))])
            })),
            ("NNT", json(c.numberNeededToTreat)),
            ("diagnostics", .array(c.diagnostics.map { .string($0) })),
        ])
    }

    static func json(_ p: ComparisonPool) -> JSONValue {
        .object([
            ("group", .string(p.key)), ("label", .string(p.label)), ("k", .number(Double(p.k))),
            ("n_total", .number(Double(p.totalN))),
            ("studies", .array(p.units.map { .string($0.study) })),
            ("units", .array(p.units.map { u in
                .object([("study", .string(u.study)), ("active_arm", .string(u.activeArm)), ("control_arm", .string(u.controlArm)),
                         ("ai", .number(Double(u.activeEvents))), ("n1i", .number(Double(u.activeTotal))),
                         ("ci", .number(Double(u.controlEvents))), ("n2i", .number(Double(u.controlTotal)))])
            })),
            ("stratum", json(p.stratum)), ("estimates", .array(p.estimates.map(json))),
            ("MH", .array(p.mantelHaenszel.map(json))),
            ("RE", .array(p.randomEffects.map(json))),
            ("NNT", p.numberNeededToTreat.map(json) ?? .null),
            ("diagnostics", .array(p.diagnostics.map(json))),
        ])
    }

    static func json(_ c: ContinuousComparison) -> JSONValue {
        .object([
            ("study", .string(c.study)), ("ref", .number(Double(c.ref))), ("sample_group", .string(c.sampleGroup)),
            ("comparison", .string(c.comparison)), ("outcome", .string(c.outcome.rawValue)), ("measure_reported", .string(c.measure.rawValue)),
            ("timepoint", .string(c.timepoint)), ("primary_timepoint", c.primaryTimepoint.map { .bool($0) } ?? .null),
            ("class", .string(c.treatmentClass.rawValue)), ("kind", .string(c.kind.rawValue)),
            ("active_arm", .string(c.activeArm)), ("control_arm", .string(c.controlArm)),
            ("m1i", .double(c.activeMean)), ("sd1i", .double(c.activeSD)), ("n1i", .number(Double(c.activeN))),
            ("m2i", .double(c.controlMean)), ("sd2i", .double(c.controlSD)), ("n2i", .number(Double(c.controlN))),
            ("rows", .array(c.rows.map { .number(Double($0)) })),
            ("stratum", json(c.stratum)), ("combined_arms", .bool(c.combinedArms)),
            ("SMD", json(c.standardizedMeanDifference)),
            ("SMD_endpoint", c.endpointAlternative.map(json) ?? .null), ("analysis_dependent", .bool(c.analysisDependent)),
        ])
    }

    static func json(_ p: ContinuousPool) -> JSONValue {
        .object([
            ("group", .string(p.key)), ("label", .string(p.label)), ("k", .number(Double(p.k))),
            ("studies", .array(p.comparisons.map { .string($0.study) })),
            ("yi", .doubles(p.comparisons.map(\.standardizedMeanDifference.yi))),
            ("vi", .doubles(p.comparisons.map(\.standardizedMeanDifference.vi))),
            ("weights_pct", .doubles(p.fit.weightsPercent)),
            ("SMD", json(p.pooled)),
            ("stratum", json(p.stratum)), ("estimates", .array(p.estimates.map(json))),
            ("diagnostics", .array(p.diagnostics.map(json))),
        ])
    }

    static func json(_ l: ListedResult) -> JSONValue {
        .object([
            ("study", .string(l.study)), ("ref", .number(Double(l.ref))), ("row", .number(Double(l.row))),
            ("arm", .string(l.arm)), ("arm_role", .string(l.armRole.rawValue)), ("agent", .string(l.agent.rawValue)),
            ("class", .string(l.treatmentClass.rawValue)), ("outcome", .string(l.outcome.rawValue)),
            ("timepoint", .string(l.timepoint)), ("value", .string(l.value)), ("reason", .string(l.reason.rawValue)),
            ("reason_text", .string(l.reason.description)), ("detail", .string(l.detail)),
        ])
    }
}
