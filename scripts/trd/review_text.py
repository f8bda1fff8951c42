"""Parsing helpers for the review's text (Cavallotto et al. 2025, doi 10.53941/cna.2025.100006).

Everything the dataset takes from the review itself (bibliography, the design and treatment lists of
section 3.1, the citations in Tables 1-3, the N values of section 3.1) is read from the text here, so the
counts in the dataset are computed from what the review prints, not typed in.
"""
import re

INCLUDED_REFS = [7, 8, 11, 12, 15] + list(range(32, 88))


def expand(bracket):
    """'7,11,12,15,32–47' -> [7, 11, 12, 15, 32, ..., 47] (en dash or hyphen ranges)."""
    out = []
    for part in bracket.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", part)
        if m:
            out += list(range(int(m.group(1)), int(m.group(2)) + 1))
        elif part:
            out.append(int(part))
    return out


def section(text, start, end):
    i = text.index(start)
    j = text.index(end, i)
    return text[i:j]


# Section 3.1, first paragraph: "<category> (N = k) [refs]"; the qualitative study has no N.
DESIGN_PATTERNS = [
    ("observational", r"observational studies \(N = (\d+)\) \[([^\]]+)\]"),
    ("rct_double_blind_placebo", r"randomized double-blind placebo-controlled trials \(N = (\d+)\) \[([^\]]+)\]"),
    ("open_label_trial", r"open label clinical trial \(N = (\d+)\) \[([^\]]+)\]"),
    ("retrospective_cohort", r"retrospective cohort studies \(N = (\d+)\) \[([^\]]+)\]"),
    ("case_report", r"case reports \(N = (\d+)\) \[([^\]]+)\]"),
    ("case_series", r"case series \(N = (\d+)\) \[([^\]]+)\]"),
    ("pragmatic_rct", r"pragmatic randomized clinical trial \(N = (\d+)\) \[([^\]]+)\]"),
    ("pilot_phase_1_2", r"pilot or phase I/II studies \(N = (\d+)\) \[([^\]]+)\]"),
    ("qualitative", r"a qualitative interview study()\s*\[([^\]]+)\]"),
]

# Section 3.1, treatment paragraphs: list name, class, pattern with (count, refs).
TREATMENT_PATTERNS = [
    ("iv_ketamine", "glutamatergic", r"intravenous racemic ketamine \(N = (\d+)\) \[([^\]]+)\]"),
    ("oral_sublingual_ketamine", "glutamatergic", r"Oral or sublingual ketamine was tested in (\d+) studies \[([^\]]+)\]"),
    ("sublingual_troches", "glutamatergic", r"sublingual troches in (\d+) study \[([^\]]+)\]"),
    ("intranasal_esketamine", "glutamatergic", r"Intranasal esketamine was reported in (\d+) studies \[([^\]]+)\]"),
    ("subcutaneous_esketamine", "glutamatergic", r"Subcutaneous esketamine was used in (\d+) study \[([^\]]+)\]"),
    ("augmentation", "antipsychotic_augmentation", r"Augmentation strategies were evaluated in (\d+) studies \[([^\]]+)\]"),
    ("ayahuasca", "psychedelic", r"ayahuasca \(N = (\d+)\) \[([^\]]+)\]"),
    ("psilocybin", "psychedelic", r"psilocybin \(N = (\d+)\) \[([^\]]+)\]"),
    ("dmt", "psychedelic", r"dimethyltriptamine \(N = (\d+)\) \[([^\]]+)\]"),
]


def results_31(text):
    return section(text, "3.1. Overall Characteristics", "3.2. Beyond Monoamines")


def design_lists(text):
    s = results_31(text)
    out = []
    for code, pat in DESIGN_PATTERNS:
        m = re.search(pat, s)
        assert m, code
        stated = int(m.group(1)) if m.group(1) else 1
        out.append((code, stated, expand(m.group(2))))
    return out


def treatment_lists(text):
    s = results_31(text)
    out = []
    for name, cls, pat in TREATMENT_PATTERNS:
        m = re.search(pat, s)
        assert m, name
        out.append((name, cls, int(m.group(1)), expand(m.group(2))))
    return out


def review_n(text):
    """N values printed in section 3.1 as '([72], N = 177,144)'."""
    s = results_31(text)
    return {int(r): int(n.replace(",", "")) for r, n in re.findall(r"\[(\d+)\], N = (\d[\d,]*\d|\d)", s)}


def table_blocks(text):
    lines = text.splitlines()
    def idx(prefix, start=0):
        for i in range(start, len(lines)):
            if lines[i].startswith(prefix):
                return i
        raise ValueError(prefix)
    t1 = idx("Table 1. Findings")
    t1_end = idx("Abbreviations", t1)
    t2_start = next(i for i, l in enumerate(lines) if "summarized in Table 2." in l) + 1
    t2_end = idx("Table 2. Findings")
    t3_start = next(i for i, l in enumerate(lines) if "Taken together these findings, shown in Table 3" in l) + 1
    t3_end = idx("Table 3. Findings")
    return {
        "table1": "\n".join(lines[t1 + 1:t1_end]),
        "table2": "\n".join(lines[t2_start:t2_end]),
        "table3": "\n".join(lines[t3_start:t3_end]),
    }


CITATION = re.compile(r"(?:^|;\s*|\t)([^;\t\[\]\n]+?),\s*(\d{4}[ab]?)\s*\[(\d+)\]", re.M)


def table_citations(text):
    """{ref: (table, 'Author et al., 2016')} for every citation in Tables 1-3."""
    out = {}
    for table, block in table_blocks(text).items():
        for author, year, ref in CITATION.findall(block):
            ref = int(ref)
            assert ref not in out, f"ref {ref} in two tables"
            out[ref] = (table, f"{author.strip()}, {year}")
    return out


def bibliography(text):
    """{ref: dict(authors, title, journal, year, doi)} from the numbered reference list."""
    refs = section(text, "\nReferences\n", "\n- 88. ")
    out = {}
    for m in re.finditer(r"^- (\d+)\. (.+)$", refs, re.M):
        ref, body = int(m.group(1)), m.group(2)
        if ref not in INCLUDED_REFS:
            continue
        doi = re.search(r"https://doi\.org/(\S+?)\.?$", body)
        year = re.search(r"\*\*(\d{4})\*\*", body) or re.search(r"\* (\d{4}), ", body)
        journal = re.search(r"\*([^*]+)\*", body)
        # Authors end at the first '. ' that follows an initial-or-'et al.' block, i.e. before the title.
        am = re.match(r"(.+?et al\.)\s+(.+)$", body) if "et al." in body[:200] else \
            re.match(r"(.+?[A-Z]\.)\s+(?=[A-Z][a-z])(.+)$", body)
        assert am, f"ref {ref}: cannot split authors from title"
        authors, rest = am.group(1), am.group(2)
        title = rest[:rest.index(" *")].rstrip(".") if " *" in rest else rest
        out[ref] = {
            "authors": authors,
            "surname": authors.split(",")[0].strip(),
            "title": title.strip(),
            "journal": journal.group(1).strip() if journal else "",
            "year": int(year.group(1)) if year else None,
            "doi": doi.group(1) if doi else "",
        }
    return out
