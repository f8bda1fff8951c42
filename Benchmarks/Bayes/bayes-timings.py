#!/usr/bin/env python3
"""Times `metaswift bayes` (release build) on every case of the v5b bank's bayesmeta group (issue 23 item 2).

Each case's prior, measure and data become the command's flags (bmr cases: --mods); the command prints the whole
JSON report (posterior summaries, intervals, densities on the bank's grids are not requested: the CLI's default
report). CPU time per run (user + system of the child process, from getrusage) is the number that does not depend
on what else runs on the machine; wall time is printed beside it. Accuracy is not measured here: the conformance
tests compare every case with the bank's converged reference (expected_tight) at 1e-7.

bayesmeta itself is timed only where R has it (`library(bayesmeta)`): it has no Debian package and CRAN was not
reachable when this was written, so this script times MetaSwift alone and says so.

Usage: Benchmarks/Bayes/bayes-timings.py [runs per case, default 5]   (after `make build`)
"""
import glob, json, os, resource, statistics, subprocess, sys, time

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
bank = os.path.join(root, "Tests", "ConformanceTests", "BankV5b")
metaswift = os.environ.get("METASWIFT", os.path.join(root, ".build", "release", "metaswift"))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def tau_prior(p):
    f = p["family"]
    simple = {"Jeffreys": "jeffreys", "conventional": "conventional", "shrinkage": "shrinkage",
              "DuMouchel": "dumouchel", "I2": "i2"}
    if f in simple: return simple[f]
    if f == "halfnormal": return f"half-normal:{p['scale']}"
    if f == "halfcauchy": return f"half-cauchy:{p['scale']}"
    if f == "halft": return f"half-t:{p['df']}:{p['scale']}"
    if f == "uniform": return f"uniform:{p['upper']}"
    if f == "exponential": return f"exponential:{p['rate']}"
    if f == "lognormal": return f"lognormal:{p['tau2_meanlog']}:{p['tau2_sdlog']}"
    if f == "logt5": return f"log-t5:{p['tau2_location']}:{p['tau2_scale']}"
    raise SystemExit(f"unknown prior family {f}")


def command(case):
    o = case["options"]
    args = [metaswift, "bayes", "--data", os.path.join(bank, case["input"]), "--tau-prior", tau_prior(o["tau_prior"]),
            "--format", "json"]
    if o.get("measure") not in (None, "GEN"): args += ["--measure", o["measure"]]
    if o.get("mu_prior"): args += ["--mu-prior", f"normal:{o['mu_prior']['mean']}:{o['mu_prior']['sd']}"]
    if case["analysis"] == "bmr": args += ["--mods", case["id"].split("_x_")[1].split("_")[0]]
    return args


def timed(args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0: raise SystemExit(f"{' '.join(args)}: {r.stderr.decode()}")
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


cases = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(bank, "cases", "bayesmeta", "*.json")))]
print(f"load before: {open('/proc/loadavg').read().strip()}; {len(cases)} cases, {runs} runs each; {metaswift}")
rows = []
for case in cases:
    t = [timed(command(case)) for _ in range(runs)]
    cpu, wall = statistics.median(x[0] for x in t), statistics.median(x[1] for x in t)
    rows.append((case["id"], cpu, wall))
    print(f"{case['id']:<55} cpu {1000 * cpu:7.1f} ms  wall {1000 * wall:7.1f} ms")
cpus = sorted(r[1] for r in rows)
print(f"load after: {open('/proc/loadavg').read().strip()}")
print(f"per case (median of {runs} runs): CPU median {1000 * statistics.median(cpus):.1f} ms, "
      f"max {1000 * cpus[-1]:.1f} ms ({max(rows, key=lambda r: r[1])[0]}), total {sum(cpus):.2f} s for {len(rows)} cases")
start = resource.getrusage(resource.RUSAGE_CHILDREN)
subprocess.run([metaswift, "--version"], stdout=subprocess.DEVNULL)
end = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"process start (metaswift --version): {1000 * (end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime):.1f} ms CPU")
