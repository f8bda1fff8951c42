import Testing

/// `Datasets/trd-review/studies.csv` against its codebook and against what the review prints
/// (Cavallotto et al. 2025, section 3.1 and Tables 1-3).
@Suite("TRD review studies.csv")
struct TRDStudiesTests {
    static let path = "trd-review/studies.csv"
    static let includedRefs = [7, 8, 11, 12, 15] + Array(32...87)

    /// The review's categories of section 3.1 (`review_design`).
    static let reviewDesigns: Set = ["observational", "rct_double_blind_placebo", "open_label_trial", "retrospective_cohort",
                                     "case_report", "case_series", "pragmatic_rct", "pilot_phase_1_2", "qualitative",
                                     "not_categorised"]
    /// Designs as the studies report them (`design`; second-pass audit).
    static let designs: Set = ["rct_double_blind", "rct_open_label", "rct_crossover", "randomised_withdrawal",
                               "single_arm_trial", "cohort", "retrospective_cohort", "registry_cohort", "case_series",
                               "case_report", "secondary_analysis", "design_paper", "scale_validation", "qualitative"]
    static let classes: Set = ["glutamatergic", "antipsychotic_augmentation", "psychedelic"]
    static let agents: Set = ["ketamine", "esketamine", "ketamine_and_esketamine", "aripiprazole",
                              "atypical_antipsychotics", "psilocybin", "ayahuasca", "dmt"]
    static let routes: Set = ["intravenous", "intranasal", "oral", "sublingual", "subcutaneous", "multiple"]
    static let lists: Set = ["iv_ketamine", "oral_sublingual_ketamine", "sublingual_troches", "intranasal_esketamine",
                             "subcutaneous_esketamine", "augmentation", "ayahuasca", "psilocybin", "dmt"]
    static let tables: Set = ["table1", "table2", "table3", "none"]
    static let overlaps: Set = ["none", "confirmed"]
    static let possibleOverlaps: Set = ["", "likely", "possible"]

    let rows: [Row]
    init() throws { rows = try DatasetFiles.rows(Self.path) }

    @Test func oneRowPerIncludedReference() {
        #expect(rows.map { $0.int("ref") ?? -1 } == Self.includedRefs)
    }

    @Test func columnsFollowTheCodebook() throws {
        #expect(try DatasetFiles.columns(Self.path) == [
            "ref", "first_author", "year", "title", "journal", "doi", "primary_source", "registry_id", "pmid",
            "design", "design_detail", "design_source", "review_design", "treatment_class", "agent", "route",
            "review_treatment_lists", "review_table", "table_citation", "n", "n_review", "n_source",
            "sample_group", "overlap", "possible_overlap_group", "possible_overlap", "overlap_source", "source", "notes"])
    }

    @Test func codesAreFromTheClosedVocabularies() {
        for row in rows {
            #expect(Self.designs.contains(row["design"]), "\(row): design '\(row["design"])'")
            #expect(Self.reviewDesigns.contains(row["review_design"]), "\(row): review_design '\(row["review_design"])'")
            #expect(!row["design_detail"].isEmpty && !row["design_source"].isEmpty, "\(row): design without its evidence")
            #expect(Self.classes.contains(row["treatment_class"]), "\(row): class '\(row["treatment_class"])'")
            #expect(Self.agents.contains(row["agent"]), "\(row): agent '\(row["agent"])'")
            #expect(Self.routes.contains(row["route"]), "\(row): route '\(row["route"])'")
            #expect(Self.tables.contains(row["review_table"]), "\(row): table '\(row["review_table"])'")
            #expect(Self.overlaps.contains(row["overlap"]), "\(row): overlap '\(row["overlap"])'")
            #expect(Self.possibleOverlaps.contains(row["possible_overlap"]), "\(row): possible_overlap '\(row["possible_overlap"])'")
            for list in row["review_treatment_lists"].split(separator: ";") {
                #expect(Self.lists.contains(String(list)), "\(row): list '\(list)'")
            }
            #expect(!row["first_author"].isEmpty && !row["title"].isEmpty && !row["source"].isEmpty, "\(row)")
            #expect((1990...2025).contains(row.int("year") ?? 0), "\(row): year")
        }
    }

    /// Every study has a primary source: a DOI (the reference list's, or the publisher's where the list has none),
    /// with registry ids (NCT) and PMIDs where the extraction's sources show them.
    @Test func everyStudyHasAPrimarySource() {
        for row in rows {
            #expect(row["primary_source"].hasPrefix("doi:10."), "\(row): primary_source '\(row["primary_source"])'")
            if row.has("doi") { #expect(row["primary_source"] == "doi:" + row["doi"], "\(row)") }
            if row.has("registry_id") { #expect(row["registry_id"].wholeMatch(of: /NCT[0-9]{8}/) != nil, "\(row): registry_id") }
            if row.has("pmid") { #expect(row["pmid"].wholeMatch(of: /[0-9]{7,8}/) != nil, "\(row): pmid") }
        }
    }

    @Test func sampleSizesAreWholeNumbersWithTheirSource() {
        for row in rows {
            if row.has("n") {
                #expect((row.int("n") ?? 0) > 0, "\(row): n '\(row["n"])'")
                #expect(row.has("n_source"), "\(row): n without n_source")
            }
            if row.has("n_review") { #expect((row.int("n_review") ?? 0) > 0, "\(row): n_review") }
        }
    }

    /// Section 3.1 of the review: "observational studies (N = 20) ..., randomized double-blind placebo-controlled
    /// trials (N = 19), open label clinical trial (N = 5), retrospective cohort studies (N = 4), case reports
    /// (N = 3), case series (N = 3), pragmatic randomized clinical trial (N = 3), pilot or phase I/II studies
    /// (N = 2) and a qualitative interview study". Ref 87 is in none of them.
    @Test func designCountsAreTheReviewsLists() {
        let counts = Dictionary(grouping: rows, by: { $0["review_design"] }).mapValues(\.count)
        #expect(counts == ["observational": 20, "rct_double_blind_placebo": 19, "open_label_trial": 5,
                           "retrospective_cohort": 4, "case_report": 3, "case_series": 3, "pragmatic_rct": 3,
                           "pilot_phase_1_2": 2, "qualitative": 1, "not_categorised": 1])
        #expect(rows.first { $0["review_design"] == "not_categorised" }?["ref"] == "87")
    }

    /// Section 3.1's treatment lists: IV ketamine N = 30, oral/sublingual 2, troches 1, intranasal esketamine 9,
    /// subcutaneous esketamine 1 [60], augmentation 10, ayahuasca 3, psilocybin 3, DMT 1.
    @Test func treatmentListsHoldTheReviewsCounts() {
        var counts: [String: Int] = [:]
        for row in rows { for list in row["review_treatment_lists"].split(separator: ";") { counts[String(list), default: 0] += 1 } }
        #expect(counts == ["iv_ketamine": 30, "oral_sublingual_ketamine": 2, "sublingual_troches": 1,
                           "intranasal_esketamine": 9, "subcutaneous_esketamine": 1, "augmentation": 10,
                           "ayahuasca": 3, "psilocybin": 3, "dmt": 1])
        let unlisted = rows.filter { !$0.has("review_treatment_lists") }.map(\.["ref"])
        #expect(unlisted == ["8", "66"])
    }

    /// Tables 1-3 cite 43, 10 and 7 studies; ref 8 is in none.
    @Test func tablesHoldTheReviewsCitations() {
        let counts = Dictionary(grouping: rows, by: { $0["review_table"] }).mapValues(\.count)
        #expect(counts == ["table1": 43, "table2": 10, "table3": 7, "none": 1])
        for row in rows where row["review_table"] != "none" { #expect(row.has("table_citation"), "\(row)") }
        let classOfTable = ["table1": "glutamatergic", "table2": "antipsychotic_augmentation", "table3": "psychedelic"]
        for row in rows where row["review_table"] != "none" {
            #expect(classOfTable[row["review_table"]] == row["treatment_class"], "\(row): class v table")
        }
    }

    /// The N values section 3.1 prints: [72] 177,144; [73] 20,478; [71] 5619; [75], [76], [77] 1; [32] 30;
    /// [33] 36; [52] 99; [68] 676; [82] 742; [81] 396.
    @Test func reviewSampleSizesAreThoseItPrints() {
        let printed = [72: 177_144, 73: 20_478, 71: 5619, 75: 1, 77: 1, 76: 1, 32: 30, 33: 36, 52: 99, 68: 676, 82: 742, 81: 396]
        var found: [Int: Int] = [:]
        for row in rows where row.has("n_review") { found[row.int("ref")!] = row.int("n_review") }
        #expect(found == printed)
    }

    @Test func overlapGroupsAreConsistent() {
        let groups = Dictionary(grouping: rows, by: { $0["sample_group"] })
        for (group, members) in groups {
            #expect(!group.isEmpty)
            if members.count == 1 {
                #expect(members[0]["overlap"] == "none", "\(members[0]): singleton group \(group) must have overlap none")
            } else {
                for m in members { #expect(m["overlap"] != "none", "\(m): shares group \(group) but overlap is none") }
            }
        }
        // Possible overlaps point to another group and are never the study's own.
        for row in rows {
            #expect(row.has("possible_overlap") == row.has("possible_overlap_group"), "\(row): possible_overlap needs its group")
            if row.has("possible_overlap") {
                #expect(row["possible_overlap_group"] != row["sample_group"], "\(row)")
                #expect(row.has("overlap_source"), "\(row): possible overlap without evidence")
            }
            if row["overlap"] == "confirmed" { #expect(row.has("overlap_source"), "\(row): confirmed overlap without evidence") }
        }
        // Audit A8: ref 87 is a separate trial; ref 60 likely overlaps ref 70 (Singh 2016).
        let ref = Dictionary(uniqueKeysWithValues: rows.map { ($0["ref"], $0) })
        #expect(ref["87"]?["sample_group"] != ref["8"]?["sample_group"])
        #expect(ref["87"]?["possible_overlap"] == "")
        #expect(ref["60"]?["possible_overlap_group"] == ref["70"]?["sample_group"])
        #expect(ref["60"]?["possible_overlap"] == "likely")
        // The trials the extraction's notes name as one sample each.
        for refs in [["57", "64", "85"], ["81", "82"], ["39", "56", "61"], ["36", "38"], ["52", "65"], ["8", "54"], ["50", "51"]] {
            let names = Set(rows.filter { refs.contains($0["ref"]) }.map(\.["sample_group"]))
            #expect(names.count == 1, "refs \(refs) must share one sample_group; found \(names)")
        }
    }
}
