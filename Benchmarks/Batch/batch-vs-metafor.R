# metafor's side of the batch benchmark (Benchmarks/Batch/batch-vs-metafor.sh): the same collection looped in one R
# session, each analysis as `metaswift batch` does it by default: rma(REML, test = "knha"), predict() (PI) and
# confint() (Q-profile CI of tau^2). Also checks MetaSwift's answers against metafor on the first analyses.
#   Rscript batch-vs-metafor.R generate <collection.csv> <analyses>
#   Rscript batch-vs-metafor.R time <collection.csv> <analyses to time> <metaswift output.csv>
suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
if (args[1] == "generate") {
  # k uniform on 5..60, vi uniform on (0.01, 0.2), true effects N(0.3, 0.05): seeded, so both sides read the same bytes.
  set.seed(22)
  n <- as.integer(args[3])
  k <- sample(5:60, n, replace = TRUE)
  id <- rep(sprintf("a%05d", seq_len(n)), k)
  vi <- runif(sum(k), 0.01, 0.2)
  yi <- rnorm(sum(k), 0.3, sqrt(0.05 + vi))
  write.csv(data.frame(id = id, yi = signif(yi, 10), vi = signif(vi, 10)), args[2], row.names = FALSE, quote = FALSE)
  quit(save = "no")
}
d <- read.csv(args[2])
groups <- split(d, factor(d$id, levels = unique(d$id)))
n <- min(as.integer(args[3]), length(groups))
# A fit metafor cannot do (its Fisher scoring does not converge) is an error row for it, as in a batch: counted.
one <- function(g) tryCatch({
  r <- rma(yi, vi, data = g, method = "REML", test = "knha")
  list(r = r, p = predict(r), ci = confint(r))
}, error = function(e) NULL)
start <- proc.time()
failed <- 0
for (i in seq_len(n)) if (is.null(one(groups[[i]]))) failed <- failed + 1
spent <- proc.time() - start
elapsed <- spent[["elapsed"]]
cpu <- spent[["user.self"]] + spent[["sys.self"]]
cat(sprintf("metafor %s: %d analyses in %.2f s (%.2f ms each), CPU %.2f s (%.2f ms each), %d failed; %d analyses in the collection\n",
            as.character(packageVersion("metafor")), n, elapsed, 1e3 * elapsed / n, cpu, 1e3 * cpu / n, failed, length(groups)))
# Answers: MetaSwift's CSV against metafor on the first 200 analyses. metafor converges REML to 1e-5 on tau^2, so the
# estimates are compared at 1e-4 relative; its confint stops uniroot at the default tolerance (2^-13 absolute on tau^2,
# documented in ModelInputOptions.intervalOptions), so the Q-profile bounds are compared at 2^-13 absolute.
s <- read.csv(args[4], check.names = FALSE)
worst <- 0
worst_ci <- 0
for (i in seq_len(min(200, n))) {
  f <- one(groups[[i]])
  if (is.null(f)) next
  row <- s[s$id == names(groups)[i], ]
  ours <- c(row$beta, row$se, row$tau2, row[["predict.pi_lb"]], row[["predict.pi_ub"]])
  theirs <- c(f$r$beta, f$r$se, f$r$tau2, f$p$pi.lb, f$p$pi.ub)
  worst <- max(worst, abs(ours - theirs) / pmax(abs(theirs), 1))
  ci <- c(row[["confint.tau2.lb"]], row[["confint.tau2.ub"]]) - c(f$ci$random["tau^2", "ci.lb"], f$ci$random["tau^2", "ci.ub"])
  worst_ci <- max(worst_ci, abs(ci))
}
cat(sprintf("answers (first %d analyses): beta, se, tau2 and PI worst difference (relative above 1, absolute below) %.1e; Q-profile tau2 CI worst absolute difference %.1e (%s)\n",
            min(200, n), worst, worst_ci, if (worst < 1e-4 && worst_ci < 2^-13) "agree" else "DIFFER"))
