# Three-level REML (issue 19 item 2): seeded datasets as the bank's `performance` group, and metafor's rma.mv timed on them.
#   Rscript multilevel-vs-metafor.R generate OUT.csv K CLUSTERS SEED
#   Rscript multilevel-vs-metafor.R time FILE.csv RUNS SPARSE -> one line: k, median elapsed and CPU (s) of
#     rma.mv(sparse = SPARSE) over RUNS fits, sigma2, beta
args <- commandArgs(trailingOnly = TRUE)
make_data <- function(k, clusters, seed) {  # the bank's recipe (conformance-mv README, "Regenerating the performance datasets")
  set.seed(seed, kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")
  m <- k / clusters
  cluster <- rep(seq_len(clusters), each = m)
  obs <- rep(seq_len(m), times = clusters)
  ni <- sample(20:200, k, replace = TRUE)
  vi <- round(4 / ni, 6)
  u <- rnorm(clusters, 0, sqrt(0.05))
  w <- rnorm(k, 0, sqrt(0.02))
  e <- rnorm(k, 0, sqrt(vi))
  yi <- round(0.3 + u[cluster] + w + e, 6)
  data.frame(cluster = cluster, obs = obs, ni = ni, yi = yi, vi = vi)
}
if (args[1] == "generate") {
  d <- make_data(as.numeric(args[3]), as.numeric(args[4]), as.numeric(args[5]))
  write.csv(d, args[2], row.names = FALSE)
} else {
  suppressMessages(library(metafor))
  d <- read.csv(args[2])
  runs <- as.integer(args[3])
  sparse <- as.logical(args[4])
  elapsed <- numeric(runs)
  cpu <- numeric(runs)
  for (r in seq_len(runs)) {
    t <- system.time(fit <- rma.mv(yi, vi, random = ~ 1 | cluster/obs, data = d, sparse = sparse))
    elapsed[r] <- t[["elapsed"]]
    cpu[r] <- t[["user.self"]] + t[["sys.self"]]
  }
  cat(sprintf("metafor %s rma.mv(sparse=%s) k=%d: median %.3f s wall, %.3f s CPU of %d (wall %s; CPU %s); sigma2 %.10g %.10g beta %.10g\n",
              packageVersion("metafor"), sparse, nrow(d), median(elapsed), median(cpu), runs,
              paste(sprintf("%.3f", elapsed), collapse = " "), paste(sprintf("%.3f", cpu), collapse = " "),
              fit$sigma2[1], fit$sigma2[2], fit$b[1]))
}
