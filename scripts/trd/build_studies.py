#!/usr/bin/env python3
"""Builds Datasets/trd-review/studies.csv from the review's text plus the curated facts below.

    python3 scripts/trd/build_studies.py [REVIEW_TXT] [EXTRACTION_CSV]     # then: python3 scripts/embed-datasets.py

Defaults: ../shared/source/trd-narrative-review-2025.txt and ../shared/data/trd-extraction/outcomes_extracted.csv
(relative to the repository root). The CSV in Datasets/ is the source of truth; this script records how it was
made and re-checks it against the extraction (first author, year, DOI) and the review (counts, tables).
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import review_text as R  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REVIEW = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "..", "shared", "source", "trd-narrative-review-2025.txt")
EXTRACTION = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "..", "shared", "data", "trd-extraction", "outcomes_extracted.csv")
if not os.path.exists(REVIEW):
    REVIEW = "/work/shared/source/trd-narrative-review-2025.txt"
    EXTRACTION = "/work/shared/data/trd-extraction/outcomes_extracted.csv"

# Surnames where the reference list misprints the first author; the table citation has the right one.
FIRST_AUTHOR = {39: "de Almeida", 76: "Marcatili", 80: "Ontiveros-Sánchez de la Barquera"}

# agent, route as the study used them (source-checked where the extraction confirms; else the review's wording).
AGENT_ROUTE = {
    7: ("esketamine", "intranasal"), 8: ("ketamine", "intravenous"), 11: ("esketamine", "intranasal"),
    12: ("ketamine", "intravenous"), 15: ("esketamine", "intranasal"), 32: ("ketamine", "intravenous"),
    33: ("esketamine", "intranasal"), 34: ("ketamine", "intravenous"), 35: ("ketamine", "intravenous"),
    36: ("psilocybin", "oral"), 37: ("ketamine", "intravenous"), 38: ("psilocybin", "oral"),
    39: ("ayahuasca", "oral"), 40: ("ketamine", "multiple"), 41: ("ketamine", "intravenous"),
    42: ("ketamine", "intravenous"), 43: ("ketamine", "intravenous"), 44: ("ketamine", "intravenous"),
    45: ("ketamine", "intravenous"), 46: ("ketamine", "intravenous"), 47: ("atypical_antipsychotics", "oral"),
    48: ("ketamine", "intravenous"), 49: ("ketamine", "intravenous"), 50: ("ketamine", "intravenous"),
    51: ("ketamine", "intravenous"), 52: ("ketamine", "intravenous"), 53: ("ketamine", "intravenous"),
    54: ("ketamine", "intravenous"), 55: ("ketamine", "intravenous"), 56: ("ayahuasca", "oral"),
    57: ("aripiprazole", "oral"), 58: ("ketamine", "oral"), 59: ("ketamine", "intravenous"),
    60: ("ketamine_and_esketamine", "intravenous"), 61: ("ayahuasca", "oral"), 62: ("ketamine", "intravenous"),
    63: ("ketamine", "intravenous"), 64: ("aripiprazole", "oral"), 65: ("ketamine", "intravenous"),
    66: ("esketamine", "subcutaneous"), 67: ("psilocybin", "oral"), 68: ("esketamine", "intranasal"),
    69: ("ketamine", "intravenous"), 70: ("ketamine", "intravenous"), 71: ("aripiprazole", "oral"),
    72: ("atypical_antipsychotics", "oral"), 73: ("atypical_antipsychotics", "oral"), 74: ("ketamine", "intravenous"),
    75: ("ketamine", "intravenous"), 76: ("esketamine", "intranasal"), 77: ("ketamine", "sublingual"),
    78: ("ketamine_and_esketamine", "multiple"), 79: ("esketamine", "intranasal"), 80: ("esketamine", "intranasal"),
    81: ("aripiprazole", "oral"), 82: ("aripiprazole", "oral"), 83: ("aripiprazole", "oral"),
    84: ("dmt", "intravenous"), 85: ("aripiprazole", "oral"), 86: ("ketamine", "intravenous"),
    87: ("ketamine", "intravenous"),
}

# Studies missing from every treatment list of section 3.1: class from the title in the reference list.
CLASS_FROM_TITLE = {8: "glutamatergic", 66: "glutamatergic"}

# n: participants (patients) enrolled or randomised, as the source states; the review's N where no source gives one.
N = {
    7: (20, "extraction rows 3-4: 'ten subjects taking SSRI or SNRI with ESK-NS' + 'ten subjects taking Vortioxetine'"),
    8: (73, "extraction row 6: CT.gov 'STARTED 48 25' (48 + 25; abstract N=73)"),
    11: (70, "extraction rows 15-16: 'Thirty-five B-TRD subjects ... compared with 35 TRD patients'"),
    15: (116, "extraction rows 19-20 (abstract, n=116 enrolled)"),
    32: (30, "review section 3.1 ([32], N = 30); not verified"),
    33: (35, "extraction rows 22-24 (SSRN preprint, 35 analysed)"),
    34: (31, "extraction row 25: '17 of 31 patients'"),
    36: (20, "extraction row 32: 'Twenty patients (six females)'"),
    37: (65, "extraction row 34: '65 patients with TRD were genotyped'"),
    38: (16, "extraction row 35: '16 patients administered two 5 mg capsules followed by 25 mg'"),
    39: (28, "extraction rows 36-37: ayahuasca N = 14, placebo N = 14"),
    40: (235, "extraction row 43: 'outcome data from 235 patients'"),
    41: (157, "extraction row 44: 'The ketamine-treated sample included 157'"),
    42: (33, "extraction row 45: '33 actively depressed TRD patients'"),
    43: (230, "extraction rows 46-49 (abstract, n=230)"),
    44: (106, "extraction row 52: premenopausal n = 52 + postmenopausal n = 54"),
    45: (134, "extraction row 55: '134 adults with treatment resistant depression'"),
    46: (297, "extraction row 62: 'A total of 297 adults'"),
    47: (64, "extraction row 63 (abstract, 64 enrolled)"),
    48: (15, "extraction row 66: '15 TRD patients were recruited and 12 were included in the analysis'"),
    49: (32, "extraction row 69: '32 patients with TRD'"),
    50: (24, "extraction row 71: 'Twenty-four patients ... were randomized into three groups'"),
    51: (48, "extraction row 75: 'A group of 48 TRD patients'"),
    52: (99, "extraction rows 79-84: arms 18 + 20 + 22 + 20 + 19"),
    53: (20, "extraction row 85: 'Twenty patients with TRD'"),
    54: (62, "extraction row 86: '62 patients'"),
    55: (33, "extraction row 88: 'in 33 military veterans'"),
    56: (28, "extraction row 90: '28 patients (+45 healthy controls)'"),
    57: (181, "extraction row 91: aripiprazole N = 91 + placebo N = 90"),
    58: (231, "extraction row 94: '231 entered the open-label enrichment phase'"),
    59: (39, "extraction row 102: 'Thirty-nine participants'"),
    60: (53, "extraction rows 103-104: 'ketamine (n=33) or ... esketamine (n=20)'"),
    61: (72, "extraction row 105: 'trial (n = 72)' (patients and healthy volunteers)"),
    62: (36, "extraction row 106 (crossover, 36 participants)"),
    63: (7, "extraction row 107: 'Seven patients'"),
    65: (31, "extraction row 109: 'This study included 31 patients'"),
    66: (30, "extraction rows 110-112 (30 enrolled)"),
    67: (30, "extraction row 113: immediate n = 16 + delayed n = 14"),
    68: (676, "extraction rows 123, 128: '91 of 336' / '60 of 340' (336 + 340)"),
    69: (23, "extraction rows 132-135 (N=23 enrolled)"),
    70: (68, "extraction row 136: CT.gov 'Started 17 18 16 17' (68 randomised)"),
    71: (5619, "extraction row 146: 'A total of 5,619 patients'"),
    72: (177144, "extraction row 147: '177,144 persons had their first registered depression'"),
    73: (21966, "extraction row 148: abstract N = 21,966 (20,480 after excluding 1,486 psychotic depression)"),
    74: (49, "extraction row 149: 'in 49 veterans'"),
    75: (1, "extraction row 150 (case report)"),
    76: (1, "review section 3.1 ([76], N = 1)"),
    77: (1, "review section 3.1 ([77], N = 1)"),
    78: (15, "extraction rows 153-154 (15 Veterans)"),
    79: (5, "extraction row 155: 'a case series of five Greek patients'"),
    80: (2, "extraction row 156: 'present 2 cases'"),
    81: (396, "extraction row 157: 'n=396 (randomized at time of report)'"),
    82: (742, "review section 3.1 ([82], N = 742); consistent with extraction rows 158-171 (619 in step 1 + 123 entering step 2 directly)"),
    83: (278, "extraction row 172: '278 subjects'"),
    84: (7, "extraction row 181: 7 MDD participants (+3 healthy controls)"),
    85: (181, "extraction row 182: 'aripiprazole (n=91) or placebo (n=90)'"),
    87: (24, "extraction row 187 (abstract, n=24)"),
}

# Overlap groups: papers reporting one trial or cohort share a group, so nothing is pooled twice.
GROUPS = {
    "real_esk": {7: "confirmed", 11: "confirmed", 15: "confirmed"},
    "mount_sinai_ketamine": {8: "confirmed", 54: "confirmed", 42: "possible", 53: "possible", 87: "possible"},
    "crtce_toronto": {43: "confirmed", 44: "confirmed", 45: "confirmed", 12: "likely", 46: "likely"},
    "taipei_vgh_ketamine": {50: "confirmed", 51: "confirmed", 37: "possible", 49: "possible"},
    "nimh_ketamine": {35: "likely", 41: "likely", 59: "likely", 62: "likely"},
    "fava_nct01920555": {52: "confirmed", 65: "confirmed"},
    "natal_ayahuasca_rct": {39: "confirmed", 56: "confirmed", 61: "confirmed"},
    "imperial_psilocybin_trd": {36: "confirmed", 38: "confirmed"},
    "irl_grey": {57: "confirmed", 64: "confirmed", 85: "confirmed"},
    "optimum": {81: "confirmed", 82: "confirmed"},
    "san_diego_va_ketamine": {33: "likely", 78: "likely"},
    "finnish_registers": {72: "possible", 73: "possible"},
}
SINGLE_NAMES = {68: "escape_trd", 83: "ascertain_trd", 70: "singh2016_nct01627782"}

NOTES = {
    7: "Cited with [11,15] for real-world response 60-70% and remission 30-50% (Discussion); its abstract gives no rates. REAL-ESK post hoc: vortioxetine v SSRI/SNRI, 10 v 10.",
    8: "In no treatment list of section 3.1 and in none of Tables 1-3, although it is a ketamine RCT (midazolam active placebo); class from its title. Cited in the Introduction [7-12].",
    11: "Cited for real-world response 60-70% and remission 30-50%; its abstract reports no rates ('no significant differences in response or remission rates').",
    12: "Table 1 groups it with 6-infusion protocols; the study validates a rating scale (MARRRS, title). No abstract available.",
    15: "The only one of [7,11,15] giving rates: response 64.2% and remission 40.6% at 3 months, denominator not stated.",
    32: "N = 30 only from the review; no abstract available.",
    33: "Review N = 36; the SSRN preprint reports 35 (published abstract not available). The title calls it a retrospective case series. The Discussion cites [33,34] for repeated infusions over 2-4 weeks, but ref 33 is intranasal esketamine.",
    35: "Outcome is the course of suicidal ideation. No abstract available.",
    36: "Table 3 cites Carhart-Harris et al., 2016; the reference list gives the 2018 six-month follow-up (n = 20), of which the 2016 report (n = 12) is a subset. An open-label trial listed as observational.",
    38: "Table 3 year 2021 v reference list 2024. Table 3 says an oral dose of 25 mg; the source gives two 5 mg capsules (10 mg) then 25 mg. Plus a validation sample of 22 (not counted in n).",
    39: "Reports the Natal ayahuasca RCT (title) but is listed among observational studies. The trial's depression outcomes are in Palhano-Fontes 2019 (not in the reference list), filed under this ref in outcomes.csv. Table 3's 1 mL/kg not verified.",
    40: "Route: Table 1 says IM or sublingual, section 3.1 oral or sublingual, section 3.2 sublingual, intranasal, IM or IV; not confirmed by the source. Mixed diagnoses (MDD, PTSD, GAD, ADHD).",
    41: "The reference list's DOI (2019) appears to be a correction notice; the article is Transl Psychiatry 2018 (doi 10.1038/s41398-018-0311-7), matching Table 1's year 2018. Cited with [86] for polygenic risk.",
    44: "The review cites [44,65] for 'later age of onset and early symptomatic improvement' as predictors; early improvement is ref 45.",
    47: "Published 2012, outside the review's stated 10-year window (search of 13 March 2025).",
    48: "No DOI in the reference list. 12 of 15 analysed; arm sizes not stated.",
    49: "The randomised comparison is D-cycloserine v placebo after ketamine response, not ketamine v control. Section 3.2 cites it among 'open-label studies' [37,43,49].",
    50: "Sub-sample of one Taipei trial with ref 51.",
    51: "Sub-sample of one Taipei trial with ref 50.",
    52: "Review N = 99 = the five arms 18 + 20 + 22 + 20 + 19.",
    53: "An open-label single-arm fMRI study listed among double-blind placebo-controlled trials.",
    54: "Reanalysis of the ref 8 trial.",
    57: "Table 2 year 2017 v reference list 2018. Same randomised sample as ref 85 (IRL-GRey).",
    58: "Listed under 'oral or sublingual ketamine': extended-release oral tablets (R-107), randomised withdrawal after open-label enrichment.",
    59: "An open-label single-infusion study listed among double-blind placebo-controlled trials.",
    60: "Section 3.1 says 'Subcutaneous esketamine was used in 1 study [60]', but ref 60 used intravenous esketamine and ketamine; the subcutaneous study is ref 66. Also in the IV ketamine list, so the glutamatergic lists count it twice. Cited [60,62] as pharmacometabolomic.",
    61: "n = 72 includes healthy volunteers.",
    62: "Outcome is fatigue; the review cites [60,62] as pharmacometabolomic.",
    63: "An open-label feasibility study (n = 7) listed among double-blind placebo-controlled trials.",
    64: "Table 2 adds risperidone and quetiapine; the title concerns aripiprazole augmentation only.",
    65: "Reanalysis of the ref 52 trial (NCT01920555). Section 3.3 cites [65] for quetiapine and olanzapine results of the Korean cohort (ref 71); ref 65 is a ketamine study.",
    66: "In no treatment list of section 3.1 (the subcutaneous-esketamine citation points to ref 60); in Table 1 and section 3.2. Class from its title.",
    67: "Randomised open-label trial (immediate v delayed treatment).",
    68: "ESCAPE-TRD: randomised open-label, rater-blinded trial v quetiapine XR, listed as an open label clinical trial.",
    70: "A double-blind, randomised, placebo-controlled trial (title) listed as an open label clinical trial.",
    71: "Table 2 year 2024 v reference list 2025. Observational hazard ratios (hospitalisation), bupropion v aripiprazole augmentation.",
    72: "Registry cohort; outcome is the course of treatment, not efficacy. Possibly overlaps ref 73 (Finnish nationwide registers), yet both enter the review's '>205,000 participants'.",
    73: "Review N = 20,478; the source gives 21,966 (20,480 after excluding 1,486 with psychotic depression). Table 2 year 2023 v reference list 2024.",
    75: "The Discussion cites [75] for paradoxical worsening of suicidal ideation (that is ref 80); ref 75 reports an affective switch.",
    76: "The reference list prints given names as surnames ('Matteo, M.; Cristian, P.; Laura, M.'); Table 1 cites Marcatili et al., 2021. No abstract available.",
    77: "Section 3.1: sublingual troches. No abstract available.",
    78: "Table 1 groups it as esketamine v racemic ketamine with 'lower dissociative potential'; the source reports a larger PHQ-9 reduction with IV racemic ketamine after switching from intranasal esketamine.",
    79: "An esketamine-only case series; Table 1 groups it as esketamine v racemic ketamine.",
    80: "The reference list gives volume 26 (source: 25) and surname 'de la Barquera'.",
    81: "OPTIMUM design paper (first 396 randomised); no outcomes. Same trial as ref 82.",
    82: "Section 3.3 and Table 2 call remission 'similar'; the Discussion calls augmentation 'superior' in remission. Secondary sources give 28.9% (aripiprazole augmentation) v 19.3% (switch to bupropion); the significant result was well-being.",
    83: "ASCERTAIN-TRD: aripiprazole augmentation v rTMS augmentation v switch.",
    84: "Table 3: 0.1-0.4 mg/kg; the source gives 0.1 then 0.3 mg/kg. n = 7 with MDD (+3 healthy volunteers).",
    85: "A secondary (moderator) analysis of the IRL-GRey RCT listed as pilot/phase I/II. The Discussion says IRL-GRey showed augmentation superior to switching; IRL-GRey compared aripiprazole with placebo augmentation.",
    86: "Qualitative; the review cites [41,86] for polygenic risk and [86,87] for cariprazine v placebo.",
    87: "In no design category of section 3.1 (the 61st study: the design lists hold 60). In the IV ketamine list and Table 1; the Discussion cites [86,87] for cariprazine. Population: mood and anxiety disorders with suicidal ideation.",
}

COLUMNS = ["ref", "first_author", "year", "title", "journal", "doi", "design", "treatment_class", "agent", "route",
           "review_treatment_lists", "review_table", "table_citation", "n", "n_review", "n_source", "sample_group",
           "overlap", "source", "notes"]


def ascii_key(s):
    table = str.maketrans("äåáàéèíóöúüñçÄÅÁÉÍÓÖÚÜ", "aaaaeeiooüuncAAAEIOOUU".replace("ü", "u"))
    return "".join(c for c in s.translate(table).lower() if c.isalnum())


def main():
    text = open(REVIEW, encoding="utf-8").read()
    bib = R.bibliography(text)
    designs = R.design_lists(text)
    treatments = R.treatment_lists(text)
    tables = R.table_citations(text)
    nrev = R.review_n(text)
    group_of = {ref: (g, o) for g, members in GROUPS.items() for ref, o in members.items()}

    rows = []
    for ref in R.INCLUDED_REFS:
        b = bib[ref]
        design = [code for code, _, refs in designs if ref in refs]
        assert len(design) <= 1, ref
        lists = [name for name, _, _, refs in treatments if ref in refs]
        classes = {cls for name, cls, _, refs in treatments if ref in refs}
        assert len(classes) <= 1, ref
        cls = classes.pop() if classes else CLASS_FROM_TITLE[ref]
        agent, route = AGENT_ROUTE[ref]
        table, citation = tables.get(ref, ("none", ""))
        n, n_source = N.get(ref, ("", ""))
        first = FIRST_AUTHOR.get(ref, b["surname"])
        if ref in group_of:
            group, overlap = group_of[ref]
        else:
            group, overlap = SINGLE_NAMES.get(ref, f"{ascii_key(first)}{b['year']}"), "none"
        source = ["bibliography: review reference list" + (f" (first author from {table})" if ref in FIRST_AUTHOR else ""),
                  "design: review section 3.1" if design else "design: not in section 3.1",
                  "class: review section 3.1 lists" if lists else "class: title in the reference list",
                  "agent/route: review section 3.1 and tables, checked against the extraction"]
        rows.append({
            "ref": ref, "first_author": first, "year": b["year"], "title": b["title"], "journal": b["journal"],
            "doi": b["doi"], "design": design[0] if design else "not_categorised", "treatment_class": cls,
            "agent": agent, "route": route, "review_treatment_lists": ";".join(lists), "review_table": table,
            "table_citation": citation, "n": n, "n_review": nrev.get(ref, ""), "n_source": n_source,
            "sample_group": group, "overlap": overlap, "source": "; ".join(source), "notes": NOTES.get(ref, ""),
        })

    check_against_extraction(rows)
    out = os.path.join(ROOT, "Datasets", "trd-review", "studies.csv")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {out}: {len(rows)} studies", file=sys.stderr)


def check_against_extraction(rows):
    """Prints every first-author/year/DOI disagreement with the extraction (each one is explained in notes)."""
    seen = {}
    for r in csv.DictReader(open(EXTRACTION, encoding="utf-8")):
        if r["ref"].isdigit():
            seen.setdefault(int(r["ref"]), set()).add((r["first_author"], r["year"], r["doi"]))
    for row in rows:
        for author, year, doi in seen.get(row["ref"], ()):
            issues = []
            if not author.startswith(row["first_author"].split()[-1][:4]) and row["first_author"] not in author:
                issues.append(f"author {author!r}")
            if year != str(row["year"]):
                issues.append(f"year {year}")
            if doi != row["doi"]:
                issues.append(f"doi {doi!r}")
            if issues:
                print(f"ref {row['ref']} ({row['first_author']} {row['year']}): extraction has " + ", ".join(issues), file=sys.stderr)


if __name__ == "__main__":
    main()
