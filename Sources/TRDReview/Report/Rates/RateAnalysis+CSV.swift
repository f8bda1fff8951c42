import MetaAnalysis
import MetaReport

extension RateAnalysis {
    /// One CSV row per result: pooled rates, their per-study rows, comparisons, comparison pools, continuous
    /// comparisons and pools, and listed results, in long format (`section` says which).
    public func csvDocument() -> CSVDocument {
        let f = NumberFormat.shortest
        var rows: [[String]] = []
        func add(_ section: String, _ group: String, _ study: String, _ refs: String, _ measure: String, _ k: Int?, _ n: Int?,
                 _ events: String, _ estimate: Double?, _ lo: Double?, _ hi: Double?, _ piLo: Double? = nil, _ piHi: Double? = nil,
                 yi: Double? = nil, vi: Double? = nil, note: String = "") {
            rows.append([section, outcome.rawValue, group, study, refs, measure, k.map(String.init) ?? "", n.map(String.init) ?? "", events,
                         estimate.map(f) ?? "", lo.map(f) ?? "", hi.map(f) ?? "", piLo.map(f) ?? "", piHi.map(f) ?? "",
                         yi.map(f) ?? "", vi.map(f) ?? "", note])
        }
        for p in pooled {
            add("pooled_rate", p.label, p.studies.map(\.study).joined(separator: "; "), p.studies.map { String($0.ref) }.joined(separator: ";"),
                "proportion (\(p.model.rawValue))", p.k, p.totalN, String(p.totalEvents), p.estimate, p.ciLower, p.ciUpper,
                p.predictionLower, p.predictionUpper, yi: p.beta, vi: p.standardError * p.standardError)
            for s in p.studies {
                add("rate_study", p.label, s.study, String(s.ref), "proportion", 1, s.total, String(s.events), s.proportion, s.ciLower, s.ciUpper,
                    yi: s.yi, vi: s.vi, note: s.weightPercent.map { "weight \(NumberFormat.fixed($0, digits: 1))%" } ?? "")
            }
        }
        for c in comparisons {
            for e in [c.riskRatio, c.oddsRatio, c.riskDifference] {
                add("comparison", "\(c.treatmentClass.displayName) \(c.kind.displayName)", c.study, String(c.ref), e.measure.rawValue, 1,
                    c.activeTotal + c.controlTotal, "\(c.activeEvents)/\(c.activeTotal) v \(c.controlEvents)/\(c.controlTotal)",
                    e.estimate, e.ciLower, e.ciUpper, yi: e.yi, vi: e.vi, note: "\(c.activeArm) v \(c.controlArm); \(c.numberNeededToTreat)")
            }
        }
        for p in comparisonPools {
            for e in p.mantelHaenszel + p.randomEffects {
                add("comparison_pool", p.label, p.units.map(\.study).joined(separator: "; "), p.units.map { String($0.ref) }.joined(separator: ";"),
                    "\(e.measure.rawValue) \(e.method)", p.k, p.totalN, "", e.estimate, e.ciLower, e.ciUpper, e.predictionLower, e.predictionUpper,
                    yi: e.yi, vi: e.vi, note: p.numberNeededToTreat?.description ?? "")
            }
        }
        for c in continuous {
            let e = c.standardizedMeanDifference
            add("continuous", "\(c.treatmentClass.displayName) \(c.kind.displayName)", c.study, String(c.ref), "SMD \(c.outcome.rawValue)", 1,
                c.activeN + c.controlN, "", e.estimate, e.ciLower, e.ciUpper, yi: e.yi, vi: e.vi, note: "\(c.activeArm) v \(c.controlArm); \(c.timepoint)")
        }
        for p in continuousPools {
            let e = p.pooled
            add("continuous_pool", p.label, p.comparisons.map(\.study).joined(separator: "; "), p.comparisons.map { String($0.ref) }.joined(separator: ";"),
                "SMD \(p.outcome.rawValue) \(e.method)", p.k, nil, "", e.estimate, e.ciLower, e.ciUpper, e.predictionLower, e.predictionUpper,
                yi: e.yi, vi: e.vi)
        }
        for l in listed {
            add("listed", l.treatmentClass.displayName, l.study, String(l.ref), l.outcome.rawValue, nil, nil, l.value, nil, nil, nil,
                note: "\(l.arm); \(l.reason.description)\(l.detail.isEmpty ? "" : " (\(l.detail))")")
        }
        return CSVDocument(header: ["section", "outcome", "group", "studies", "refs", "measure", "k", "n", "events", "estimate",
                                    "ci_lb", "ci_ub", "pi_lb", "pi_ub", "yi", "vi", "note"], rows: rows)
    }
}
