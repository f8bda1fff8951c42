import Foundation
import Testing

/// The rules that make `Datasets/trd-review/outcomes.csv` trustworthy: every number traces to a verbatim quote,
/// counts are consistent, derived counts show and reproduce their arithmetic, and every row belongs to a study of
/// `studies.csv` with the same overlap group and class. The data are fixed when a rule fails, never the rule.
@Suite("TRD review outcomes.csv integrity")
struct TRDOutcomesIntegrityTests {
    static let path = "trd-review/outcomes.csv"

    static let armRoles: Set = ["active", "control", "comparator", "single_arm", "subgroup", "pooled_arms",
                                "contrast", "subgroup_contrast"]
    static let measures: Set = ["events", "percent", "mean_change", "endpoint_mean", "baseline_mean",
                                "between_group", "within_group"]
    static let outcomes: Set = ["response", "remission", "partial_response", "response_or_partial_response",
                                "relapse", "remission_without_relapse", "madrs", "hamd17", "hamd6", "qids_sr16",
                                "phq9", "bdi", "suicidal_ideation", "madrs_suicide_item", "hamd_suicide_item",
                                "fatigue", "wellbeing", "hospitalisation"]
    static let binaryOutcomes: Set = ["response", "remission", "partial_response", "response_or_partial_response",
                                      "relapse", "remission_without_relapse"]
    static let effectTypes: Set = ["odds_ratio", "mean_difference", "cohens_d", "hedges_g", "hazard_ratio",
                                   "risk_difference", "regression_beta", "f_statistic", "p_value_only"]
    static let armClasses: Set = ["glutamatergic", "antipsychotic_augmentation", "psychedelic", "other_augmentation",
                                  "switch", "control", "other"]
    static let designs = TRDStudiesTests.designs
    static let phases: Set = ["randomised", "enrichment", "open_label_continuation", "not_randomised"]
    static let raters: Set = ["", "clinician", "patient"]
    static let windows: Set = ["baseline", "acute", "early", "medium", "long", "unknown"]
    static let definitionCodes: Set = ["not_stated", "madrs_reduction_ge50", "madrs_le10", "madrs_le10_two_visits",
                                       "madrs_le12_and_reduction_ge50", "madrs_le10_then_no_relapse",
                                       "hamd17_lt8_sustained", "qids_reduction_ge20"]
    static let agents: Set = ["ketamine", "esketamine", "midazolam", "placebo", "waitlist", "quetiapine_xr",
                              "aripiprazole", "bupropion", "lithium", "nortriptyline", "venlafaxine_or_duloxetine",
                              "rtms", "psilocybin", "ayahuasca", "dmt", "atypical_antipsychotics", "d_cycloserine"]
    static let routes: Set = ["", "intravenous", "intranasal", "oral", "sublingual", "subcutaneous", "transcranial", "multiple"]

    /// Columns whose numbers must appear in `source_quote` (or, for sizes, in `n_quote`).
    static let quotedColumns = ["percent", "mean", "sd", "plus_minus", "effect_value", "ci_lb", "ci_ub", "p_value", "alpha"]
    static let sizeColumns = ["total", "n", "n_comparator"]
    static let numericColumns = ["events", "total", "percent", "mean", "sd", "plus_minus", "n", "n_comparator",
                                 "effect_value", "ci_lb", "ci_ub", "timepoint_days", "alpha"]

    let rows: [Row]
    let studies: [String: Row]
    init() throws {
        rows = try DatasetFiles.rows(Self.path)
        studies = Dictionary(uniqueKeysWithValues: try DatasetFiles.rows(TRDStudiesTests.path).map { ($0["ref"], $0) })
    }

    @Test func columnsFollowTheCodebook() throws {
        #expect(try DatasetFiles.columns(Self.path) == [
            "study_ref", "sample_group", "source_publication", "source_doi", "extraction_row", "arm", "arm_role",
            "comparison", "arm_class", "agent", "treatment_class", "dose", "route", "design", "phase", "outcome",
            "scale", "rater", "measure", "definition", "definition_code", "timepoint", "timepoint_days",
            "timepoint_window", "primary_timepoint", "primary_timepoint_basis", "events", "total", "percent",
            "mean", "sd", "plus_minus", "n", "n_comparator", "effect_type", "effect_description",
            "above_null_favours", "effect_value", "ci_lb", "ci_ub", "p_value", "alpha", "count_derived",
            "derivation", "source_kind", "confidence", "source_url", "source_quote", "n_source_url", "n_quote",
            "never_pool", "notes"])
        #expect(rows.count > 100)
    }

    @Test func codesAreFromTheClosedVocabularies() {
        for row in rows {
            #expect(Self.armRoles.contains(row["arm_role"]), "\(row): arm_role '\(row["arm_role"])'")
            #expect(Self.measures.contains(row["measure"]), "\(row): measure '\(row["measure"])'")
            #expect(Self.outcomes.contains(row["outcome"]), "\(row): outcome '\(row["outcome"])'")
            #expect(Self.agents.contains(row["agent"]), "\(row): agent '\(row["agent"])'")
            #expect(Self.routes.contains(row["route"]), "\(row): route '\(row["route"])'")
            #expect(["primary", "secondary"].contains(row["source_kind"]), "\(row): source_kind")
            #expect(["high", "medium", "low"].contains(row["confidence"]), "\(row): confidence")
            #expect(["true", "false"].contains(row["count_derived"]), "\(row): count_derived")
            if row.has("effect_type") { #expect(Self.effectTypes.contains(row["effect_type"]), "\(row): effect_type") }
            #expect(Self.armClasses.contains(row["arm_class"]), "\(row): arm_class '\(row["arm_class"])'")
            #expect(Self.designs.contains(row["design"]), "\(row): design '\(row["design"])'")
            #expect(Self.phases.contains(row["phase"]), "\(row): phase '\(row["phase"])'")
            #expect(Self.raters.contains(row["rater"]), "\(row): rater '\(row["rater"])'")
            #expect(Self.windows.contains(row["timepoint_window"]), "\(row): timepoint_window '\(row["timepoint_window"])'")
            #expect(["", "true", "false"].contains(row["primary_timepoint"]), "\(row): primary_timepoint")
            #expect(["", "first_arm", "second_arm"].contains(row["above_null_favours"]), "\(row): above_null_favours")
        }
    }

    /// The typed fields the eligibility rules stratify on: a binary outcome has a definition code (`not_stated`
    /// when no quote gives it), others none; the rater follows the scale; a primary-timepoint flag has its basis;
    /// a randomised phase belongs to a randomised design and an enrichment phase to a randomised withdrawal.
    @Test func stratificationFieldsAreConsistent() {
        let clinician: Set = ["madrs", "hamd17", "hamd6"]
        let patient: Set = ["qids_sr16", "phq9", "bdi", "nih_toolbox_wellbeing", "nih_bfi"]
        for row in rows {
            if Self.binaryOutcomes.contains(row["outcome"]) {
                #expect(Self.definitionCodes.contains(row["definition_code"]), "\(row): definition_code '\(row["definition_code"])'")
            } else {
                #expect(!row.has("definition_code"), "\(row): definition_code on a non-binary outcome")
            }
            if clinician.contains(row["scale"]) { #expect(row["rater"] == "clinician", "\(row): rater of \(row["scale"])") }
            if patient.contains(row["scale"]) { #expect(row["rater"] == "patient", "\(row): rater of \(row["scale"])") }
            #expect(row.has("primary_timepoint") == row.has("primary_timepoint_basis"), "\(row): primary_timepoint without basis")
            if row["phase"] == "randomised" || row["phase"] == "open_label_continuation" {
                #expect(row["design"].hasPrefix("rct_") || row["design"] == "randomised_withdrawal", "\(row): phase v design")
            }
            if row["phase"] == "enrichment" { #expect(row["design"] == "randomised_withdrawal", "\(row)") }
            if row["phase"] == "not_randomised" { #expect(!row["design"].hasPrefix("rct_"), "\(row): phase v design") }
            if row.has("alpha") { #expect((0.0..<0.05).contains(row.double("alpha") ?? 1), "\(row): alpha") }
            if row["scale"] == "phq9" && row["arm_role"] == "subgroup" || row["arm_role"] == "subgroup" && row["study_ref"] == "68" {
                #expect(row.has("never_pool"), "\(row): a post hoc subgroup row must say never_pool")
            }
        }
    }

    @Test func numbersAreNumbers() {
        for row in rows {
            for column in Self.numericColumns where row.has(column) {
                #expect(row.double(column)?.isFinite == true, "\(row): \(column) '\(row[column])' is not a number")
            }
            for column in ["events", "total", "n", "n_comparator", "timepoint_days", "extraction_row"] where row.has(column) {
                #expect((row.int(column) ?? -1) >= 0, "\(row): \(column) '\(row[column])' must be a whole number ≥ 0")
            }
            if row.has("p_value") {
                let p = row["p_value"].trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
                #expect(Double(p).map { $0 > 0 && $0 <= 1 } == true, "\(row): p_value '\(row["p_value"])'")
            }
            if row.has("percent") { #expect((0...100).contains(row.double("percent") ?? -1), "\(row): percent") }
            if row.has("sd") { #expect((row.double("sd") ?? -1) >= 0, "\(row): sd") }
        }
    }

    @Test func everyNumberHasASourceAndAQuote() {
        for row in rows {
            let hasNumber = (Self.numericColumns + ["p_value"]).contains { $0 != "timepoint_days" && row.has($0) }
            #expect(hasNumber, "\(row): a row without any number does not belong in outcomes.csv")
            #expect(row["source_url"].hasPrefix("http"), "\(row): source_url '\(row["source_url"])'")
            #expect(!row["source_quote"].isEmpty, "\(row): no source_quote")
            #expect(row.has("n_quote") == row.has("n_source_url"), "\(row): n_quote and n_source_url go together")
            if row.has("n_source_url") { #expect(row["n_source_url"].hasPrefix("http"), "\(row): n_source_url") }
        }
    }

    /// Every number that is not a derived count appears in its quote (sizes may come from `n_quote`).
    @Test func everyNumberAppearsInItsQuote() {
        for row in rows {
            let quote = QuoteNumbers(row["source_quote"])
            let quoteOrSize = QuoteNumbers(row["source_quote"], row["n_quote"])
            var checks = Self.quotedColumns.map { ($0, quote) } + Self.sizeColumns.map { ($0, quoteOrSize) }
            if row["count_derived"] == "false" { checks.append(("events", quote)) }
            for (column, numbers) in checks where row.has(column) {
                let text = row[column].trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
                guard let value = Double(text) else { continue }
                #expect(numbers.contains(value), "\(row): \(column) = \(row[column]) is not in its quote")
            }
        }
    }

    @Test func countsAreConsistent() {
        for row in rows {
            if let e = row.int("events"), let t = row.int("total") {
                #expect(e <= t, "\(row): events \(e) > total \(t)")
                #expect(t > 0, "\(row): total 0")
                if row.has("percent") {
                    // The printed percent must be events/total rounded to the printed decimals.
                    let printed = row["percent"]
                    let decimals = printed.split(separator: ".").dropFirst().first?.count ?? 0
                    let halfUnit = 0.5 * pow(10, -Double(decimals))
                    let exact = 100 * Double(e) / Double(t)
                    #expect(abs(exact - Double(printed)!) <= halfUnit + 1e-9, "\(row): \(e)/\(t) = \(exact)% is not \(printed)%")
                }
            }
            if row["measure"] == "events" { #expect(row.has("events"), "\(row): events row without events") }
            if row["measure"] == "percent" {
                #expect(row.has("percent") && !row.has("events") && !row.has("total"), "\(row): percent rows keep events/total blank")
            }
            if ["mean_change", "endpoint_mean", "baseline_mean"].contains(row["measure"]) { #expect(row.has("mean"), "\(row)") }
            if row["measure"] == "within_group" { #expect(row.has("effect_value") && row.has("effect_type"), "\(row)") }
            if row["measure"] == "between_group" {
                #expect(row.has("effect_type") && (row.has("effect_value") || row.has("p_value")), "\(row)")
                #expect(["contrast", "subgroup_contrast"].contains(row["arm_role"]), "\(row): between-group rows are contrasts")
            }
            if row["effect_type"] == "p_value_only" { #expect(!row.has("effect_value") && row.has("p_value"), "\(row)") }
            if Self.binaryOutcomes.contains(row["outcome"]) && ["events", "percent"].contains(row["measure"]) {
                #expect(!row.has("mean"), "\(row)")
            }
            if let lb = row.double("ci_lb"), let ub = row.double("ci_ub") {
                #expect(lb <= ub, "\(row): ci_lb > ci_ub")
                let centre = row.double("effect_value") ?? row.double("mean")
                if let c = centre { #expect(lb <= c && c <= ub, "\(row): estimate \(c) outside its CI [\(lb), \(ub)]") }
            }
        }
    }

    /// A derived count shows its arithmetic, and the arithmetic reproduces: round(percent × total / 100) == events.
    @Test func derivedCountsReproduce() {
        let derived = rows.filter { $0["count_derived"] == "true" }
        #expect(!derived.isEmpty)
        for row in derived {
            guard let p = row.double("percent"), let t = row.int("total"), let e = row.int("events") else {
                Issue.record("\(row): a derived count needs percent, total and events")
                continue
            }
            #expect(Int((p * Double(t) / 100).rounded()) == e, "\(row): round(\(p) × \(t) / 100) ≠ \(e)")
            let derivation = row["derivation"]
            for part in [row["percent"], row["total"], "= \(e)"] {
                #expect(derivation.contains(part), "\(row): derivation '\(derivation)' does not show '\(part)'")
            }
        }
        for row in rows where row["count_derived"] == "false" { #expect(!row.has("derivation"), "\(row)") }
    }

    @Test func everyRowBelongsToAStudyWithTheSameGroupAndClass() {
        for row in rows {
            guard let study = studies[row["study_ref"]] else {
                Issue.record("\(row): study_ref '\(row["study_ref"])' is not in studies.csv")
                continue
            }
            #expect(row["sample_group"] == study["sample_group"], "\(row): sample_group differs from studies.csv")
            #expect(row["treatment_class"] == study["treatment_class"], "\(row): treatment_class differs from studies.csv")
        }
    }

    /// Arms of one randomised comparison share `comparison`; a controlled comparison has an active arm and a
    /// control or comparator in it, and single-arm rows belong to no comparison.
    @Test func comparisonsPairArms() {
        let armRows = rows.filter { ["active", "control", "comparator"].contains($0["arm_role"]) }
        for row in armRows { #expect(row.has("comparison"), "\(row): controlled arm without comparison") }
        for row in rows where row["arm_role"] == "single_arm" { #expect(!row.has("comparison"), "\(row)") }
        let byComparison = Dictionary(grouping: armRows, by: { "\($0["study_ref"])/\($0["comparison"])" })
        for (key, members) in byComparison {
            let roles = Set(members.map(\.["arm_role"]))
            #expect(roles.count >= 2 || key.hasSuffix("/step2"), "\(key): one arm role only (\(roles))")
        }
    }

    /// Hand-checked against the quotes (ESCAPE-TRD abstract, IRL-GRey trial report): the pairs the review's
    /// controlled comparisons rest on.
    @Test func keyTrialCountsAreThoseTheTrialsReport() {
        func events(_ ref: String, _ agent: String, _ outcome: String) -> [String] {
            rows.filter { $0["study_ref"] == ref && $0["agent"] == agent && $0["outcome"] == outcome && $0["measure"] == "events" }
                .map { "\($0["events"])/\($0["total"])" }
        }
        #expect(events("68", "esketamine", "remission") == ["91/336"])
        #expect(events("68", "quetiapine_xr", "remission") == ["60/340"])
        #expect(events("85", "aripiprazole", "remission") == ["40/91"])
        #expect(events("85", "placebo", "remission") == ["26/90"])
        #expect(events("34", "ketamine", "response") == ["17/31"])
        // Second pass (new_rows.csv rows 4-7): CT.gov completers as denominators, reproducing the printed p.
        #expect(events("39", "ayahuasca", "response") == ["9/14"])
        #expect(events("39", "placebo", "response") == ["4/15"])
        #expect(events("39", "ayahuasca", "remission") == ["5/14"])
        #expect(events("39", "placebo", "remission") == ["1/15"])
        // OPTIMUM step 1 (aripiprazole from the primary abstract, new row 14) with its prespecified alpha.
        #expect(rows.first { $0["study_ref"] == "82" && $0["agent"] == "aripiprazole" && $0["outcome"] == "remission" }?["alpha"] == "0.017")
    }
}
