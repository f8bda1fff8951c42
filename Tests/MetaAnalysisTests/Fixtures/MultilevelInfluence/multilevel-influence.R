# Reference values for MultilevelInfluenceTests: metafor's case-deletion diagnostics for rma.mv
# (cooks.distance, dfbetas, rstudent with and without `cluster`, hatvalues), run by hand with the R on the
# development machine (R 4.2.2, metafor 3.8-1, Debian packages): Rscript multilevel-influence.R DATA_DIR OUT.json
# The fits use the tightest nlminb rel.tol (1e-12 ... 1e-8) at which every refit converges (1e-14 stops with
# "false convergence"); `rel_tol` records it.
suppressMessages({ library(metafor); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
ctrl <- function(tol) list(optimizer = "nlminb", rel.tol = tol, iter.max = 10000, eval.max = 10000)
# The tightest nlminb tolerance at which the fit and every refit of the diagnostics converge (the refits inherit
# the fit's control; a refit that fails is NA in metafor's output, so a looser tolerance is tried instead).
tolerances <- c(1e-12, 1e-11, 1e-10, 1e-9, 1e-8)
num <- function(x) { x <- as.numeric(x); x[!is.finite(x)] <- NA; x }
describe <- function(fit, clusterName, cluster, perEffect = TRUE) {
  cd <- cooks.distance(fit, cluster = cluster)
  db <- dfbetas(fit, cluster = cluster)
  rs <- rstudent(fit, cluster = cluster)
  out <- list(
    sigma2 = num(fit$sigma2), tau2 = num(fit$tau2), rho = num(fit$rho), beta = num(fit$b), se = num(fit$se),
    hat = num(hatvalues(fit)),
    cluster = clusterName,
    cluster_levels = names(cd),
    cooks_cluster = num(cd),
    dfbetas_cluster = lapply(seq_len(ncol(db)), function(j) num(db[[j]])),
    rstudent_cluster_X2 = num(rs$cluster$X2), rstudent_cluster_k = num(rs$cluster$k),
    rstudent_cluster_obs_resid = num(rs$obs$resid), rstudent_cluster_obs_se = num(rs$obs$se), rstudent_cluster_obs_z = num(rs$obs$z)
  )
  if (perEffect) {  # one effect at a time (k refits per function: only on the smallest case)
    dbObs <- dfbetas(fit)
    rsObs <- rstudent(fit)
    out <- c(out, list(cooks_obs = num(cooks.distance(fit)), dfbetas_obs = lapply(seq_len(ncol(dbObs)), function(j) num(dbObs[[j]])),
                       rstudent_obs_resid = num(rsObs$resid), rstudent_obs_se = num(rsObs$se), rstudent_obs_z = num(rsObs$z)))
  }
  out
}
diagnose <- function(fitWith, clusterName, cluster, perEffect = TRUE) {
  for (tol in tolerances) {
    fit <- try(fitWith(ctrl(tol)), silent = TRUE)
    if (inherits(fit, "try-error")) next
    d <- try(describe(fit, clusterName, cluster, perEffect), silent = TRUE)
    if (inherits(d, "try-error")) next
    if (any(is.na(d$cooks_cluster)) || any(is.na(d$rstudent_cluster_X2)) || (perEffect && any(is.na(d$cooks_obs)))) next
    d$rel_tol <- tol
    return(d)
  }
  stop("no tolerance gives every refit")
}
out <- list(metafor = as.character(packageVersion("metafor")), R = R.version.string, cases = list())
k <- read.csv(file.path(dir, "konstantopoulos2011.csv"))
out$cases$konstantopoulos2011_district_school <- c(list(data = "konstantopoulos2011.csv", random = "~ 1 | district/school", mods = NULL, method = "REML"),
  diagnose(function(control) rma.mv(yi, vi, random = ~ 1 | district/school, data = k, control = control), "district", k$district,
           perEffect = FALSE))
out$cases$konstantopoulos2011_year_ML <- c(list(data = "konstantopoulos2011.csv", random = "~ 1 | district/school", mods = "year_c", method = "ML"),
  diagnose(function(control) rma.mv(yi, vi, mods = ~ year_c, random = ~ 1 | district/school, data = k, method = "ML", control = control),
           "district", k$district, perEffect = FALSE))
a <- read.csv(file.path(dir, "assink2016.csv"))
out$cases$assink2016_year <- c(list(data = "assink2016.csv", random = "~ 1 | study/esid", mods = "year", method = "REML"),
  diagnose(function(control) rma.mv(yi, vi, mods = ~ year, random = ~ 1 | study/esid, data = a, control = control),
           "study", a$study, perEffect = FALSE))
b <- read.csv(file.path(dir, "berkey1998.csv"))
V <- bldiag(lapply(split(b[, c("v1i", "v2i")], b$trial), as.matrix))
out$cases$berkey1998_UN <- c(list(data = "berkey1998.csv", random = "~ outcome | trial", struct = "UN", mods = "~ 0 + outcome", method = "REML",
                                  V = "blocks of v1i, v2i by trial"),
  diagnose(function(control) rma.mv(yi, V, mods = ~ outcome - 1, random = ~ outcome | trial, struct = "UN", data = b, control = control),
           "trial", b$trial))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE), args[2])
