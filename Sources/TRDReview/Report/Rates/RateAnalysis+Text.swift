import MetaAnalysis
import MetaReport

extension RateAnalysis {
    /// The tables of the rates report: study results (k = 1), pooled strata (k ≥ 2) with every estimate and the
    /// recommended one marked, controlled comparisons (and their pools), continuous outcomes, the results listed
    /// but not pooled, the eligibility rules and the notes. A k = 1 stratum is never called pooled.
    public func textReport() -> String {
        let title = outcome == .response ? "Response" : "Remission"
        var out = "\(title) by \(grouping.rawValue), within eligibility strata (rules at the end) — \(modelDescription)\n\n"
        out += "Study results (k = 1: the only study in its stratum; exact Clopper-Pearson \(level)% CI; not pooled)\n"
        out += studyResultTable().rendered() + "\n"
        if pooled.isEmpty {
            out += "Pooled single-arm \(outcome.rawValue) proportions: none (no stratum has two independent samples).\n\n"
        } else {
            out += "Pooled single-arm \(outcome.rawValue) proportions (k >= 2 independent samples in one stratum; * = recommended)\n"
            out += pooledTable().rendered() + "\n"
        }
        out += "Controlled comparisons, \(outcome.rawValue) (one per trial and stratum, multi-arm arms combined; RD in percentage points; NNT: Altman 1998; + = counts back-calculated from percentages)\n"
        out += comparisonTable().rendered()
        if comparisonPools.isEmpty {
            out += "Pooled comparisons: none (no stratum has two independent trials for this outcome).\n"
        } else {
            out += "\nPooled comparisons (k >= 2 trials in one stratum; * = recommended)\n" + comparisonPoolTable().rendered()
        }
        out += "\nContinuous outcomes (Hedges' g, active minus control; negative favours the active arm; one per trial and stratum)\n"
        out += continuousTable().rendered()
        if continuousPools.isEmpty {
            out += "Pooled continuous outcomes: none (no stratum has two independent trials).\n"
        }
        for pool in continuousPools {
            let studies: String = pool.comparisons.map(\.study).joined(separator: "; ")
            for e in pool.estimates {
                out += "Pooled (k = \(pool.k) trials: \(studies)): \(pool.label): g = \(RateFormat.number(e.estimate)) \(RateFormat.interval(e.ciLower, e.ciUpper, digits: 2)), \(e.method.displayName)\(e.recommended ? " (recommended)" : "")\n"
            }
        }
        out += PrimaryTimepoint.legend + "\n"
        if !sharedControl.isEmpty {
            out += "\nMulti-arm trials, sensitivity analysis: each arm pair with the shared arm's covariance (vcalc) in a multilevel model (REML)\n"
            out += sharedControlTable().rendered()
        }
        out += "\nReported but not pooled (\(outcome.rawValue))\n" + listedTable().rendered()
        out += "\nEligibility rules\n" + EligibilityRules.statement.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
        if !diagnostics.isEmpty {
            out += "\nNotes\n" + diagnostics.map(\.description).uniqued().map { "- " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }

    private var level: String { RateFormat.number(options.level, digits: 0) }

    /// E.g. "pooled strata: logit random effects (PLO, REML, adhoc), 95% CI; GLMM sensitivity; Bayesian (Turner
    /// 2015 prior) recommended for k = 2-4; PI from k = 3".
    public var modelDescription: String {
        let headline: String
        switch modelRequested {
        case .glmm: headline = "binomial-normal GLMM (PLO, ML, z-based) as the headline"
        case .logit: headline = "logit random effects (PLO, \(options.estimator.rawValue), \(options.test.rawValue))"
        case .ft: headline = "Freeman-Tukey random effects (PFT, \(options.estimator.rawValue), \(options.test.rawValue))"
        }
        return "pooled strata: \(headline), \(level)% CI; GLMM sensitivity; Bayesian with an empirical tau prior recommended for k = 2-\(FewStudyEstimate.fewStudies); PI from k = \(PooledRate.minimumStudiesForPrediction)"
    }

    public func studyResultTable() -> TextTable {
        TextTable(header: ["Stratum", "Study", "Arm", "Timepoint", "Events/N", "Rate % [\(level)% CI]"],
                  rows: studyResults.map { r in
                      [r.stratum.label, r.study, r.arm.shortened(), PrimaryTimepoint.label(r.timepoint.shortened(24), r.primaryTimepoint), "\(r.events)/\(r.total)\(r.countDerived ? "+" : "")",
                       RateFormat.percentWithCI(r.interval.proportion, r.interval.lower, r.interval.upper)]
                  },
                  alignments: [.left, .left, .left, .left, .right, .right])
    }

    public func pooledTable() -> TextTable {
        var rows: [[String]] = []
        for p in pooled {
            for e in p.estimates {
                rows.append([p.label, String(p.k), String(p.totalN), e.method.displayName + (e.recommended ? " *" : ""),
                             RateFormat.percentWithCI(e.estimate, e.ciLower, e.ciUpper),
                             RateFormat.interval(e.predictionLower, e.predictionUpper, scale: 100), RateFormat.iSquared(p.iSquared),
                             p.studies.map(\.study).joined(separator: "; ")])
            }
            if let w = p.withoutPossibleOverlaps {
                rows.append([p.label, String(p.k - 1), "", "without possible overlap", RateFormat.percentWithCI(w.estimate, w.ciLower, w.ciUpper), "", "", ""])
            }
        }
        return TextTable(header: ["Stratum", "k", "N", "Method", "Rate % [\(level)% CI]", "\(level)% PI (%)", "I2", "Studies"], rows: rows,
                         alignments: [.left, .right, .right, .left, .right, .right, .right, .left])
    }

    public func comparisonTable() -> TextTable {
        TextTable(header: ["Study", "Outcome", "Timepoint", "Active", "Control", "Kind", "RR [95% CI]", "OR [95% CI]", "RD [95% CI]", "Trial alpha: RD CI, p", "NNT"],
                  rows: comparisons.map { c in
                      let derived = c.countDerived ? "+" : ""
                      let reported = c.reported.map { r in
                          "; reported \(r.measure == .riskDifference ? "RD" : "OR") \(RateFormat.number(r.measure == .riskDifference ? 100 * r.estimate : r.estimate))\(r.differs ? " differs" : "")"
                      }.joined()
                      let trial = c.alpha == 0.05 ? "" : "\(RateFormat.number(100 * (1 - c.alpha), digits: 1))%: \(RateFormat.interval(c.riskDifferenceAtTrialAlpha.ciLower, c.riskDifferenceAtTrialAlpha.ciUpper, scale: 100)), p = \(RateFormat.number(c.riskDifference.pValue, digits: 3)) v \(RateFormat.number(c.alpha, digits: 3))"
                      return [c.study, c.outcome.rawValue, PrimaryTimepoint.label(c.timepoint, c.primaryTimepoint), "\(c.activeArm.shortened()) \(c.activeEvents)/\(c.activeTotal)\(derived)",
                              "\(c.controlArm.shortened()) \(c.controlEvents)/\(c.controlTotal)\(derived)", c.kind.rawValue,
                              RateFormat.effect(c.riskRatio), RateFormat.effect(c.oddsRatio) + reported, RateFormat.effect(c.riskDifference),
                              trial, c.numberNeededToTreat.description]
                  },
                  alignments: [.left, .left, .left, .left, .left, .left, .right, .right, .right, .left, .left])
    }

    public func comparisonPoolTable() -> TextTable {
        var rows: [[String]] = []
        for p in comparisonPools {
            for e in p.mantelHaenszel + p.randomEffects {
                rows.append([p.label, String(p.k), e.measure.rawValue, e.method, RateFormat.effect(e), RateFormat.iSquared(e.iSquared),
                             p.units.map(\.study).joined(separator: "; ")])
            }
            for e in p.estimates {
                rows.append([p.label, String(p.k), "OR", e.method.displayName + (e.recommended ? " *" : ""),
                             "\(RateFormat.number(e.estimate)) \(RateFormat.interval(e.ciLower, e.ciUpper, digits: 2))", "", ""])
            }
            if let nnt = p.numberNeededToTreat { rows.append([p.label, String(p.k), "NNT", "from MH RD", nnt.description, "", ""]) }
        }
        return TextTable(header: ["Pool", "k", "Measure", "Method", "Estimate [95% CI]", "I2", "Studies"], rows: rows,
                         alignments: [.left, .right, .left, .left, .right, .right, .left])
    }

    /// The shared-control sensitivity analysis beside the main (arms-combined) result of each stratum.
    public func sharedControlTable() -> TextTable {
        TextTable(header: ["Stratum", "Trials", "Arm pairs", "Participants (each arm once)", "Pairs-with-covariance [95% CI]", "Arms combined (main)", "Between-trial variance"],
                  rows: sharedControl.map { s in
                      let d = s.displayed
                      let label = s.measure == .logRiskRatio ? "RR" : "g"
                      let main: String
                      if s.measure == .logRiskRatio {
                          main = comparisons.filter { $0.stratum == s.stratum }.map { "\($0.study) RR \(RateFormat.effect($0.riskRatio))" }.joined(separator: "; ")
                      } else {
                          main = continuous.filter { $0.stratum == s.stratum }.map { "\($0.study) g \(RateFormat.effect($0.standardizedMeanDifference))" }.joined(separator: "; ")
                      }
                      return [s.stratum.label, String(s.trialCount), String(s.effects.count), String(s.participants),
                              "\(label) \(RateFormat.number(d.estimate)) \(RateFormat.interval(d.lower, d.upper, digits: 2))", main,
                              s.betweenTrialVariance.map { RateFormat.number($0, digits: 3) } ?? "none (one trial: generalised least squares)"]
                  },
                  alignments: [.left, .right, .right, .right, .right, .left, .left])
    }

    public func continuousTable() -> TextTable {
        TextTable(header: ["Study", "Scale", "Timepoint", "Active mean (SD) n", "Control mean (SD) n", "Kind", "g [95% CI]", "Endpoint g"],
                  rows: continuous.map { c in
                      [continuousLabel(c), c.outcome.displayName + (c.measure == .meanChange ? " change" : " endpoint"), PrimaryTimepoint.label(c.timepoint, c.primaryTimepoint),
                       "\(RateFormat.number(c.activeMean)) (\(RateFormat.number(c.activeSD))) \(c.activeN)",
                       "\(RateFormat.number(c.controlMean)) (\(RateFormat.number(c.controlSD))) \(c.controlN)", c.kind.rawValue,
                       RateFormat.effect(c.standardizedMeanDifference),
                       c.endpointAlternative.map { RateFormat.effect($0) + (c.analysisDependent ? " (analysis-dependent)" : "") } ?? ""]
                  },
                  alignments: [.left, .left, .left, .right, .right, .left, .right, .right])
    }

    /// The study, with its arms when they were combined (e.g. two dose schedules) or it has several strata.
    public func continuousLabel(_ c: ContinuousComparison) -> String {
        c.combinedArms || continuous.filter({ $0.study == c.study }).count > 1 ? "\(c.study), \(c.activeArm.shortened(48))" : c.study
    }

    public func listedTable() -> TextTable {
        TextTable(header: ["Study", "Arm", "Role", "Timepoint", "Value", "Why not pooled"],
                  rows: listed.map { l in
                      [l.study, l.arm.shortened(40), l.armRole.rawValue, l.timepoint.shortened(28), l.value,
                       l.reason.description + (l.detail.isEmpty ? "" : " (\(l.detail))")]
                  },
                  alignments: [.left, .left, .left, .left, .right, .left])
    }
}

extension String {
    /// At most `limit` characters, with an ellipsis when cut.
    func shortened(_ limit: Int = 32) -> String {
        count <= limit ? self : String(prefix(limit - 1)) + "…"
    }
}
