#!/usr/bin/env python3
"""Builds Datasets/trd-review/outcomes.csv from the shared extraction, one decision per extraction row.

    python3 scripts/trd/build_outcomes.py [EXTRACTION_CSV]     # then: python3 scripts/embed-datasets.py

Default input: ../shared/data/trd-extraction/outcomes_extracted.csv (the project's shared folder); it reads
Datasets/trd-review/studies.csv for each ref's sample_group and class, so build studies.csv first.
Every extraction row is either carried (ROWS below: its role, codes and any correction) or listed in NOT_CARRIED
with the reason. Rows are cited by spreadsheet row number (header = row 1). Numbers are copied as printed in the
extraction unless a correction below says otherwise; the integrity tests (Tests/MetaDatasetsTests) then check
every number against its verbatim quote.
"""
import csv
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXTRACTION = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "..", "shared", "data", "trd-extraction", "outcomes_extracted.csv")
if not os.path.exists(EXTRACTION):
    EXTRACTION = "/work/shared/data/trd-extraction/outcomes_extracted.csv"

COLUMNS = ["study_ref", "sample_group", "source_publication", "source_doi", "extraction_row", "arm", "arm_role",
           "comparison", "agent", "treatment_class", "dose", "route", "outcome", "scale", "measure", "definition",
           "timepoint", "timepoint_days", "events", "total", "percent", "mean", "sd", "plus_minus", "n",
           "n_comparator", "effect_type", "effect_description", "effect_value", "ci_lb", "ci_ub", "p_value",
           "count_derived", "derivation", "source_kind", "confidence", "source_url", "source_quote", "n_source_url",
           "n_quote", "notes"]

METAPSY = "https://github.com/metapsy-project/data-depression-psiloctr/blob/71a102a1/data.csv"
AJP70 = "https://psychiatryonline.org/doi/abs/10.1176/appi.ajp.2016.16010037"
CTGOV70 = "https://classic.clinicaltrials.gov/ct2/show/results/NCT01627782"
CTGOV70_Q = ("Arm/Group Title Placebo: 2 Times Per Week Ketamine: 2 Times Per Week Placebo: 3 Times Per Week "
             "Ketamine: 3 Times Per Week ... Period Title: Overall Study Started 17 18 16 17 Treated 16 18 16 17 Completed 1 12 1 11")
CTGOV8 = "http://clinicaltrials.gov/ct2/show/results/NCT00768430?sect=X01&view=results"
CTGOV8_Q = "Period 1:   24 Hour Endpoint | Ketamine Midazolam | STARTED 48 25 | COMPLETED 47 25"
OPT_T1 = "https://pmc.ncbi.nlm.nih.gov/articles/PMC10568698/table/T1"
OPT_T1_Q = ("Aripiprazole-Augmentation Group (N = 211) Bupropion-Augmentation Group (N = 206) Switch-to-Bupropion Group "
            "(N = 202) Lithium-Augmentation Group (N = 127) Switch-to-Nortriptyline Group (N = 121)")
ESC = "https://repository.uantwerpen.be/link/irua/200542"
FAVA = "https://pmc.ncbi.nlm.nih.gov/articles/PMC6447473"
PALHANO = ("Palhano-Fontes 2019", "10.1017/S0033291718001356")
LENZE2015 = ("Lenze 2015", "10.1016/S0140-6736(15)00308-6")

# Row -> fields. Common keys: role, agent, outcome, scale, measure, comparison, days; any output column overrides.
ROWS = {
    7: dict(role="active", agent="ketamine", outcome="response", scale="madrs", measure="events", comparison="ketamine_v_midazolam", days=1,
            total=47, derivation="events = round(64 x 47 / 100) = round(30.08) = 30; 30/47 = 63.8% -> 64%",
            n_source_url=CTGOV8, n_quote=CTGOV8_Q,
            note="Denominator 47 = ketamine 24-h completers (CT.gov); the paper's analysis denominator is not stated. The quote is a machine-paraphrased mirror of the abstract ('response prices' = response rates)."),
    8: dict(role="active", agent="ketamine", outcome="madrs", scale="madrs", measure="mean_change", comparison="ketamine_v_midazolam", days=1, p_value="<0.0001",
            note="Within-group change from a preliminary APA 2013 conference abstract (72 patients); p is within-group; no SD."),
    9: dict(role="contrast", agent="ketamine", outcome="response", scale="madrs", measure="between_group", comparison="ketamine_v_midazolam", days=1,
            effect_type="odds_ratio", effect_description="odds ratio of response, ketamine v midazolam (> 1 favours ketamine)",
            n=47, n_comparator=25, n_source_url=CTGOV8, n_quote=CTGOV8_Q),
    10: dict(role="contrast", agent="ketamine", outcome="madrs", scale="madrs", measure="between_group", comparison="ketamine_v_midazolam", days=1,
             effect_type="mean_difference", effect_description="MADRS at 24 h adjusted for baseline and site, midazolam minus ketamine (points; > 0 favours ketamine)",
             n=47, n_comparator=25, n_source_url=CTGOV8, n_quote=CTGOV8_Q),
    12: dict(role="control", agent="midazolam", outcome="response", scale="madrs", measure="events", comparison="ketamine_v_midazolam", days=1,
             derivation="events = round(28 x 25 / 100) = round(7.00) = 7; 7/25 = 28.0%", n_source_url=CTGOV8, n_quote=CTGOV8_Q,
             note="Denominator 25 = midazolam arm (25 started = 25 completed, CT.gov)."),
    13: dict(role="control", agent="midazolam", outcome="madrs", scale="madrs", measure="mean_change", comparison="ketamine_v_midazolam", days=1, p_value="<0.0001",
             note="Within-group change from a preliminary conference abstract; p is within-group; no SD."),
    19: dict(role="single_arm", agent="esketamine", outcome="response", scale="", measure="percent", timepoint="3 months (T2)",
             note="116 enrolled; the denominator at T2 is not stated (64.2% of 116 is not a whole number). Definition not given."),
    20: dict(role="single_arm", agent="esketamine", outcome="remission", scale="", measure="percent", timepoint="3 months (T2)",
             note="116 enrolled; the denominator at T2 is not stated. Definition not given."),
    22: dict(role="single_arm", agent="esketamine", outcome="phq9", scale="phq9", measure="baseline_mean", timepoint="treatment 1 (start of induction)", plus_minus="0.8",
             note="SSRN preprint (35 analysed); the published article may differ. The +/- type is not stated (0.8 for n = 35 looks like an SEM)."),
    23: dict(role="single_arm", agent="esketamine", outcome="phq9", scale="phq9", measure="mean_change", timepoint="treatment 1 to treatment 8 (week 4)", days=28, plus_minus="0.9",
             effect_type="", effect_description="",
             note="SSRN preprint (35 analysed). Reported as a reduction of 4.6 (sign applied); 19.6 - 14.9 = 4.7. The +/- type is not stated."),
    24: dict(role="single_arm", agent="esketamine", outcome="phq9", scale="phq9", measure="endpoint_mean", timepoint="treatment 8 (week 4)", days=28, plus_minus="0.9",
             note="SSRN preprint (35 analysed). The +/- type is not stated."),
    25: dict(role="single_arm", agent="ketamine", outcome="response", scale="madrs", measure="events"),
    27: dict(role="single_arm", agent="psilocybin", outcome="qids_sr16", scale="qids_sr16", measure="within_group", effect_type="cohens_d",
             effect_description="within-group Cohen's d v baseline (> 0 = improvement)", mean="",
             note="20 enrolled; the number analysed at each timepoint is not stated."),
    28: dict(role="single_arm", agent="psilocybin", outcome="remission", scale="qids_sr16", measure="events", timepoint="3 months", source_publication="Carhart-Harris 2016",
             note="2016 report (Lancet Psychiatry) on the first 12 patients of the ref 36 cohort, via a news report; whether all 12 were assessed at 3 months is not stated. Subset of the 2018 cohort: never pool with its rows."),
    29: dict(role="single_arm", agent="psilocybin", outcome="qids_sr16", scale="qids_sr16", measure="within_group", effect_type="cohens_d",
             effect_description="within-group Cohen's d v baseline (> 0 = improvement)", mean="",
             note="20 enrolled; the number analysed at each timepoint is not stated."),
    30: dict(role="single_arm", agent="psilocybin", outcome="qids_sr16", scale="qids_sr16", measure="within_group", effect_type="cohens_d", days=7,
             effect_description="within-group Cohen's d v baseline (> 0 = improvement)", mean="",
             note="20 enrolled; the number analysed at each timepoint is not stated."),
    31: dict(role="single_arm", agent="psilocybin", outcome="qids_sr16", scale="qids_sr16", measure="within_group", effect_type="cohens_d", days=35,
             effect_description="within-group Cohen's d v baseline (> 0 = improvement)", mean="",
             note="20 enrolled; the number analysed at each timepoint is not stated."),
    32: dict(role="single_arm", agent="psilocybin", outcome="response", scale="qids_sr16", measure="events", days=35,
             note="20 enrolled; the week-5 denominator is not stated."),
    33: dict(role="single_arm", agent="psilocybin", outcome="remission", scale="qids_sr16", measure="events", days=35,
             note="20 enrolled; the week-5 denominator is not stated."),
    38: dict(role="active", agent="ayahuasca", outcome="response", scale="madrs", measure="percent", comparison="ayahuasca_v_placebo", days=7,
             source_publication=PALHANO[0], source_doi=PALHANO[1],
             note="Primary report of the RCT that refs 39, 56 and 61 analyse (not in the reference list). 29 randomised; arm sizes not stated (9/14 and 4/15 would fit, not entered). p is between groups."),
    39: dict(role="active", agent="ayahuasca", outcome="remission", scale="madrs", measure="percent", comparison="ayahuasca_v_placebo", days=7,
             source_publication=PALHANO[0], source_doi=PALHANO[1],
             note="Arm sizes not stated (5/14 and 1/15 would fit, not entered). p is between groups."),
    41: dict(role="control", agent="placebo", outcome="response", scale="madrs", measure="percent", comparison="ayahuasca_v_placebo", days=7,
             source_publication=PALHANO[0], source_doi=PALHANO[1], note="Arm size not stated. p is between groups."),
    42: dict(role="control", agent="placebo", outcome="remission", scale="madrs", measure="percent", comparison="ayahuasca_v_placebo", days=7,
             source_publication=PALHANO[0], source_doi=PALHANO[1], note="Arm size not stated. p is between groups."),
    43: dict(role="single_arm", agent="ketamine", outcome="bdi", scale="bdi", measure="mean_change", route="multiple", p_value="",
             note="p < 0.0001 (Figure 3 caption per the extraction) is not in the quote and is left out. Decrease of 11.24 points (sign applied), from the paper's Figure 3 caption; 235 patients in the dataset, the number with paired BDI scores is not stated; no SD. Mixed diagnoses. Route not confirmed by the source."),
    46: dict(role="subgroup_contrast", agent="ketamine", outcome="partial_response", scale="qids_sr16", measure="between_group", effect_type="p_value_only",
             effect_description="test of equal partial-response rates across four BMI strata (one cohort; not a treatment comparison)", note="230 patients; rates not reported."),
    47: dict(role="subgroup_contrast", agent="ketamine", outcome="response", scale="qids_sr16", measure="between_group", effect_type="p_value_only",
             effect_description="test of equal response rates across four BMI strata (one cohort)", note="230 patients; rates not reported."),
    48: dict(role="subgroup_contrast", agent="ketamine", outcome="remission", scale="qids_sr16", measure="between_group", effect_type="p_value_only",
             effect_description="test of equal remission rates across four BMI strata (one cohort)", note="230 patients; rates not reported."),
    49: dict(role="subgroup_contrast", agent="ketamine", outcome="qids_sr16", scale="qids_sr16", measure="between_group", effect_type="p_value_only",
             effect_description="test of equal QIDS-SR16 change across four BMI strata (one cohort)", note="Strata n 72, 76, 47, 35 (abstract)."),
    50: dict(role="subgroup", agent="ketamine", outcome="response", scale="qids_sr16", measure="percent", total="",
             note="Postmenopausal subgroup (n = 54 in the abstract) of the CRTCE cohort. The % denominators are not confirmed (30% is k/52 for no whole k), so no count and no total."),
    51: dict(role="subgroup", agent="ketamine", outcome="remission", scale="qids_sr16", measure="percent", total="",
             note="Postmenopausal subgroup (n = 54 in the abstract); % denominator not confirmed, so no total."),
    52: dict(role="subgroup_contrast", agent="ketamine", outcome="qids_sr16", scale="qids_sr16", measure="between_group", effect_type="f_statistic",
             effect_description="F(4, 280) for menopausal status on QIDS-SR16 change (partial eta squared 0.025; not a treatment comparison)",
             note="Premenopausal n = 52, postmenopausal n = 54 (abstract)."),
    53: dict(role="subgroup", agent="ketamine", outcome="response", scale="qids_sr16", measure="percent", total="",
             note="Premenopausal subgroup (n = 52 in the abstract); 30% is k/52 for no whole k, so the denominator differs: no count and no total."),
    54: dict(role="subgroup", agent="ketamine", outcome="remission", scale="qids_sr16", measure="percent", total="",
             note="Premenopausal subgroup (n = 52 in the abstract); % denominator not confirmed, so no total."),
    55: dict(role="subgroup_contrast", agent="ketamine", outcome="qids_sr16", scale="qids_sr16", measure="between_group", effect_type="regression_beta",
             effect_description="QIDS-SR16 after 4 infusions, early improvers (infusion 1) v non-improvers, adjusted regression beta with 95% BCa CI (points)"),
    56: dict(role="subgroup_contrast", agent="ketamine", outcome="qids_sr16", scale="qids_sr16", measure="between_group", effect_type="regression_beta",
             effect_description="QIDS-SR16 after 4 infusions, early improvers (infusion 2) v non-improvers, adjusted regression beta with 95% BCa CI (points)"),
    57: dict(role="subgroup", agent="ketamine", outcome="response_or_partial_response", scale="qids_sr16", measure="percent",
             note="Non-improvers after infusions 1 or 2 (subgroup size not stated) of a cohort of 134."),
    58: dict(role="subgroup", agent="ketamine", outcome="qids_sr16", scale="qids_sr16", measure="endpoint_mean", note="Subgroup size not stated; possibly adjusted means."),
    59: dict(role="subgroup", agent="ketamine", outcome="qids_sr16", scale="qids_sr16", measure="endpoint_mean", note="Subgroup size not stated; possibly adjusted means."),
    60: dict(role="subgroup", agent="ketamine", outcome="qids_sr16", scale="qids_sr16", measure="endpoint_mean", note="Subgroup size not stated; possibly adjusted means."),
    61: dict(role="subgroup", agent="ketamine", outcome="qids_sr16", scale="qids_sr16", measure="endpoint_mean", note="Subgroup size not stated; possibly adjusted means."),
    64: dict(role="single_arm", agent="atypical_antipsychotics", outcome="relapse", scale="", measure="events", definition="relapse within 12 months after discontinuing the antipsychotic (definition not stated)",
             note="LOW CONFIDENCE: machine-paraphrased mirror of the abstract. Relapse after discontinuation in remitters, not acute augmentation efficacy."),
    66: dict(role="active", agent="ketamine", outcome="remission", scale="hamd17", measure="events", comparison="ect_ketamine_v_ect_midazolam", route="intravenous",
             note="15 recruited, 12 analysed; arm sizes not stated, so no total (3/7 would be 42.9%, not entered)."),
    67: dict(role="control", agent="midazolam", outcome="remission", scale="hamd17", measure="events", comparison="ect_ketamine_v_ect_midazolam", route="intravenous",
             note="Arm size not stated."),
    68: dict(role="contrast", agent="ketamine", outcome="remission", scale="hamd17", measure="between_group", comparison="ect_ketamine_v_ect_midazolam",
             effect_type="p_value_only", effect_description="chi-square test of early remission, ECT + ketamine v ECT + midazolam", note="12 analysed."),
    69: dict(role="pooled_arms", agent="ketamine", outcome="hamd17", scale="hamd17", measure="baseline_mean", n=32, sd="", plus_minus="4.11",
             route="intravenous", note="Baseline of the randomised D-cycloserine v placebo phase in ketamine responders; the +/- is not labelled SD."),
    70: dict(role="contrast", agent="d_cycloserine", outcome="hamd_suicide_item", scale="hamd17", measure="between_group", comparison="dcs_v_placebo",
             route="oral", effect_type="p_value_only", effect_description="mixed model, HAMD item 3 (suicide) lower with D-cycloserine than placebo after ketamine response",
             note="Not a ketamine v control comparison."),
    80: dict(role="contrast", agent="ketamine", outcome="hamd6", scale="hamd6", measure="between_group", comparison="ketamine_0.1_v_midazolam", days=1,
             effect_type="cohens_d", effect_description="Cohen's d, ketamine 0.1 mg/kg v midazolam, HAM-D-6 at day 1 (< 0 favours ketamine), post hoc pairwise",
             p_value="0.02", n=18, n_comparator=19, n_source_url=FAVA,
             n_quote="a single intravenous dose of ketamine 0.1 mg/kg (n = 18) ... a single dose of midazolam 0.045 mg/kg (active placebo) (n = 19)",
             note="p = 0.02 unadjusted, adjusted p = 0.14. Not the primary (day 3) endpoint."),
    94: dict(role="single_arm", agent="ketamine", outcome="response", scale="madrs", measure="events", timepoint="day 8 (end of open-label enrichment)", days=8,
             note="168 = responders randomised to the double-blind phase; whether any day-8 responder was not randomised is not stated (preprint: 168 = 72.7%). Enrichment phase of a randomised withdrawal trial."),
    95: dict(role="control", agent="placebo", outcome="relapse", scale="madrs", measure="percent", comparison="r107_v_placebo_withdrawal", route="oral",
             note="Arm size not stated (168 randomised over 5 arms)."),
    96: dict(role="contrast", agent="ketamine", outcome="madrs", scale="madrs", measure="between_group", comparison="r107_v_placebo_withdrawal", days=91,
             effect_type="mean_difference", effect_description="additional MADRS reduction v placebo, R-107 120 mg (points; > 0 favours R-107)", p_value="",
             note="Sponsor press release rewritten by a news site; reported as not statistically significant; no CI; arm n not stated."),
    97: dict(role="active", agent="ketamine", outcome="relapse", scale="madrs", measure="percent", comparison="r107_v_placebo_withdrawal", route="oral", dose="180 mg twice weekly",
             note="Arm size not stated."),
    99: dict(role="contrast", agent="ketamine", outcome="madrs", scale="madrs", measure="between_group", comparison="r107_v_placebo_withdrawal", days=91,
             effect_type="mean_difference", effect_description="least-squares mean difference in MADRS, R-107 180 mg minus placebo (points; < 0 favours R-107)",
             ci_lb="", ci_ub="",
             note="The 95% CI is printed as 1.0 to 11.16, which does not contain -6.1 (it appears to be for placebo minus active); left out. Arm sizes not stated."),
    100: dict(role="contrast", agent="ketamine", outcome="madrs", scale="madrs", measure="between_group", comparison="r107_v_placebo_withdrawal", days=91,
              effect_type="mean_difference", effect_description="additional MADRS reduction v placebo, R-107 30 mg (points; > 0 favours R-107)", p_value="",
              note="Sponsor press release rewritten by a news site; reported as not statistically significant; no CI; arm n not stated."),
    101: dict(role="contrast", agent="ketamine", outcome="madrs", scale="madrs", measure="between_group", comparison="r107_v_placebo_withdrawal", days=91,
              effect_type="mean_difference", effect_description="additional MADRS reduction v placebo, R-107 60 mg (points; > 0 favours R-107)", p_value="",
              note="Sponsor press release rewritten by a news site; reported as not statistically significant; no CI; arm n not stated."),
    106: dict(role="contrast", agent="ketamine", outcome="fatigue", scale="nih_bfi", measure="between_group", comparison="ketamine_v_placebo_crossover", days=2,
              effect_type="cohens_d", effect_description="Cohen's d, ketamine v placebo on fatigue at day 2 (the largest difference, chosen post hoc)",
              note="Fatigue, not depression. Crossover, 36 participants with bipolar depression."),
    110: dict(role="single_arm", agent="esketamine", outcome="response", scale="madrs", measure="percent",
              note="30 enrolled; the denominator is not stated (all three rates equal k/23, not entered). Definitions not given."),
    111: dict(role="single_arm", agent="esketamine", outcome="remission", scale="madrs", measure="percent",
              note="30 enrolled; the denominator is not stated. Definitions not given."),
    112: dict(role="single_arm", agent="esketamine", outcome="partial_response", scale="madrs", measure="percent",
              note="30 enrolled; the denominator is not stated. Definitions not given."),
    113: dict(role="contrast", agent="psilocybin", outcome="madrs", scale="madrs", measure="between_group", comparison="immediate_v_delayed", days=14,
              effect_type="hedges_g", effect_description="Hedges' g, MADRS change, immediate psilocybin v waitlist (> 0 favours psilocybin)", p_value="<0.01",
              n=16, n_comparator=14, n_source_url="https://unlimitedsciences.org/?p=7099",
              n_quote="Participants were randomized to immediate treatment (n = 16) or delayed treatment (n = 14).",
              note="29 of 30 retained at week 2."),
    114: dict(role="active", agent="psilocybin", outcome="madrs", scale="madrs", measure="mean_change", comparison="immediate_v_delayed", days=1, n=16, total=""),
    115: dict(role="active", agent="psilocybin", outcome="madrs", scale="madrs", measure="mean_change", comparison="immediate_v_delayed", days=14, n=16, total=""),
    116: dict(role="active", agent="psilocybin", outcome="madrs", scale="madrs", measure="endpoint_mean", comparison="immediate_v_delayed", days=14, n=16, total=""),
    117: dict(role="active", agent="psilocybin", outcome="madrs", scale="madrs", measure="mean_change", comparison="immediate_v_delayed", days=7, n=16, total=""),
    118: dict(role="control", agent="waitlist", outcome="madrs", scale="madrs", measure="mean_change", comparison="immediate_v_delayed", days=1, n=14, total="", sd="6.20740960465797"),
    119: dict(role="control", agent="waitlist", outcome="madrs", scale="madrs", measure="mean_change", comparison="immediate_v_delayed", days=14, n=14, total="", sd="3.36749164809655"),
    120: dict(role="control", agent="waitlist", outcome="madrs", scale="madrs", measure="endpoint_mean", comparison="immediate_v_delayed", days=14, n=14, total=""),
    121: dict(role="control", agent="waitlist", outcome="madrs", scale="madrs", measure="mean_change", comparison="immediate_v_delayed", days=7, n=14, total="", sd="7.48331477354788"),
    123: dict(role="active", agent="esketamine", outcome="remission", scale="madrs", measure="events", comparison="esketamine_v_quetiapine", days=56),
    124: dict(role="active", agent="esketamine", outcome="remission_without_relapse", scale="madrs", measure="events", comparison="esketamine_v_quetiapine", days=224,
              timepoint="week 8 remission, no relapse through week 32",
              derivation="events = round(21.7 x 336 / 100) = round(72.91) = 73; 73/336 = 21.73% -> 21.7%",
              n_source_url=ESC, n_quote="remission at week 8 (91 of 336 patients [27.1%] vs. 60 of 340 patients [17.6%]; P = 0.003)",
              note="Key secondary endpoint; denominator = all randomised (336). p not entered (NEJM value unverified)."),
    125: dict(role="subgroup", agent="esketamine", outcome="remission", scale="madrs", measure="percent", comparison="esketamine_v_quetiapine", days=56, n=316,
              source_publication="McIntyre 2025 (CNS Spectr, secondary analysis)", source_doi="",
              note="US-label subgroup of the same ESCAPE-TRD patients: never pool with the main rows. 28.3% is k/316 for no whole k (model-based or another denominator)."),
    126: dict(role="subgroup", agent="esketamine", outcome="response", scale="phq9", measure="percent", comparison="esketamine_v_quetiapine", days=56,
              source_publication="post hoc analysis (Curr Med Res Opin 2025)", source_doi="",
              note="US-label subgroup of the same ESCAPE-TRD patients, patient-rated PHQ-9: never pool with the main rows. Subgroup n not stated."),
    127: dict(role="contrast", agent="esketamine", route="intranasal", outcome="remission", scale="madrs", measure="between_group", comparison="esketamine_v_quetiapine", days=56,
              effect_type="p_value_only", effect_description="remission at week 8, esketamine v quetiapine XR (adjusted for age and number of treatment failures; estimate not in the quoted source)",
              n=336, n_comparator=340),
    128: dict(role="comparator", agent="quetiapine_xr", outcome="remission", scale="madrs", measure="events", comparison="esketamine_v_quetiapine", days=56),
    129: dict(role="comparator", agent="quetiapine_xr", outcome="remission_without_relapse", scale="madrs", measure="events", comparison="esketamine_v_quetiapine", days=224,
              timepoint="week 8 remission, no relapse through week 32",
              derivation="events = round(14.1 x 340 / 100) = round(47.94) = 48; 48/340 = 14.12% -> 14.1%",
              n_source_url=ESC, n_quote="remission at week 8 (91 of 336 patients [27.1%] vs. 60 of 340 patients [17.6%]; P = 0.003)",
              note="Key secondary endpoint; denominator = all randomised (340)."),
    130: dict(role="subgroup", agent="quetiapine_xr", outcome="remission", scale="madrs", measure="percent", comparison="esketamine_v_quetiapine", days=56, n=320,
              source_publication="McIntyre 2025 (CNS Spectr, secondary analysis)", source_doi="",
              note="US-label subgroup of the same patients: never pool with the main rows. 18.6% is k/320 for no whole k."),
    131: dict(role="subgroup", agent="quetiapine_xr", outcome="response", scale="phq9", measure="percent", comparison="esketamine_v_quetiapine", days=56,
              source_publication="post hoc analysis (Curr Med Res Opin 2025)", source_doi="",
              note="US-label subgroup, PHQ-9: never pool with the main rows. Same source: RD 16.6% (9.0% to 24.1%)."),
    132: dict(role="single_arm", agent="ketamine", outcome="madrs", scale="madrs", measure="endpoint_mean", sd="", plus_minus="8",
              note="The +/- is not labelled SD. 23 enrolled, 21 completed the infusion; n per timepoint not stated."),
    133: dict(role="single_arm", agent="ketamine", outcome="madrs", scale="madrs", measure="endpoint_mean", sd="", plus_minus="8",
              note="The +/- is not labelled SD. n per timepoint not stated."),
    134: dict(role="single_arm", agent="ketamine", outcome="madrs", scale="madrs", measure="endpoint_mean", sd="", plus_minus="8",
              note="The +/- is not labelled SD. n per timepoint not stated."),
    135: dict(role="single_arm", agent="ketamine", outcome="madrs", scale="madrs", measure="baseline_mean", sd="", plus_minus="4", days=0,
              note="The +/- is not labelled SD. 23 enrolled."),
    137: dict(role="active", agent="ketamine", outcome="madrs", scale="madrs", measure="mean_change", comparison="thrice_weekly", days=15, n=17, total="",
              source_url=AJP70, n_source_url=CTGOV70, n_quote=CTGOV70_Q,
              note="n = 17 treated (CT.gov ITT); the number contributing at day 15 is not stated."),
    139: dict(role="active", agent="ketamine", outcome="madrs", scale="madrs", measure="mean_change", comparison="twice_weekly", days=15, n=18, total="",
              source_url=AJP70, n_source_url=CTGOV70, n_quote=CTGOV70_Q,
              note="n = 18 treated (CT.gov ITT); the number contributing at day 15 is not stated."),
    140: dict(role="single_arm", agent="ketamine", outcome="madrs", scale="madrs", measure="mean_change",
              note="Optional open-label phase after the double-blind phase; baseline of this change and n not stated."),
    141: dict(role="single_arm", agent="ketamine", outcome="madrs", scale="madrs", measure="mean_change",
              note="Optional open-label phase after the double-blind phase; baseline of this change and n not stated."),
    143: dict(role="control", agent="placebo", outcome="madrs", scale="madrs", measure="mean_change", comparison="thrice_weekly", days=15, n=16, total="",
              source_url=AJP70, n_source_url=CTGOV70, n_quote=CTGOV70_Q,
              note="n = 16 treated (CT.gov ITT); only 1 placebo patient completed the double-blind phase, so day-15 values are likely last-observation based."),
    145: dict(role="control", agent="placebo", outcome="madrs", scale="madrs", measure="mean_change", comparison="twice_weekly", days=15, n=16, total="",
              source_url=AJP70, n_source_url=CTGOV70, n_quote=CTGOV70_Q,
              note="n = 16 treated (17 randomised, CT.gov ITT); only 1 placebo patient completed the double-blind phase, so day-15 values are likely last-observation based."),
    146: dict(role="contrast", agent="bupropion", outcome="hospitalisation", scale="", measure="between_group", comparison="bupropion_v_aripiprazole",
              effect_type="hazard_ratio", effect_description="hazard ratio of depression-related hospitalisation, bupropion augmentation v aripiprazole augmentation (reference; < 1 favours bupropion)",
              n=1568, n_comparator=4051, n_source_url="https://m.booksci.cn/literature/143002781.htm",
              n_quote="A total of 5,619 patients (bupropion: n = 1,568; aripiprazole: n = 4,051)",
              note="Observational (nationwide cohort). Movement disorder HR 0.56 (0.36-0.85) in the same abstract, not entered as a row."),
    153: dict(role="single_arm", agent="esketamine", outcome="phq9", scale="phq9", measure="mean_change", plus_minus="1.2", route="intranasal",
              note="Reduction of 2.4 (sign applied) v pre-treatment baseline; p = 0.18. The +/- type is not stated. Same 15 patients as the IV phase (sequential, not randomised)."),
    154: dict(role="single_arm", agent="ketamine", outcome="phq9", scale="phq9", measure="mean_change", plus_minus="1", route="intravenous",
              note="Reduction of 5.6 (sign applied) v pre-treatment baseline after switching to IV ketamine. The +/- type is not stated. Same patients as the intranasal phase."),
    159: dict(role="active", agent="aripiprazole", outcome="wellbeing", scale="nih_toolbox_wellbeing", measure="mean_change", comparison="step1",
              n=211, n_source_url=OPT_T1, n_quote=OPT_T1_Q,
              note="OPTIMUM primary outcome: psychological well-being (NIH Toolbox; higher = better), not a depression scale. No SD. About 10 weeks."),
    160: dict(role="active", agent="aripiprazole", outcome="remission", scale="madrs", measure="events", comparison="step1",
              derivation="events = round(28.9 x 211 / 100) = round(60.98) = 61; 61/211 = 28.91% -> 28.9%",
              n_source_url=OPT_T1, n_quote=OPT_T1_Q,
              note="Percent from a news summary of the NEJM abstract; denominator = randomised arm size (NEJM Table 1), assumed to be the % base. Do not mix with VAST-D's identical 28.9%. About 10 weeks."),
    161: dict(role="contrast", agent="aripiprazole", outcome="wellbeing", scale="nih_toolbox_wellbeing", measure="between_group", comparison="step1",
              effect_type="mean_difference", effect_description="difference in well-being change, aripiprazole augmentation minus switch to bupropion (points; > 0 favours aripiprazole)",
              n=211, n_comparator=202, n_source_url=OPT_T1, n_quote=OPT_T1_Q,
              note="Prespecified significance threshold P < 0.017 (three pairwise comparisons)."),
    163: dict(role="comparator", agent="bupropion", outcome="wellbeing", scale="nih_toolbox_wellbeing", measure="mean_change", comparison="step1",
              n=206, n_source_url=OPT_T1, n_quote=OPT_T1_Q, note="Bupropion augmentation. Not a depression scale. No SD."),
    164: dict(role="comparator", agent="bupropion", outcome="remission", scale="madrs", measure="events", comparison="step1",
              derivation="events = round(28.2 x 206 / 100) = round(58.09) = 58; 58/206 = 28.16% -> 28.2%",
              n_source_url=OPT_T1, n_quote=OPT_T1_Q, note="Bupropion augmentation. Percent from a news summary; denominator = randomised arm size."),
    166: dict(role="comparator", agent="bupropion", outcome="remission", scale="madrs", measure="events", comparison="step1",
              derivation="events = round(19.3 x 202 / 100) = round(38.99) = 39; 39/202 = 19.31% -> 19.3%",
              n_source_url=OPT_T1, n_quote=OPT_T1_Q, note="Switch to bupropion. Percent from a news summary; denominator = randomised arm size."),
    167: dict(role="comparator", agent="bupropion", outcome="wellbeing", scale="nih_toolbox_wellbeing", measure="mean_change", comparison="step1",
              n=202, n_source_url=OPT_T1, n_quote=OPT_T1_Q, note="Switch to bupropion. Not a depression scale. No SD."),
    169: dict(role="comparator", agent="lithium", outcome="remission", scale="madrs", measure="events", comparison="step2",
              derivation="events = round(18.9 x 127 / 100) = round(24.00) = 24; 24/127 = 18.90% -> 18.9%",
              n_source_url=OPT_T1, n_quote=OPT_T1_Q, note="Step 2 (no antipsychotic arm): lithium augmentation. Percent from a secondary summary; denominator = randomised arm size."),
    171: dict(role="comparator", agent="nortriptyline", outcome="remission", scale="madrs", measure="events", comparison="step2",
              derivation="events = round(21.5 x 121 / 100) = round(26.02) = 26; 26/121 = 21.49% -> 21.5%",
              n_source_url=OPT_T1, n_quote=OPT_T1_Q, note="Step 2 (no antipsychotic arm): switch to nortriptyline. Percent from a secondary summary; denominator = randomised arm size."),
    173: dict(role="active", agent="aripiprazole", outcome="response", scale="madrs", measure="percent", comparison="three_arm", days=56,
              note="Arm sizes not stated (278 randomised 1:1:1; 260 analysed), so no count. Response definition not stated."),
    174: dict(role="comparator", agent="rtms", outcome="madrs", scale="madrs", measure="mean_change", comparison="three_arm", days=56, route="transcranial",
              note="No SD or arm n. The aripiprazole arm's change is not in the source."),
    175: dict(role="comparator", agent="rtms", outcome="remission", scale="madrs", measure="percent", comparison="three_arm", days=56, route="transcranial",
              note="Remission % of the aripiprazole and switch arms not available. Arm sizes not stated."),
    176: dict(role="comparator", agent="rtms", outcome="response", scale="madrs", measure="percent", comparison="three_arm", days=56, route="transcranial",
              note="Arm sizes not stated."),
    177: dict(role="contrast", agent="rtms", outcome="madrs", scale="madrs", measure="between_group", comparison="three_arm", days=56, route="",
              effect_type="p_value_only", effect_description="MADRS change, rTMS augmentation v switch (value not reported)",
              note="Same source reports NNT 7 (response) and 11 (remission) for rTMS."),
    178: dict(role="comparator", agent="venlafaxine_or_duloxetine", outcome="madrs", scale="madrs", measure="mean_change", comparison="three_arm", days=56,
              note="Switch arm. No SD or arm n."),
    179: dict(role="comparator", agent="venlafaxine_or_duloxetine", outcome="response", scale="madrs", measure="percent", comparison="three_arm", days=56,
              note="Switch arm. Arm sizes not stated."),
    182: dict(role="active", agent="aripiprazole", outcome="remission", scale="madrs", measure="events", comparison="aripiprazole_v_placebo", days=84,
              source_publication=LENZE2015[0], source_doi=LENZE2015[1],
              note="IRL-GRey trial report (Lenze 2015, Lancet), which ref 85 reanalyses; not itself in the reference list."),
    183: dict(role="contrast", agent="aripiprazole", outcome="remission", scale="madrs", measure="between_group", comparison="aripiprazole_v_placebo", days=84,
              effect_type="odds_ratio", effect_description="odds ratio of remission, aripiprazole v placebo augmentation (> 1 favours aripiprazole)",
              n=91, n_comparator=90, source_publication=LENZE2015[0], source_doi=LENZE2015[1],
              note="NNT 6.6 (3.5 to 81.8) in the same abstract."),
    184: dict(role="control", agent="placebo", outcome="remission", scale="madrs", measure="events", comparison="aripiprazole_v_placebo", days=84,
              source_publication=LENZE2015[0], source_doi=LENZE2015[1], note="IRL-GRey trial report (Lenze 2015)."),
    187: dict(role="contrast", agent="ketamine", outcome="suicidal_ideation", scale="bsi", measure="between_group", comparison="ketamine_v_midazolam", days=2,
              effect_type="p_value_only", effect_description="Beck Scale for Suicidal Ideation, ketamine v midazolam", note="24 randomised; suicidal ideation, not depression."),
    188: dict(role="contrast", agent="ketamine", outcome="suicidal_ideation", scale="bsi", measure="between_group", comparison="ketamine_v_midazolam", days=1,
              effect_type="p_value_only", effect_description="Beck Scale for Suicidal Ideation (primary), ketamine v midazolam", note="24 randomised; suicidal ideation, not depression."),
    189: dict(role="contrast", agent="ketamine", outcome="madrs_suicide_item", scale="madrs", measure="between_group", comparison="ketamine_v_midazolam", days=1,
              effect_type="p_value_only", effect_description="MADRS suicidal-ideation item lower with ketamine than midazolam", note="24 randomised; suicidal ideation, not depression."),
}

# Split rows: one extraction row holding several estimates becomes several output rows.
SPLITS = {
    40: [dict(timepoint="day 1", days=1, effect_value="0.84", p_value="0.04"),
         dict(timepoint="day 2", days=2, effect_value="0.84", p_value="0.04"),
         dict(timepoint="day 7", days=7, effect_value="1.49", p_value="<0.0001")],
    181: [dict(measure="mean_change", mean="-4.5", effect_type="", effect_value="", effect_description="",
               note="Within-group mean change v baseline with its 95% CI (in ci_lb/ci_ub). 7 MDD participants (+3 healthy controls); no control arm."),
          dict(measure="within_group", mean="", ci_lb="", ci_ub="", effect_type="hedges_g",
               effect_description="within-group Hedges' g v baseline (> 0 = improvement)", note="7 MDD participants; no control arm.")],
}
ROWS[40] = dict(role="contrast", agent="ayahuasca", outcome="madrs", scale="madrs", measure="between_group", comparison="ayahuasca_v_placebo",
                effect_type="cohens_d", effect_description="Cohen's d, MADRS, ayahuasca v placebo (> 0 favours ayahuasca)",
                source_publication=PALHANO[0], source_doi=PALHANO[1], note="Arm sizes not stated (29 randomised).")
ROWS[181] = dict(role="single_arm", agent="dmt", outcome="hamd17", scale="hamd17", measure="mean_change", route="intravenous")

# Rows not carried, with the reason (the README lists these).
NOT_CARRIED = {}
for r in [2, 14, 18, 65, 74, 78, 93, 122, 180, 186]:
    NOT_CARRIED[r] = "placeholder: the number is not available in any source (listed in the gaps table)"
for r in [17, 21, 26, 63, 108, 151, 152, 155, 156, 185]:
    NOT_CARRIED[r] = "no outcome number in the available sources"
for r in [3, 4, 5, 6, 11, 15, 16, 34, 35, 36, 37, 44, 45, 62, 71, 72, 73, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89,
          91, 92, 102, 103, 104, 105, 107, 109, 136, 138, 142, 144, 147, 148, 149, 150, 157, 158, 162, 165, 168, 170, 172]:
    NOT_CARRIED[r] = "sample size only: in studies.csv `n`, or the n_quote of the outcome rows that use it"
NOT_CARRIED[75] = NOT_CARRIED[76] = NOT_CARRIED[77] = "arm size derived (48 / 3), sample size only; total 48 is in studies.csv"
NOT_CARRIED[90] = "a biomarker-symptom correlation (rho = 0.57), not an outcome estimate"
NOT_CARRIED[98] = "duplicate: the same 180 mg estimate as row 99 (sponsor press release of the published abstract's value)"

ROUTES = {"IV": "intravenous", "intravenous": "intravenous", "oral": "oral", "intranasal": "intranasal",
          "subcutaneous": "subcutaneous", "transcranial": "transcranial", "sublingual": "sublingual",
          "oral (extended-release tablet R-107)": "oral", "intranasal (esketamine) + oral antidepressant": "intranasal"}

DEFAULT_DAYS = {}


def clean_p(p):
    p = p.strip()
    if not p:
        return ""
    p = p.split(" ")[0] if p[0] in "<>" or p[0].isdigit() or p[0] == "." else p
    p = p.replace("<.", "<0.").replace(">.", ">0.")
    if p.startswith("."):
        p = "0" + p
    return p


def main():
    studies = {int(s["ref"]): s for s in csv.DictReader(open(os.path.join(ROOT, "Datasets", "trd-review", "studies.csv"), encoding="utf-8"))}
    src = list(csv.DictReader(open(EXTRACTION, encoding="utf-8")))
    out = []
    for i, x in enumerate(src):
        row_no = i + 2
        if row_no in NOT_CARRIED:
            continue
        spec = ROWS.get(row_no)
        assert spec is not None, f"extraction row {row_no} has no decision"
        spec = dict(spec)
        ref = int(x["ref"].split(";")[0])
        study = studies[ref]
        url = x["source_url"]
        if url.startswith("GitHub metapsy-project"):
            url = METAPSY
        route = spec.pop("route", None)
        if route is None:
            route = ROUTES.get(x["route"], "")
            assert route or not x["route"], (row_no, x["route"])
        base = {
            "study_ref": ref, "sample_group": study["sample_group"],
            "source_publication": f"{x['first_author'].split(' ')[0] if ' ' in x['first_author'] and x['first_author'].split(' ')[1].isupper() else x['first_author']} {x['year']}",
            "source_doi": x["doi"], "extraction_row": row_no, "arm": x["arm"], "arm_role": spec.pop("role"),
            "comparison": spec.pop("comparison", ""), "agent": spec.pop("agent"), "treatment_class": study["treatment_class"],
            "dose": "" if x["dose"].startswith("not stated") else x["dose"], "route": route,
            "outcome": spec.pop("outcome"), "scale": spec.pop("scale", ""), "measure": spec.pop("measure"),
            "definition": x["definition"], "timepoint": x["timepoint"], "timepoint_days": spec.pop("days", ""),
            "events": x["events"], "total": x["total"], "percent": x["percent"], "mean": x["mean"], "sd": x["sd"],
            "plus_minus": "", "n": "", "n_comparator": "", "effect_type": "", "effect_description": x["effect_type"],
            "effect_value": x["effect_value"], "ci_lb": x["ci_lb"], "ci_ub": x["ci_ub"], "p_value": clean_p(x["p_value"]),
            "count_derived": "true" if x["count_derived"] == "TRUE" else "false", "derivation": "",
            "source_kind": x["source_kind"], "confidence": x["confidence"], "source_url": url,
            "source_quote": x["source_quote"], "n_source_url": "", "n_quote": "", "notes": "",
        }
        note = spec.pop("note", "")
        base.update(spec)
        base["notes"] = note
        if base["n_quote"] and not base["n_source_url"]:
            base["n_source_url"] = base["source_url"]
        for part in SPLITS.get(row_no, [{}]):
            row = dict(base)
            part = dict(part)
            if "days" in part:
                row["timepoint_days"] = part.pop("days")
            if "note" in part:
                row["notes"] = part.pop("note")
            row.update(part)
            out.append(row)
    for r in out:
        assert r["source_kind"] in ("primary", "secondary"), r
        assert r["confidence"] in ("high", "medium", "low"), r
        if r["count_derived"] == "true":
            assert r["derivation"], r["extraction_row"]
    path = os.path.join(ROOT, "Datasets", "trd-review", "outcomes.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    carried = len(src) - len(NOT_CARRIED)
    print(f"wrote {path}: {len(out)} rows from {carried} extraction rows; {len(NOT_CARRIED)} not carried", file=sys.stderr)


if __name__ == "__main__":
    main()
