#!/usr/bin/env python3
"""Writes the bad-input suite's input files (Tests/MetaSwiftCLITests/BadInputSuite/inputs/) and its case list
(cases.txt: file, command, expected stderr). The expected sentences are recorded by BadInputSuiteTests with
METASWIFT_UPDATE_BAD_INPUT_SUITE=1 and then read by a person; this script only makes the inputs (issue 16)."""
import os, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "MetaSwiftCLITests", "BadInputSuite")
inputs = os.path.join(root, "inputs")
os.makedirs(inputs, exist_ok=True)

# Base data sets: (name, header, rows, measure options, the commands each mutation is run through).
GEN = ("gen", ["study", "yi", "vi", "x"],
       [["A", "0.10", "0.010", "1"], ["B", "0.30", "0.020", "2"], ["C", "0.25", "0.015", "3"],
        ["D", "0.50", "0.030", "4"], ["E", "0.05", "0.012", "5"], ["F", "0.40", "0.050", "6"]], [])
TWO = ("2x2", ["study", "ai", "bi", "ci", "di"],
       [["A", "4", "119", "11", "128"], ["B", "6", "300", "29", "274"], ["C", "3", "228", "11", "209"],
        ["D", "62", "13536", "248", "12619"], ["E", "33", "5036", "47", "5761"]], ["--measure", "RR"])
MEANS = ("means", ["study", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"],
         [["A", "10.2", "3.1", "25", "9.1", "2.9", "24"], ["B", "11.0", "2.5", "40", "10.4", "2.7", "38"],
          ["C", "9.8", "3.3", "18", "9.9", "3.0", "20"], ["D", "12.1", "2.8", "60", "10.9", "2.6", "61"]], ["--measure", "SMD"])
COR = ("cor", ["study", "ri", "ni"],
       [["A", "0.21", "50"], ["B", "0.35", "120"], ["C", "0.10", "80"], ["D", "0.28", "64"]], ["--measure", "ZCOR"])
PROP = ("prop", ["study", "xi", "ni"],
        [["A", "12", "40"], ["B", "30", "95"], ["C", "7", "33"], ["D", "21", "60"]], ["--measure", "PLO"])
BASES = [GEN, TWO, MEANS, COR, PROP]

COMMANDS = [["pool"], ["escalc"], ["bias", "egger"], ["sensitivity", "leave1out"], ["sensitivity", "influence"],
            ["sensitivity", "cumulative"], ["bias", "trimfill"], ["bias", "failsafe"], ["bias", "begg"],
            ["bootstrap", "--replicates", "20", "--seed", "1"], ["permute", "--iterations", "20", "--seed", "1"],
            ["sensitivity", "gosh", "--subsets", "50"], ["pool", "--method", "DL"], ["pool", "--preset", "metafor"]]

def csv(header, rows, sep=",", end="\n"):
    return end.join(sep.join(r) for r in [header] + rows) + end

def cell(rows, r, c, value):
    rows = [list(x) for x in rows]
    rows[r][c] = value
    return rows

cases = []  # (file name, command)
counter = [0]

# The effect-size files go through escalc and pool (they share the reader and effect-size path with every other
# command); the yi/vi files go round every command. The test parses each distinct command line once, and a parse
# costs seconds of CPU in a debug build, so the number of distinct lines is kept small.
MEASURE_COMMANDS = [["escalc"], ["pool"]]

def add(base, tag, data, command=None):
    name = f"{base[0]}-{tag}.csv"
    with open(os.path.join(inputs, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    rotation = COMMANDS if base[0] == "gen" else MEASURE_COMMANDS
    cmd = command or rotation[counter[0] % len(rotation)]
    counter[0] += 1
    cases.append((name, cmd + base[3]))

for base in BASES:
    name, header, rows, _ = base
    numeric = list(range(1, len(header)))
    if name == "gen": numeric = [1, 2]
    for c in numeric:
        col = header[c]
        add(base, f"NA-{col}", csv(header, cell(rows, 1, c, "NA")))
        add(base, f"empty-{col}", csv(header, cell(rows, 2, c, "")))
        add(base, f"text-{col}", csv(header, cell(rows, 0, c, "1O")))
        add(base, f"inf-{col}", csv(header, cell(rows, 1, c, "Inf")))
        add(base, f"nan-{col}", csv(header, cell(rows, 2, c, "NaN")))
        add(base, f"negative-{col}", csv(header, cell(rows, 1, c, "-3")))
        add(base, f"overflow-{col}", csv(header, cell(rows, 0, c, "1e400")))
        add(base, f"missing-column-{col}", csv([h if i != c else h + "_x" for i, h in enumerate(header)], rows))
    add(base, "header-only", csv(header, []))
    add(base, "empty-file", "")
    add(base, "blank-lines", "\n\n\n")
    add(base, "duplicate-column", csv(header + [header[1]], [r + [r[1]] for r in rows]))
    add(base, "short-row", csv(header, [rows[0], rows[1][:-1]] + rows[2:]))
    add(base, "long-row", csv(header, [rows[0], rows[1] + ["9"]] + rows[2:]))
    add(base, "unterminated-quote", csv(header, rows).replace(rows[1][0], '"' + rows[1][0], 1))
    add(base, "tab-separated", csv(header, rows, sep="\t"))
    add(base, "semicolon-separated", csv(header, rows, sep=";"))
    add(base, "invalid-utf8", csv(header, rows).encode("utf-8").replace(rows[1][0].encode(), b"\xff\xfe", 1))
    add(base, "empty-study-label", csv(header, cell(rows, 1, 0, "")))
    add(base, "NA-study-label", csv(header, cell(rows, 2, 0, "NA")))
    add(base, "decimal-comma", csv(header, cell(rows, 1, len(header) - 1, '"1,5"')))
    add(base, "empty-header-name", csv([header[0], ""] + header[2:], rows))
    add(base, "nul-byte", csv(header, rows).encode("utf-8").replace(b"\n", b"\x00\n", 2))

# Measure-specific rules.
add(TWO, "events-exceed-total", csv(["study", "ai", "n1i", "ci", "n2i"], [["A", "40", "30", "11", "139"], ["B", "6", "306", "29", "303"], ["C", "3", "231", "11", "220"]]))
add(TWO, "zero-total", csv(["study", "ai", "n1i", "ci", "n2i"], [["A", "0", "0", "11", "139"], ["B", "6", "306", "29", "303"], ["C", "3", "231", "11", "220"]]))
add(TWO, "fractional-count", csv(TWO[1], cell(TWO[2], 1, 1, "6.5")))
add(COR, "correlation-above-1", csv(COR[1], cell(COR[2], 1, 1, "1.2")))
add(COR, "sample-size-3", csv(COR[1], cell(COR[2], 1, 2, "3")))
add(PROP, "events-exceed-n", csv(PROP[1], cell(PROP[2], 1, 1, "120")))
add(MEANS, "sample-size-1", csv(MEANS[1], cell(MEANS[2], 1, 3, "1")))
add(GEN, "zero-variance", csv(GEN[1], cell(GEN[2], 3, 2, "0")))
add(GEN, "subnormal-variance", csv(GEN[1], cell(GEN[2], 3, 2, "4.9e-324")))
add(GEN, "one-study", csv(GEN[1], GEN[2][:1]), ["sensitivity", "leave1out"])
add(GEN, "one-study-gosh", csv(GEN[1], GEN[2][:1]), ["sensitivity", "gosh"])
# Options that name what the file lacks or mistype a value.
for tag, extra in [("mods-missing", ["--mods", "dose"]), ("subgroup-missing", ["--subgroup", "arm"]),
                   ("weights-missing", ["--weights", "w"]), ("weights-text", ["--weights", "study"]),
                   ("map-bad", ["--map", "yi"]), ("order-missing", None), ("level-zero", ["--level", "0"]),
                   ("tau2-negative", ["--tau2", "-1"]), ("method-unknown", ["--method", "REMLL"]),
                   ("measure-unknown", ["--measure", "ORR"]), ("test-unknown", ["--test", "kh"]),
                   ("pi-unknown", ["--pi", "riley2"]), ("format-unknown", ["--format", "xlsx"]),
                   ("replicates-zero", None), ("seed-text", None), ("predict-without-mods", ["--predict", "x=2"]),
                   ("factor-not-in-mods", ["--mods", "x", "--factor", "study"]), ("mods-and-subgroup", ["--mods", "x", "--subgroup", "x"]),
                   ("tau2-ci-EE", ["--method", "EE", "--tau2-ci", "PL"]), ("model-without-glmm", ["--model", "CM.EL"])]:
    if tag == "order-missing": cmd = ["sensitivity", "cumulative", "--order", "year"]
    elif tag == "replicates-zero": cmd = ["bootstrap", "--replicates", "0", "--seed", "1"]
    elif tag == "seed-text": cmd = ["bootstrap", "--seed", "abc"]
    else: cmd = ["pool"] + extra
    add(GEN, "option-" + tag, csv(GEN[1], GEN[2]), cmd)

with open(os.path.join(root, "cases.txt"), "w") as f:
    f.write("# file<TAB>command (the suite adds --data FILE)<TAB>expected stderr (recorded, then read by a person)\n")
    old = {}
    for name, cmd in cases:
        f.write(f"{name}\t{' '.join(cmd)}\t\n")
print(len(cases), "cases,", len(os.listdir(inputs)), "files")
