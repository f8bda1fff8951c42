import MetaData
import MetaAnalysis

/// The review's checkable claims (counts, participants, routes, rates, trial results, inclusion window) confronted
/// with the data. Each claim's words are the review's; everything in `data` and every verdict is computed here from
/// `TRDEvidence`, so a change in `Datasets/trd-review/` changes the table.
public enum ReviewClaims {
    /// Checks every claim.
    ///
    /// - Throws: `InputError` from the comparisons the trial claims need.
    public static func check(_ evidence: TRDEvidence) throws -> [ReviewClaim] {
        var claims: [ReviewClaim] = []
        let studies = evidence.studies
        func refs(_ s: [TRDStudy]) -> String { s.map { String($0.ref) }.joined(separator: ", ") }

        // Included studies.
        let categorised = studies.filter { $0.design != .notCategorised }
        let uncategorised = studies.filter { $0.design == .notCategorised }
        claims.append(ReviewClaim(
            id: "included_studies", topic: "Included studies", location: "Abstract; 2.2; Discussion",
            claim: "60 articles were included",
            data: "\(studies.count) studies cited as included; \(categorised.count) in the design lists of 3.1"
                + (uncategorised.isEmpty ? "" : " (uncategorised: [\(refs(uncategorised))])"),
            verdict: studies.count == 60 ? .supported : (categorised.count == 60 ? .partlySupported : .notSupported),
            basis: studies.count == 60 ? "count matches" : "the reference lists cite \(studies.count) studies as included",
            refs: uncategorised.map(\.ref)))

        // Studies by class.
        for (cls, claimed, table, location) in [(TreatmentClass.glutamatergic, 43, "table1", "Abstract; 3.2; Table 1"),
                                               (.antipsychoticAugmentation, 10, "table2", "3.1; Table 2"),
                                               (.psychedelic, 7, "table3", "3.1; Table 3")] {
            let inClass = studies.filter { $0.treatmentClass == cls }
            let inTable = studies.filter { $0.reviewTable == table }
            let verdict: ClaimVerdict = inClass.count == claimed ? .supported : (inTable.count == claimed ? .partlySupported : .notSupported)
            let extra = inClass.filter { $0.reviewTable != table }
            claims.append(ReviewClaim(
                id: "class_count_\(cls.rawValue)", topic: "\(cls.displayName) studies", location: location,
                claim: "\(claimed) studies", data: "\(inClass.count) by agent; \(inTable.count) in \(table.replacingOccurrences("table", "Table "))"
                    + (extra.isEmpty ? "" : " (not in the table: [\(refs(extra))])"),
                verdict: verdict,
                basis: verdict == .supported ? "count matches" : "the table and the studies' agents disagree",
                refs: extra.map(\.ref)))
        }

        // Studies by design.
        let claimedDesigns = [20, 19, 5, 4, 3, 3, 3, 2, 1]
        let designs = StudyDesign.allCases.filter { $0 != .notCategorised }
        let counted = designs.map { d in studies.filter { $0.design == d }.count }
        claims.append(ReviewClaim(
            id: "design_counts", topic: "Studies by design", location: "3.1",
            claim: "observational 20, double-blind placebo-controlled RCT 19, open-label 5, retrospective cohort 4, case report 3, case series 3, pragmatic RCT 3, pilot/phase I-II 2, qualitative 1",
            data: zip(designs, counted).map { "\($0.0.displayName) \($0.1)" }.joined(separator: ", "),
            verdict: counted == claimedDesigns ? .supported : .notSupported,
            basis: counted == claimedDesigns ? "every category count matches (several studies sit in the wrong category: see the dataset README)"
                : "category counts differ", refs: []))

        // Participants.
        let printed = studies.compactMap(\.nReview).reduce(0, +)
        // Confirmed and likely overlaps count once (the group's largest N); possible overlaps are not established.
        func distinctTotal(_ merge: (TRDStudy) -> Bool) -> (total: Int, samples: Int) {
            var largest: [String: Int] = [:]
            for s in studies {
                guard let n = s.n else { continue }
                let key = merge(s) ? s.sampleGroup : "ref-\(s.ref)"
                largest[key] = max(largest[key] ?? 0, n)
            }
            return (largest.values.reduce(0, +), largest.count)
        }
        let established = distinctTotal { $0.overlap == .confirmed || $0.overlap == .likely }
        let allMerged = distinctTotal { _ in true }
        let deduplicated = established.total
        let unknown = studies.filter { $0.n == nil }
        claims.append(ReviewClaim(
            id: "participants", topic: "Participants", location: "3.1",
            claim: "The total number of participants across all studies exceeds 205,000",
            data: "the review's printed N sum to \(grouped(printed)); the studies' own N, confirmed or likely overlaps counted once: \(grouped(deduplicated)) in \(established.samples) samples; also merging possible overlaps (e.g. the Finnish registers [72, 73]): \(grouped(allMerged.total)); \(unknown.count) studies without N ([\(refs(unknown))])",
            verdict: deduplicated > 205_000 ? (allMerged.total > 205_000 ? .supported : .partlySupported) : .notSupported,
            basis: deduplicated > 205_000 && allMerged.total <= 205_000
                ? "true only if the two Finnish register cohorts [72, 73] do not share patients, which is not established"
                : "driven by the registry cohorts [72, 73, 71]", refs: [71, 72, 73]))

        let mismatched = studies.filter { s in s.nReview != nil && s.n != nil && s.nReview != s.n }
        let withPrinted = studies.filter { $0.nReview != nil }
        claims.append(ReviewClaim(
            id: "printed_n", topic: "Sample sizes printed in 3.1", location: "3.1",
            claim: "N for \(withPrinted.count) studies (e.g. [73] N = 20,478)",
            data: mismatched.isEmpty ? "all match the sources"
                : mismatched.map { "[\($0.ref)] review \(grouped($0.nReview!)), source \(grouped($0.n!))" }.joined(separator: "; "),
            verdict: mismatched.isEmpty ? .supported : .partlySupported,
            basis: "\(withPrinted.count - mismatched.count) of \(withPrinted.count) match the study's own N", refs: mismatched.map(\.ref)))

        // Routes and agents.
        func agentRoute(_ id: String, _ topic: String, _ claim: String, claimed: Int, cited: [Int], _ match: (TRDStudy) -> Bool) {
            let found = studies.filter(match)
            let sameRefs = Set(found.map(\.ref)) == Set(cited)
            let unlisted = found.filter { $0.reviewTreatmentLists.isEmpty }
            var verdict: ClaimVerdict = found.count == claimed ? (sameRefs || cited.isEmpty ? .supported : .partlySupported) : .notSupported
            var basis = verdict == .supported ? "count matches" : (found.count == claimed ? "count matches but the cited studies differ" : "count differs")
            if found.count != claimed && found.count - unlisted.count == claimed {
                verdict = .partlySupported
                basis = "the review's list leaves out [\(refs(unlisted))], which is in no treatment list"
            }
            claims.append(ReviewClaim(
                id: id, topic: topic, location: "3.1", claim: claim,
                data: "\(found.count) \(found.count == 1 ? "study" : "studies"): [\(refs(found))]", verdict: verdict, basis: basis,
                refs: found.map(\.ref)))
        }
        agentRoute("iv_ketamine", "IV racemic ketamine", "most commonly studied intervention (N = 30)", claimed: 30, cited: []) {
            ($0.agent == .ketamine || $0.agent == .ketamineAndEsketamine) && $0.route == .intravenous
        }
        agentRoute("intranasal_esketamine", "Intranasal esketamine", "reported in 9 studies", claimed: 9, cited: [7, 11, 15, 33, 68, 76, 78, 79, 80]) {
            // Ref 78 switched patients from intranasal esketamine to IV ketamine (route "multiple").
            ($0.agent == .esketamine || $0.agent == .ketamineAndEsketamine) && ($0.route == .intranasal || $0.route == .multiple)
        }
        agentRoute("subcutaneous_esketamine", "Subcutaneous esketamine", "used in 1 study [60]", claimed: 1, cited: [60]) {
            $0.route == .subcutaneous
        }
        for (agent, claimed, cited) in [(Agent.ayahuasca, 3, [39, 56, 61]), (.psilocybin, 3, [36, 38, 67]), (.dmt, 1, [84])] {
            agentRoute("psychedelic_\(agent.rawValue)", agent.displayName, "\(agent.displayName): N = \(claimed) [\(cited.map(String.init).joined(separator: ", "))]",
                       claimed: claimed, cited: cited) { $0.agent == agent }
        }

        // Real-world esketamine rates.
        let realWorldRefs = [7, 11, 15]
        for (outcome, range) in [(ReportedOutcome.response, 60.0...70.0), (.remission, 30.0...50.0)] {
            let rows = evidence.outcomes.filter {
                realWorldRefs.contains($0.studyRef) && $0.outcome == outcome && $0.agent == .esketamine && $0.armRole == .singleArm
            }
            let values: [(Int, Double, Bool)] = rows.compactMap { r in
                if let e = r.events, let t = r.total { return (r.studyRef, 100 * Double(e) / Double(t), true) }
                return r.percent.map { (r.studyRef, $0, false) }
            }
            let reporting = Set(values.map(\.0))
            let inRange = values.allSatisfy { range.contains($0.1) }
            let verdict: ClaimVerdict = values.isEmpty ? .notTestable
                : (!inRange ? .notSupported : (reporting.count == realWorldRefs.count && values.allSatisfy(\.2) ? .supported : .partlySupported))
            let range = "\(Int(range.lowerBound))-\(Int(range.upperBound))%"
            claims.append(ReviewClaim(
                id: "real_world_esketamine_\(outcome.rawValue)", topic: "Real-world esketamine \(outcome.rawValue)", location: "Discussion",
                claim: "\(outcome.rawValue.capitalizedFirst) rates of \(range) in real-world studies [7, 11, 15]",
                data: values.isEmpty ? "no rates reported by [7, 11, 15]"
                    : values.map { "[\($0.0)] \(CSVNumber.text($0.1))%\($0.2 ? "" : " (no denominator)")" }.joined(separator: "; ")
                        + "; \(realWorldRefs.count - reporting.count) of \(realWorldRefs.count) cited studies report none",
                verdict: verdict,
                basis: verdict == .partlySupported ? "within the range, but from \(reporting.count) of \(realWorldRefs.count) cited studies and not poolable"
                    : (verdict == .supported ? "every cited study reports a rate in the range" : "see data"),
                refs: realWorldRefs))
        }

        // Trials.
        let remission = try RateAnalysis.binaryComparisons(
            evidence.outcomes.filter { $0.outcome == .remission && $0.measure == .events }, evidence: evidence, level: 95).used
        let optimum = remission.filter { $0.sampleGroup == "optimum" }
        let versusSwitch = optimum.first { $0.controlArm.lowercased().contains("switch") }
        func rdText(_ c: ControlledComparison) -> String {
            let rd = c.riskDifference
            return "\(c.activeEvents)/\(c.activeTotal) v \(c.controlEvents)/\(c.controlTotal) (\(c.controlArm)): RD \(pp(rd.estimate)) [\(pp(rd.ciLower)), \(pp(rd.ciUpper))] points"
        }
        let similar = versusSwitch.map { $0.riskDifference.ciLower <= 0 && $0.riskDifference.ciUpper >= 0 }
        claims.append(ReviewClaim(
            id: "optimum_remission_similar", topic: "OPTIMUM remission", location: "3.3; Table 2",
            claim: "aripiprazole augmentation v switching to bupropion: \"both strategies showed similar remission rates\" [81, 82]",
            data: optimum.isEmpty ? "no remission counts for OPTIMUM" : optimum.map(rdText).joined(separator: "; "),
            verdict: similar == nil ? .notTestable : (similar! ? .supported : .notSupported),
            basis: similar == nil ? "no switch arm with counts" : (similar! ? "the RD's 95% CI includes 0"
                : "the unadjusted RD v switching excludes 0 (secondary-source counts; the trial's primary outcome was well-being)"),
            refs: optimum.map(\.ref).uniqued()))

        var superiorParts: [String] = []
        var supportedTrials = 0, testedTrials = 0
        for group in ["optimum", "irl_grey"] {
            let trial = remission.filter { $0.sampleGroup == group }
            guard !trial.isEmpty else { superiorParts.append("\(group): no remission counts"); continue }
            if let sw = trial.first(where: { $0.controlArm.lowercased().contains("switch") }) {
                testedTrials += 1
                if sw.riskDifference.ciLower > 0 { supportedTrials += 1 }
                superiorParts.append("\(sw.study): " + rdText(sw))
            } else {
                superiorParts.append("\(trial[0].study): no switch arm; " + trial.map(rdText).joined(separator: "; "))
            }
        }
        claims.append(ReviewClaim(
            id: "augmentation_superior_to_switch", topic: "Augmentation v switching", location: "Discussion",
            claim: "OPTIMUM [82] and IRL-GRey [57, 85]: augmentation leads to superior remission compared to switching antidepressants",
            data: superiorParts.joined(separator: "; "),
            verdict: testedTrials == 0 ? .notTestable : (supportedTrials == 2 ? .supported : (supportedTrials >= 1 ? .partlySupported : .notSupported)),
            basis: "\(testedTrials) of 2 trials compared augmentation with a switch; \(supportedTrials) with an RD excluding 0",
            refs: [57, 82, 85]))

        let ascertain = evidence.outcomes.filter { $0.sampleGroup == "ascertain_trd" && $0.outcome == .response && ($0.measure == .percent || $0.measure == .events) }
        let ascertainTestable = ascertain.contains { $0.hasDenominator }
        claims.append(ReviewClaim(
            id: "ascertain_trd", topic: "ASCERTAIN-TRD", location: "3.3; Table 2",
            claim: "aripiprazole not statistically superior to switching; rTMS more effective [83]",
            data: ascertain.isEmpty ? "no response data" : ascertain.map { "\($0.agent.displayName) \(RateAnalysis.valueText($0))" }.joined(separator: "; ") + " (response)",
            verdict: ascertainTestable ? .partlySupported : .notTestable,
            basis: ascertainTestable ? "counts available" : "percentages without arm sizes: no test possible from the data (direction as claimed)",
            refs: [83]))

        // Inclusion window.
        let old = studies.filter { $0.year < 2015 }
        claims.append(ReviewClaim(
            id: "inclusion_window", topic: "Inclusion window", location: "2.2",
            claim: "only articles published within the last 10 years were included (search of 13 March 2025)",
            data: old.isEmpty ? "all published 2015 or later" : old.map { "\($0.label) published \($0.year)" }.joined(separator: "; "),
            verdict: old.isEmpty ? .supported : .notSupported,
            basis: old.isEmpty ? "no study before 2015" : "\(old.count) included studies predate March 2015", refs: old.map(\.ref)))
        return claims
    }

    /// 205223 -> "205,223".
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }

    /// A risk difference in percentage points with one decimal.
    static func pp(_ x: Double) -> String {
        let tenths = Int((1000 * x).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = "", rest = Substring(self)
        while !rest.isEmpty {
            if rest.hasPrefix(target) { out += replacement; rest = rest.dropFirst(target.count) } else { out.append(rest.removeFirst()) }
        }
        return out
    }

    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
