#!/usr/bin/env python3
"""Reference values for WeightedChiSquaredSum.cdf: P(sum_j lambda_j X_j <= x), X_j iid chi-square(1).

Run once (needs `pip install mpmath`); the output, weighted_chisq.json, is committed and read by
Tests/MetaNumericsTests/WeightedChiSquaredSumTests.swift, so CI never needs Python.

Weight sets with k = 10, 160 and 1000 weights (exact doubles, written to the file). For each set, points
x = mu + z sigma (mu = sum lambda, sigma = sqrt(2 sum lambda^2); z from -4 to 5, positive x only).

Each cdf value is computed twice in mpmath at 120 significant digits, by Ruben's (1962) mixture expansion
with two different expansion points:
  * beta = 2/(1/lambda_min + 1/lambda_max): coefficients of both signs (catastrophic cancellation in double
    precision, harmless at 120 digits), geometric convergence with ratio (lmax-lmin)/(lmax+lmin);
  * beta = lambda_min: non-negative coefficients (the expansion MetaSwift evaluates in double precision).
The two must agree to 1e-40 relative (and the truncated tail of the second be below 1e-40 of the sum), or the
script stops. The survival function 1 - cdf is formed at 120 digits, so it is exact to far beyond double.
"""
import json
import math
import sys

import mpmath as mp

mp.mp.dps = 120


def coefficients(weights, beta, enough):
    """Ruben's mixture coefficients c_0, c_1, ... about beta, until enough(c) says stop."""
    lam = [mp.mpf(w) for w in weights]
    gam = [1 - beta / l for l in lam]
    pw = list(gam)
    c = [mp.fprod([mp.sqrt(beta / l) for l in lam])]
    g = [mp.mpf(0)]
    i = 0
    while not enough(c):
        i += 1
        g.append(mp.fsum(pw))
        pw = [p * q for p, q in zip(pw, gam)]
        c.append(mp.fsum(g[i - r] * c[r] for r in range(i)) / (2 * i))
        if i > 100000:
            raise RuntimeError("no convergence")
    return c


def ruben_cdf(n, c, beta, x):
    """sum_i c_i P(chi2_{n+2i} <= x/beta), with P(chi2_{m+2} <= y) = P(chi2_m <= y) - h_m (exact enough at 120 digits)."""
    y = mp.mpf(x) / beta
    a = mp.mpf(n) / 2
    f = mp.gammainc(a, 0, y / 2, regularized=True)
    h = mp.exp(-y / 2 + a * mp.log(y / 2) - mp.loggamma(a + 1))
    total = mp.mpf(0)
    for ci in c:
        total += ci * f
        f -= h
        a += 1
        h *= (y / 2) / a
    return total, f  # f: F at the first omitted term


def weight_sets():
    sets = []
    k10 = [0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.0, 1.3, 2.0, 3.1]
    sets.append(("k10", k10))
    # 160 weights spread over a factor 40, like the eigenvalues of a generalized Q for 160 studies
    sets.append(("k160", [float(0.0015 + 0.0585 * (j / 159.0) ** 2) for j in range(160)]))
    # 1000 weights log-spaced over a factor 10
    sets.append(("k1000", [float(0.1 * 10 ** (j / 999.0)) for j in range(1000)]))
    return sets


def main():
    out = {"description": __doc__.strip().split("\n")[0], "sets": []}
    for name, w in weight_sets():
        mu = math.fsum(w)
        sigma = math.sqrt(2 * math.fsum(v * v for v in w))
        lmin, lmax = min(w), max(w)
        points = []
        xs = [float(mu + z * sigma) for z in [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5] if mu + z * sigma > 0]
        n = len(w)
        tol = mp.mpf("1e-60")
        b_mixed = 2 / (1 / mp.mpf(lmin) + 1 / mp.mpf(lmax))
        b_min = mp.mpf(lmin)
        # mixed: |c_i| decays geometrically; lambda_min: c_i >= 0 sum to 1 -- stop when the rest is negligible and
        # the chi-square probabilities at the largest x have also become negligible (F_i decreasing in i).
        y_max = max(xs) / b_min
        c_mixed = coefficients(w, b_mixed, lambda c: len(c) > 50 and abs(c[-1]) < tol * 1e-10 and abs(c[-1]) <= abs(c[-2]))
        c_min = coefficients(w, b_min, lambda c: len(c) > 50 and (mp.fsum(c) > 1 - tol or n + 2 * len(c) > y_max + 60 * mp.sqrt(y_max) + 400))
        print(name, "terms", len(c_mixed), len(c_min), file=sys.stderr)
        for x in xs:
            cdf_a, _ = ruben_cdf(n, c_mixed, b_mixed, x)
            cdf_b, f_rest = ruben_cdf(n, c_min, b_min, x)
            rest = f_rest * (1 - mp.fsum(c_min))  # tail after the last term <= F_next * remaining mass
            if abs(cdf_a - cdf_b) > mp.mpf("1e-40") * abs(cdf_b) or rest > mp.mpf("1e-40") * cdf_b:
                sys.exit(f"{name} x={x}: expansions disagree: {cdf_a} vs {cdf_b} (rest bound {rest})")
            sf = 1 - cdf_b
            points.append({"x": x, "cdf": float(cdf_b), "sf": float(sf)})
            print(name, x, mp.nstr(cdf_b, 25), mp.nstr(sf, 25), mp.nstr(abs(cdf_a - cdf_b) / cdf_b, 3), file=sys.stderr)
        out["sets"].append({"name": name, "weights": w, "points": points})
    with open(__file__.replace("make_weighted_chisq.py", "weighted_chisq.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
