#!/usr/bin/env python3
"""Exact rational reference for the raw-calendar-year meta-regression of the BCG trials.

The design X = [1, year, ablat] (k = 13) has kappa_2(X) ~ 5e5 uncentred, so any floating-point route through it
(QR, normal equations, BLAS kernels of different CPUs) carries errors of order kappa^2 * eps. Here every
quantity is computed with Python's `fractions` on the very doubles the library sees (log risk ratios and their
variances as ResamplingTestData.bcg computes them, w = 1/(v + t) rounded as the kernel rounds it), so the only
error left is the final rounding to 17 significant digits.

Prints, for t = 0 and t = 0.1: Y'PY, Y'PPY, Y'PPPY, tr P and tr PP, with P = W - W X (X'W X)^-1 X'W.
Used by Tests/MetaAnalysisTests/MetaRegression/SmallDesignKernelTests.swift ("raw calendar year ...").
"""
from fractions import Fraction as F
import math

# dat.bcg (Colditz et al. 1994): tpos, tneg, cpos, cneg, year, ablat
bcg = [
    (4, 119, 11, 128, 1948, 44), (6, 300, 29, 274, 1949, 55), (3, 228, 11, 209, 1960, 42),
    (62, 13536, 248, 12619, 1977, 52), (33, 5036, 47, 5761, 1973, 13), (180, 1361, 372, 1079, 1953, 44),
    (8, 2537, 10, 619, 1973, 19), (505, 87886, 499, 87892, 1980, 13), (29, 7470, 45, 7232, 1968, 27),
    (17, 1699, 65, 1600, 1961, 42), (186, 50448, 141, 27197, 1974, 18), (5, 2493, 3, 2338, 1969, 33),
    (27, 16886, 29, 17825, 1976, 33),
]
# The same double-precision operations as ResamplingTestData.bcg (IEEE arithmetic, the C library's log).
y = [math.log((a / (a + b)) / (c / (c + d))) for a, b, c, d, _, _ in bcg]
v = [1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) for a, b, c, d, _, _ in bcg]
x = [[F(1), F(yr), F(lat)] for _, _, _, _, yr, lat in bcg]
k, p = len(bcg), 3


def solve(a, b):
    """Gauss-Jordan elimination in exact arithmetic: a^-1 b for a p x p matrix a and p x m matrix b."""
    n = len(a)
    m = [row[:] + rhs[:] for row, rhs in zip(a, b)]
    for c in range(n):
        pivot = next(r for r in range(c, n) if m[r][c] != 0)
        m[c], m[pivot] = m[pivot], m[c]
        d = m[c][c]
        m[c] = [e / d for e in m[c]]
        for r in range(n):
            if r != c and m[r][c] != 0:
                f = m[r][c]
                m[r] = [e - f * g for e, g in zip(m[r], m[c])]
    return [row[n:] for row in m]


def moments(t):
    w = [F(1 / (vi + t)) for vi in v]
    xtwx = [[sum(w[i] * x[i][a] * x[i][b] for i in range(k)) for b in range(p)] for a in range(p)]
    xt = [[x[i][a] for i in range(k)] for a in range(p)]
    c_xt = solve(xtwx, xt)  # (X'WX)^-1 X', p x k
    proj = [[(w[i] if i == j else 0) - w[i] * sum(x[i][a] * c_xt[a][j] for a in range(p)) * w[j]
             for j in range(k)] for i in range(k)]
    yy = [F(e) for e in y]
    py = [sum(proj[i][j] * yy[j] for j in range(k)) for i in range(k)]
    ppy = [sum(proj[i][j] * py[j] for j in range(k)) for i in range(k)]
    q = sum(a * b for a, b in zip(yy, py))
    qpp = sum(e * e for e in py)
    qppp = sum(a * b for a, b in zip(py, ppy))
    tr_p = sum(proj[i][i] for i in range(k))
    tr_pp = sum(proj[i][j] * proj[j][i] for i in range(k) for j in range(k))
    return q, qpp, qppp, tr_p, tr_pp


for t in (0.0, 0.1):
    values = moments(t)
    print(f"t = {t}: " + ", ".join(repr(float(e)) for e in values))
