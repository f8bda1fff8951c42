import MetaAnalysis

/// The limitations the report states, with the counts that make them concrete computed from the data.
public enum Limitations {
    public static func make(evidence: TRDEvidence, analyses: [RateAnalysis]) -> [String] {
        let studyResults = analyses.reduce(0) { $0 + $1.studyResults.count }
        let pooled = analyses.reduce(0) { $0 + $1.pooled.count + $1.comparisonPools.count }
        let derived = evidence.outcomes.filter(\.countDerived).count
        let secondary = evidence.outcomes.filter { $0.sourceKind == "secondary" }.count
        let unstated = evidence.outcomes.filter { $0.definitionCode == .notStated }.count
        let noPrimary = Set(evidence.outcomes.filter { $0.phase == .randomised && $0.primaryTimepoint == nil }.map(\.studyRef)).count
        let findings = KeyFindings.make(evidence: evidence, analyses: analyses)
        let unmarked = findings.filter { $0.primaryTimepoint == nil }
        let sources = Set(unmarked.flatMap(\.studies)).sorted()
        return [
            "The evidence is the reference list of one narrative review (one search, 13 March 2025, no protocol or second screener): trials it missed are missing here, and nothing here is a systematic review.",
            "Almost every number comes from an abstract, a registry record or a secondary summary; no full-text results tables were read. \(secondary) of \(evidence.outcomes.count) outcome rows rest on secondary sources and \(derived) counts were back-calculated from printed percentages (marked + in the tables).",
            "Most strata hold one study: \(studyResults) single-arm study results against \(pooled) pooled strata. With k = 2 the between-study variance cannot be estimated from the data; the Bayesian estimate borrows it from an empirical prior (Turner et al. 2015 for odds ratios and, as an approximation, for single-arm logits; Rhodes et al. 2015 for SMDs), and the estimates by method differ widely.",
            "\(unstated) binary rows have no stated definition and \(noPrimary) randomised trials no stated primary timepoint in the available sources; the rules keep those apart rather than guess. \(unmarked.count) of the \(findings.count) key findings rest on a timepoint no available source calls primary or not (\(sources.joined(separator: "; "))), marked \(PrimaryTimepoint.unknownMark) in every table and plot.",
            "Risk of bias is judged from the design only (blinding, randomisation, source); no item-level RoB 2 or ROBINS-I assessment and no test of small-study effects was possible with k <= 2.",
            "Single trials carry known problems: Singh 2016's placebo day-15 values are carried forward (one completer per placebo arm); Rosenblat 2024's change and endpoint SMDs disagree after a 5.4-point baseline imbalance; OPTIMUM's and IRL-GRey's participants are older adults; Glue 2024's 168/231 responders come from an open-label enrichment phase.",
            "The gaps table lists what the full texts would add; until then several claims of the review cannot be tested.",
        ]
    }
}
