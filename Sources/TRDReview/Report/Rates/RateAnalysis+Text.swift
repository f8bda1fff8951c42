import MetaAnalysis
import MetaReport

extension RateAnalysis {
    /// The tables of `metaswift rates --format table`: pooled rates, controlled comparisons (and their pools),
    /// continuous outcomes, the results listed but not pooled, and the notes, each naming its studies.
    public func textReport() -> String {
        let title = outcome == .response ? "Response" : "Remission"
        var out = "\(title) rates by \(grouping.rawValue) — model: \(modelDescription)\n\n"
        out += "Pooled single-arm \(outcome.rawValue) proportions (arms of the review's treatments with a denominator; one report per sample)\n"
        out += pooledTable().rendered() + "\n"
        out += "Controlled comparisons, \(outcome.rawValue) (active v control or comparator; RD in percentage points; NNT: Altman 1998)\n"
        out += comparisonTable().rendered()
        if comparisonPools.isEmpty {
            out += "Pooled comparisons: none (no class has two independent comparisons of the same kind for this outcome).\n"
        } else {
            out += "\nPooled comparisons (Mantel-Haenszel and random effects)\n" + comparisonPoolTable().rendered()
        }
        out += "\nContinuous outcomes (Hedges' g, active minus control; negative favours the active arm)\n"
        out += continuousTable().rendered()
        for pool in continuousPools {
            let studies: String = pool.comparisons.map(\.study).uniqued().joined(separator: "; ")
            let g: String = RateFormat.effect(pool.pooled)
            let tau2: String = RateFormat.number(pool.pooled.tauSquared ?? 0, digits: 4)
            let i2: String = RateFormat.iSquared(pool.pooled.iSquared)
            out += "Pooled: \(pool.label): g = \(g), k = \(pool.k) comparisons (\(studies)), tau^2 = \(tau2), I^2 = \(i2)\n"
        }
        out += "\nReported but not pooled (\(outcome.rawValue))\n" + listedTable().rendered()
        if !diagnostics.isEmpty {
            out += "\nNotes\n" + diagnostics.map(\.description).uniqued().map { "- " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// E.g. "binomial-normal GLMM (ML, z-based 95% CI; ...)".
    public var modelDescription: String {
        let level = RateFormat.number(options.level, digits: 0)
        let fallback = "logit random effects (PLO, \(options.estimator.rawValue), \(options.test.rawValue))"
        switch modelRequested {
        case .glmm:
            return "binomial-normal GLMM (PLO, ML, z-based \(level)% CI; fallback \(fallback)); PI from k = \(PooledRate.minimumStudiesForPrediction)"
        case .logit:
            return "\(fallback), \(level)% CI; PI from k = \(PooledRate.minimumStudiesForPrediction)"
        case .ft:
            return "Freeman-Tukey random effects (PFT, \(options.estimator.rawValue), \(options.test.rawValue)), \(level)% CI; PI from k = \(PooledRate.minimumStudiesForPrediction)"
        }
    }

    public func pooledTable() -> TextTable {
        TextTable(header: ["Group", "k", "N", "Events", "Rate % [95% CI]", "95% PI (%)", "I2", "Model", "Studies"],
                  rows: pooled.map { p in
                      [p.label, String(p.k), String(p.totalN), String(p.totalEvents), RateFormat.percentWithCI(p.estimate, p.ciLower, p.ciUpper),
                       RateFormat.interval(p.predictionLower, p.predictionUpper, scale: 100), RateFormat.iSquared(p.iSquared),
                       p.k == 1 ? "one study" : p.model.rawValue, p.studies.map(\.study).joined(separator: "; ")]
                  },
                  alignments: [.left, .right, .right, .right, .right, .right, .right, .left, .left])
    }

    public func comparisonTable() -> TextTable {
        TextTable(header: ["Study", "Outcome", "Timepoint", "Active", "Control", "Kind", "RR [95% CI]", "OR [95% CI]", "RD [95% CI]", "NNT"],
                  rows: comparisons.map { c in
                      [c.study, c.outcome.rawValue, c.timepoint, "\(c.activeArm.shortened()) \(c.activeEvents)/\(c.activeTotal)",
                       "\(c.controlArm.shortened()) \(c.controlEvents)/\(c.controlTotal)", c.kind.rawValue,
                       RateFormat.effect(c.riskRatio), RateFormat.effect(c.oddsRatio), RateFormat.effect(c.riskDifference),
                       c.numberNeededToTreat.description]
                  },
                  alignments: [.left, .left, .left, .left, .left, .left, .right, .right, .right, .left])
    }

    public func comparisonPoolTable() -> TextTable {
        var rows: [[String]] = []
        for p in comparisonPools {
            for e in p.mantelHaenszel + p.randomEffects {
                rows.append([p.label, String(p.k), e.measure.rawValue, e.method, RateFormat.effect(e), RateFormat.iSquared(e.iSquared),
                             p.units.map(\.study).joined(separator: "; ")])
            }
            if let nnt = p.numberNeededToTreat { rows.append([p.label, String(p.k), "NNT", "from MH RD", nnt.description, "", ""]) }
        }
        return TextTable(header: ["Pool", "k", "Measure", "Method", "Estimate [95% CI]", "I2", "Studies"], rows: rows,
                         alignments: [.left, .right, .left, .left, .right, .right, .left])
    }

    public func continuousTable() -> TextTable {
        TextTable(header: ["Study", "Scale", "Timepoint", "Active mean (SD) n", "Control mean (SD) n", "Kind", "g [95% CI]"],
                  rows: continuous.map { c in
                      [continuousLabel(c), c.outcome.displayName + (c.measure == .meanChange ? " change" : " endpoint"), c.timepoint,
                       "\(RateFormat.number(c.activeMean)) (\(RateFormat.number(c.activeSD))) \(c.activeN)",
                       "\(RateFormat.number(c.controlMean)) (\(RateFormat.number(c.controlSD))) \(c.controlN)", c.kind.rawValue,
                       RateFormat.effect(c.standardizedMeanDifference)]
                  },
                  alignments: [.left, .left, .left, .right, .right, .left, .right])
    }

    /// The study, with the active arm when the study has several comparisons (e.g. two dose schedules).
    public func continuousLabel(_ c: ContinuousComparison) -> String {
        continuous.filter { $0.study == c.study }.count > 1 ? "\(c.study), \(c.activeArm)" : c.study
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
