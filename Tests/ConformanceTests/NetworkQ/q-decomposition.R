suppressMessages({library(metafor); library(jsonlite)})
bank <- "../BankMV"   # run from this folder
cat("dataset,Q_total,Q_within_designs,df_within_designs\n")
for (ds in c("hasselblad1998", "senn2013")) {
  c <- fromJSON(file.path(bank, "cases/rma_mv_network", paste0(ds, "_nma_EE.json")), simplifyVector = FALSE)
  dat <- read.csv(file.path(bank, "data", paste0(ds, ".csv")))
  k <- nrow(dat); V <- diag(dat$vi)
  for (b in c$options$V$blocks) { r <- unlist(b$rows); m <- do.call(rbind, lapply(b$matrix, unlist)); V[r, r] <- m }
  t1 <- if (ds == "senn2013") dat$treatment1 else dat$trt1
  t2 <- if (ds == "senn2013") dat$treatment2 else dat$trt2
  # design-specific contrast coding: within each design, columns for its treatments but the first (sorted)
  X <- NULL
  for (d in sort(unique(dat$design))) {
    rows <- dat$design == d
    arms <- sort(unique(c(t1[rows], t2[rows])))
    for (t in arms[-1]) X <- cbind(X, ifelse(rows, (t1 == t) - (t2 == t), 0))
  }
  fit <- rma.mv(dat$yi, V, mods = X, intercept = FALSE, method = "FE")
  cat(ds, format(c$expected$QE, digits = 17), format(fit$QE, digits = 17), fit$k - fit$p, sep = ",")
  cat("\n")
}
