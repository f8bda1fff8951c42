#!/usr/bin/env python3
"""Reference values for MetaNumerics' special functions and distributions.

Run once (needs `pip install mpmath`); the output, distributions.csv, is committed and read by
Tests/MetaNumericsTests/DistributionFixtureTests.swift, so CI never needs Python.

Every value is computed by mpmath at 60 significant digits from the exact double inputs written in the
file, then rounded once to the nearest double. Tails are computed as tails (never as 1 - cdf), quantiles
by solving the high-precision cdf/survival equation. Values below 1e-300 (subnormal range) are left out.

Columns: function, p1, p2, x, value   (p1/p2 = parameters; unused ones are 0)
"""
import csv
import sys

import mpmath as mp
import scipy.stats  # only for starting points of the quantile searches

mp.mp.dps = 60
rows = []


def emit(function, p1, p2, x, value):
    if callable(value):
        try:
            value = value()
        except (mp.libmp.libhyper.NoConvergence, ValueError, ZeroDivisionError):
            # Points whose value underflows far below 1e-300 defeat mpmath's adaptive precision; skip them.
            return
    v = float(value)
    if v != 0 and abs(v) < 1e-300:
        return
    if v != v or v in (float("inf"), float("-inf")):
        return
    rows.append((function, repr(float(p1)), repr(float(p2)), repr(float(x)), repr(v)))


def F(x):
    return mp.mpf(float(x))


def solve(function, target, start, positive=True):
    """Root of function(x) = target (monotone), started from a double estimate."""
    target = F(target)
    if positive:
        g = lambda u: mp.log(function(mp.exp(u))) - mp.log(target)
        u = mp.findroot(g, mp.log(F(start)), tol=mp.mpf(10) ** -50)
        return mp.exp(u)
    g = lambda x: function(x) - target
    return mp.findroot(g, F(start), tol=mp.mpf(10) ** -50)


# ---- log-gamma -------------------------------------------------------------------------------------
for x in [1e-300, 1e-8, 0.1, 0.5, 0.9, 0.999, 1.0001, 1.5, 1.9999, 2.0001, 2.5, 3, 7.7, 10, 100.5, 1e4, 1e8,
          1e15, 1e300, -0.5, -2.5, -10.3]:
    emit("logGamma", 0, 0, x, mp.log(abs(mp.gamma(F(x)))))

# ---- incomplete gamma and beta, directly --------------------------------------------------------------
def _gamma_p_series(a, x):
    """P(a, x) = x^a e^-x / Gamma(a + 1) * 1F1(1; a + 1; x), at 400 digits (for when gammainc gives up)."""
    with mp.workdps(400):
        a, x = mp.mpf(a), mp.mpf(x)
        return mp.exp(a * mp.log(x) - x - mp.loggamma(a + 1)) * mp.hyp1f1(1, a + 1, x, maxterms=10**7)


def gamma_p(a, x):
    try:
        return mp.gammainc(mp.mpf(a), 0, mp.mpf(x), regularized=True)
    except mp.libmp.libhyper.NoConvergence:
        return _gamma_p_series(a, x)


def gamma_q(a, x):
    try:
        return mp.gammainc(mp.mpf(a), mp.mpf(x), mp.inf, regularized=True)
    except mp.libmp.libhyper.NoConvergence:
        with mp.workdps(400):
            return 1 - _gamma_p_series(a, x)


def beta_i(a, b, x):
    return mp.betainc(F(a), F(b), 0, F(x), regularized=True)


def beta_ic(a, b, x):
    # 1 - I_x(a, b) = I_{1-x}(b, a); 1 - x is exact at this precision.
    return mp.betainc(F(b), F(a), 0, 1 - F(x), regularized=True)


for a in [1e-3, 0.1, 0.5, 1, 2.5, 9.5, 10, 30, 100, 1000, 1e5]:
    for m in [1e-6, 0.01, 0.3, 0.9, 0.99, 1, 1.01, 1.1, 2, 5, 20]:
        x = a * m
        emit("gammaP", a, 0, x, lambda: gamma_p(a, x))
        emit("gammaQ", a, 0, x, lambda: gamma_q(a, x))

for a, b in [(0.5, 0.5), (0.5, 5), (5, 0.5), (1, 1), (2.5, 7.5), (8, 8), (10, 3), (50, 0.5), (0.5, 5e5),
             (500, 700), (1e4, 1e4), (3e4, 20), (1e-3, 2)]:
    mean = a / (a + b)
    for x in [1e-10, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999, 1 - 1e-8, mean * 0.9, mean, min(0.999999, mean * 1.1)]:
        emit("betaI", a, b, x, lambda: beta_i(a, b, x))
        emit("betaIc", a, b, x, lambda: beta_ic(a, b, x))

# ---- normal -------------------------------------------------------------------------------------------
def norm_cdf(x):
    return mp.ncdf(F(x))


def norm_sf(x):
    return mp.ncdf(-F(x))


for x in [-38, -37, -20, -10, -5, -1.96, -1, -1e-8, 0, 1e-8, 0.5, 1.96, 5, 10, 20, 37, 38]:
    emit("normalCdf", 0, 0, x, norm_cdf(x))
    emit("normalSurvival", 0, 0, x, norm_sf(x))
    emit("normalDensity", 0, 0, x, mp.npdf(F(x)))

PROBABILITIES = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.05, 0.1, 0.25, 0.4, 0.4999999999, 0.5,
                 0.5000001, 0.6, 0.75, 0.9, 0.95, 0.975, 0.999, 1 - 1e-10]


for p in PROBABILITIES:
    if p == 0.5:
        emit("normalQuantile", 0, 0, p, 0)
        continue
    q = min(p, 1 - p)  # exact: 1 - p has no rounding for p >= 1/2
    start = -float(scipy.stats.norm.ppf(q))
    if q < 0.25:
        s = solve(lambda s: mp.ncdf(-s), q, start)
    else:
        s = solve(lambda s: mp.ncdf(s) - mp.mpf(1) / 2, mp.mpf(1) / 2 - F(q), start)
    emit("normalQuantile", 0, 0, p, s if p > 0.5 else -s)


# ---- Student t ----------------------------------------------------------------------------------------
def t_tail(nu, s):
    """P(T > s) for s >= 0."""
    nu, s = F(nu), mp.mpf(s)
    return mp.betainc(nu / 2, mp.mpf(1) / 2, 0, nu / (nu + s * s), regularized=True) / 2


def t_central(nu, s):
    """P(0 < T < s) for s >= 0."""
    nu, s = F(nu), mp.mpf(s)
    return mp.betainc(mp.mpf(1) / 2, nu / 2, 0, s * s / (nu + s * s), regularized=True) / 2


def t_cdf(nu, t):
    t = F(t)
    return t_tail(nu, -t) if t < 0 else mp.mpf(1) / 2 + t_central(nu, t)


def t_pdf(nu, t):
    nu, t = F(nu), F(t)
    return mp.exp(mp.loggamma((nu + 1) / 2) - mp.loggamma(nu / 2)) / mp.sqrt(nu * mp.pi) * (1 + t * t / nu) ** (-(nu + 1) / 2)


T_DF = [0.5, 1, 1.5, 2, 2.5, 3, 4.7, 5, 10, 29.5, 100, 1000, 1e5, 1e7]
for nu in T_DF:
    for t in [-1e10, -1e3, -50, -10, -5, -3, -2, -1, -0.5, -0.1, -1e-5, 0, 0.1, 1, 2.5, 7, 40, 1e4]:
        emit("tCdf", nu, 0, t, lambda: t_cdf(nu, t))
        emit("tSurvival", nu, 0, t, lambda: t_cdf(nu, -F(t)))
        emit("tDensity", nu, 0, t, t_pdf(nu, t))
    for p in PROBABILITIES:
        if p == 0.5:
            emit("tQuantile", nu, 0, p, 0)
            continue
        q = min(p, 1 - p)
        try:
            import scipy.stats
            start = abs(float(scipy.stats.t.ppf(q, nu)))
            if not (start > 0 and start < 1e300):
                start = 1.0
        except Exception:
            start = 1.0
        if q < 0.25:
            s = solve(lambda s: t_tail(nu, s), q, start)
        else:
            s = solve(lambda s: t_central(nu, s), mp.mpf(1) / 2 - F(q), start)
        emit("tQuantile", nu, 0, p, s if p > 0.5 else -s)

# ---- chi-squared ----------------------------------------------------------------------------------------
def chisq_cdf(nu, x):
    return gamma_p(F(nu) / 2, mp.mpf(x) / 2)


def chisq_sf(nu, x):
    return gamma_q(F(nu) / 2, mp.mpf(x) / 2)


def chisq_pdf(nu, x):
    nu, x = F(nu), F(x)
    return mp.exp((nu / 2 - 1) * mp.log(x) - x / 2 - (nu / 2) * mp.log(2) - mp.loggamma(nu / 2))


CHI_DF = [0.5, 1, 1.5, 2, 3, 5, 7.3, 10, 20, 50, 100, 1000, 1e5]
for nu in CHI_DF:
    xs = [nu * m for m in [1e-10, 1e-3, 0.1, 0.5, 0.9, 1, 1.1, 2, 5, 10, 50]] + [1, 3.84, 100, 700, 1000, 1400]
    for x in xs:
        emit("chiSquaredCdf", nu, 0, x, lambda: chisq_cdf(nu, x))
        emit("chiSquaredSurvival", nu, 0, x, lambda: chisq_sf(nu, x))
        emit("chiSquaredDensity", nu, 0, x, chisq_pdf(nu, x))
    import scipy.stats
    for p in PROBABILITIES:
        start = float(scipy.stats.chi2.ppf(p, nu))
        if not (start > 0 and start < 1e300):
            start = nu
        if p <= 0.5:
            x = solve(lambda x: chisq_cdf(nu, x), p, start)
        else:
            x = solve(lambda x: chisq_sf(nu, x), 1 - F(p), start)
        emit("chiSquaredQuantile", nu, 0, p, x)
    for q in [1e-300, 1e-200, 1e-50, 1e-16]:
        start = float(scipy.stats.chi2.isf(q, nu))
        x = solve(lambda x: chisq_sf(nu, x), q, start if start > 0 else nu)
        emit("chiSquaredInverseSurvival", nu, 0, q, x)

# ---- F ------------------------------------------------------------------------------------------------
def f_args(d1, d2, f):
    d1, d2, f = F(d1), F(d2), mp.mpf(f)
    return d1 / 2, d2 / 2, d1 * f / (d1 * f + d2), d2 / (d1 * f + d2)


def f_cdf(d1, d2, f):
    a, b, x, y = f_args(d1, d2, f)
    return mp.betainc(a, b, 0, x, regularized=True)


def f_sf(d1, d2, f):
    a, b, x, y = f_args(d1, d2, f)
    return mp.betainc(b, a, 0, y, regularized=True)


def f_pdf(d1, d2, f):
    a, b, x, y = f_args(d1, d2, f)
    return mp.exp(a * mp.log(x) + b * mp.log(y) - mp.log(mp.beta(a, b))) / mp.mpf(f)


F_DF = [(1, 1), (1, 10), (2, 5), (3, 27), (5, 2), (10, 10), (0.7, 3.3), (4, 100), (20, 1000), (100, 100),
        (1, 1e6), (2.5, 40.5)]
for d1, d2 in F_DF:
    for f in [1e-8, 0.01, 0.1, 0.5, 1, 1.5, 3, 10, 100, 1e4, 1e8]:
        emit("fCdf", d1, d2, f, lambda: f_cdf(d1, d2, f))
        emit("fSurvival", d1, d2, f, lambda: f_sf(d1, d2, f))
        emit("fDensity", d1, d2, f, f_pdf(d1, d2, f))
    import scipy.stats
    for p in PROBABILITIES:
        start = float(scipy.stats.f.ppf(p, d1, d2))
        if not (start > 0 and start < 1e300):
            continue
        if p <= 0.5:
            x = solve(lambda x: f_cdf(d1, d2, x), p, start)
        else:
            x = solve(lambda x: f_sf(d1, d2, x), 1 - F(p), start)
        emit("fQuantile", d1, d2, p, x)

out = sys.argv[1] if len(sys.argv) > 1 else "distributions.csv"
with open(out, "w", newline="") as handle:
    handle.write("# Generated by make_distributions.py with mpmath %s at %d digits. Do not edit.\n" % (mp.__version__, mp.mp.dps))
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["function", "p1", "p2", "x", "value"])
    writer.writerows(rows)
print(len(rows), "rows ->", out)
