# Runs the comparison workloads in R/metafor on the same data as the Swift runner, checks that the answers
# agree, and prints a Markdown table of medians and ratios. Called by compare-metafor.sh:
#   Rscript compare-metafor.R <swift.json> <Benchmarks/Data> <metafor-baseline.json or "">
suppressPackageStartupMessages({ library(metafor); library(boot); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
swift <- fromJSON(args[1])
datadir <- args[2]
baseline <- if (length(args) >= 3 && nzchar(args[3]) && file.exists(args[3])) fromJSON(args[3], simplifyVector = FALSE) else NULL
sim <- function(k) read.csv(file.path(datadir, sprintf("sim_k%d.csv", k)))

# Median wall-clock seconds of `expr`: batches of `batch` calls (the timer resolution is ~1 ms), `runs` batches.
timeit <- function(f, runs = 5, batch = 1) {
  f()
  t <- replicate(runs, { s <- proc.time()[["elapsed"]]; for (i in seq_len(batch)) f(); (proc.time()[["elapsed"]] - s) / batch })
  median(t)
}
baseline_time <- function(label) {
  if (is.null(baseline)) return(NA_real_)
  for (r in baseline$main$results) if (identical(r$label, label)) return(as.numeric(r$median))
  NA_real_
}

rows <- list()
checks <- character()
add <- function(what, r_time, r_note, id, check) {
  s <- swift[[id]]
  s_time <- if (is.null(s)) NA_real_ else s$median
  s_cpu <- if (is.null(s) || is.null(s$cpu_per_run)) NA_real_ else s$cpu_per_run
  rows[[length(rows) + 1]] <<- data.frame(what = what, metafor = r_time, note = r_note, metaswift = s_time, cpu = s_cpu, check = check)
}
fmt <- function(x) {
  if (is.na(x)) return("—")
  if (x >= 1) sprintf("%.2f s", x) else if (x >= 1e-3) sprintf("%.2f ms", x * 1e3) else sprintf("%.1f µs", x * 1e6)
}
close_to <- function(a, b, tol) all(abs(a - b) <= tol * pmax(1, abs(b)))

tight <- list(threshold = 1e-12, maxiter = 1000)
for (k in c(60, 1000)) {
  d <- sim(k)
  for (m in c("REML", "DL")) {
    id <- sprintf("fit_%s_k%d", m, k)
    r_time <- timeit(function() rma(yi, vi, data = d, method = m), runs = if (k == 60) 15 else 5, batch = if (k == 60) 20 else 1)
    ref <- rma(yi, vi, data = d, method = m, control = tight)
    a <- swift[[id]]$answers
    ok <- close_to(c(a$beta, a$se, a$tau2), c(ref$beta, ref$se, ref$tau2), if (m == "DL") 1e-10 else 1e-7)
    add(sprintf("rma(method=\"%s\"), k = %d", m, k), r_time, "measured now", id, if (ok) "agree" else "DIFFER")
  }
}
add("rma(method=\"DL\"), k = 10,000", baseline_time("rma(method=\"DL\"), k = 10000"), "baseline (O(k²) memory)", "fit_DL_k10000", "—")
for (k in c(100000, 1000000)) for (m in c("REML", "DL")) {
  id <- sprintf("fit_%s_k%d", m, k)
  add(sprintf("rma(method=\"%s\"), k = %s", m, formatC(k, format = "d", big.mark = ",")), NA_real_,
      "metafor cannot: dense k×k matrix (74.5 GiB at k = 100,000)", id, "—")
}

# Bootstrap: metafor's time from the baseline (71 s); the answers are checked on a live R = 1000 run against
# the 10,000 Swift replicates (different random numbers: Monte Carlo agreement of mean and SD of beta* and tau2*).
d60 <- sim(60)
stat <- function(data, idx) {
  r <- tryCatch(rma(yi, vi, data = data[idx, ], method = "REML"), error = function(e) NULL)
  if (is.null(r)) c(NA, NA) else c(as.numeric(r$beta), r$tau2)
}
set.seed(42)
b <- boot(d60, stat, R = 1000)
a <- swift[["bootstrap_REML_B10000_k60"]]$answers
mc <- function(sw_mean, sw_sd, r) abs(sw_mean - mean(r, na.rm = TRUE)) <= 4 * sqrt(sw_sd^2 / 10000 + sd(r, na.rm = TRUE)^2 / 1000)
ok <- !is.null(a) && mc(a$mean_beta, a$sd_beta, b$t[, 1]) && mc(a$mean_tau2, a$sd_tau2, b$t[, 2]) &&
  abs(a$sd_beta / sd(b$t[, 1]) - 1) < 0.15 && abs(a$sd_tau2 / sd(b$t[, 2], na.rm = TRUE) - 1) < 0.15
add("boot::boot case resampling, REML k = 60, R = 10,000", baseline_time("boot::boot case resampling, REML k = 60, R = 10000"),
    "baseline", "bootstrap_REML_B10000_k60", if (ok) "agree (Monte Carlo)" else "DIFFER")

# Permutation tests: timed live (one or two runs of ~6 s each); p-values agree within Monte Carlo error.
pcheck <- function(ps, pr) abs(ps - pr) <= 4 * sqrt(max(pr * (1 - pr), 1e-3) * 2 / 1000) + 1e-3
res <- rma(yi, vi, mods = ~ xi, data = d60, method = "REML")
set.seed(42)
r_time <- timeit(function() permutest(res, iter = 1000, progbar = FALSE), runs = 2)
set.seed(42)
pm <- permutest(res, iter = 1000, progbar = FALSE)
a <- swift[["permutest_mods_REML_1000_k60"]]$answers
ok <- !is.null(a) && abs(a$zval_xi - rma(yi, vi, mods = ~ xi, data = d60, method = "REML", control = tight)$zval[2]) < 1e-7 &&
  pcheck(a$pval_xi, pm$pval[2]) && pcheck(a$QMp, pm$QMp)
add("permutest(res, iter = 1000), REML k = 60, one moderator", r_time, "measured now", "permutest_mods_REML_1000_k60",
    if (ok) "agree (Monte Carlo)" else "DIFFER")
res0 <- rma(yi, vi, data = d60, method = "REML")
set.seed(42)
r_time <- timeit(function() permutest(res0, iter = 1000, progbar = FALSE), runs = 2)
a <- swift[["permutest_signs_REML_1000_k60"]]$answers
set.seed(42)
p0 <- permutest(res0, iter = 1000, progbar = FALSE)
ok <- !is.null(a) && abs(a$zval - rma(yi, vi, data = d60, method = "REML", control = tight)$zval) < 1e-7 && pcheck(a$pval, p0$pval)
add("permutest(res, iter = 1000), REML k = 60, no moderator (sign flips)", r_time, "measured now", "permutest_signs_REML_1000_k60",
    if (ok) "agree (Monte Carlo)" else "DIFFER")

# Leave-one-out at k = 1000: metafor's times from the baseline (372–435 s); answers checked on the first
# and last deletions (two refits of k = 999).
d1000 <- sim(1000)
for (m in c("REML", "DL")) {
  id <- sprintf("leave1out_%s_k1000", m)
  a <- swift[[id]]$answers
  f1 <- rma(yi, vi, data = d1000[-1, ], method = m, control = tight)
  fk <- rma(yi, vi, data = d1000[-1000, ], method = m, control = tight)
  tol <- if (m == "DL") 1e-10 else 1e-7
  ok <- !is.null(a) && close_to(c(a$first_beta, a$first_tau2, a$last_beta, a$last_tau2), c(f1$beta, f1$tau2, fk$beta, fk$tau2), tol)
  add(sprintf("leave1out(res), %s k = 1000", m), baseline_time(sprintf("leave1out(res), %s k = 1000", m)), "baseline", id,
      if (ok) "agree (first, last)" else "DIFFER")
}
d15 <- sim(15)
res15 <- rma(yi, vi, data = d15, method = "DL")
r_time <- timeit(function() gosh(res15, progbar = FALSE), runs = 3)
g15 <- gosh(res15, progbar = FALSE)
a <- swift[["gosh_DL_k15"]]$answers
ok <- !is.null(a) && a$subsets == nrow(g15$res) && abs(a$mean_estimate - mean(g15$res$estimate)) < 1e-10
add("gosh(res), DL k = 15 (all 32,767 subsets)", r_time, "measured now", "gosh_DL_k15", if (ok) "agree (mean estimate)" else "DIFFER")
add("gosh(res, subsets = 2^20), DL k = 20 (all 1,048,575 subsets)",
    baseline_time("gosh(res, subsets = 2^20), DL k = 20 (all 1048575 subsets)"), "baseline", "gosh_DL_k20", "—")
t <- do.call(rbind, rows)
cat("| workload | metafor (median) | source of metafor time | MetaSwift (median wall) | ratio | MetaSwift CPU per run (all threads) | answers |\n")
cat("|---|---|---|---|---|---|---|\n")
for (i in seq_len(nrow(t))) {
  r <- t[i, ]
  ratio <- if (is.na(r$metafor) || is.na(r$metaswift)) "—" else sprintf("%s×", format(round(r$metafor / r$metaswift), big.mark = ","))
  cat(sprintf("| %s | %s | %s | %s | %s | %s | %s |\n", r$what, fmt(r$metafor), r$note, fmt(r$metaswift), ratio, fmt(r$cpu), r$check))
}
if (any(t$check == "DIFFER")) quit(status = 1)
