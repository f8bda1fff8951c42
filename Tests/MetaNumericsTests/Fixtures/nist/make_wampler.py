#!/usr/bin/env python3
"""Writes Wampler1.csv and Wampler2.csv from NIST's definition of these generated StRD datasets:
y = sum_j c_j x^j, x = 0, 1, ..., 20, with the certified coefficients c_j (residual SD certified as 0).
Exact decimal arithmetic, so every y is the exact value the NIST .dat file lists."""
from decimal import Decimal as D

DATASETS = {
    "Wampler1": [D(1)] * 6,
    "Wampler2": [D(1), D("0.1"), D("0.01"), D("0.001"), D("0.0001"), D("0.00001")],
}
for name, coef in DATASETS.items():
    lines = [f"# NIST/ITL StRD, Linear Least Squares Regression, dataset {name} ({name}.dat), higher level of difficulty.",
             f"# Source: https://www.itl.nist.gov/div898/strd/lls/data/LINKS/DATA/{name}.dat (generated data; Wampler 1970,",
             "# JASA 65, 549-565). Rows written by make_wampler.py from NIST's definition y = sum_j c_j x^j, x = 0..20.",
             "# Certified values (NIST): parameter, estimate, standard deviation"]
    lines += [f"# certified,b{j},{c},0" for j, c in enumerate(coef)]
    lines += ["# certified,residualStandardDeviation,0,", "y,x"]
    for x in range(21):
        y = sum(c * (D(x) ** j if j else D(1)) for j, c in enumerate(coef))
        lines.append(f"{y},{x}")
    with open(f"{name}.csv", "w") as handle:
        handle.write("\n".join(lines) + "\n")
