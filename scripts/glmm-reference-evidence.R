# Evidence for the rma_glmm cases kept in Tests/ConformanceTests/pending.txt: is metafor (lme4 / nlminb+integrate)
# at the maximum of its own objective, and is MetaSwift's fit higher on it? Needs R with metafor 3.8-1, lme4 1.1-31,
# numDeriv, jsonlite and BiasedUrn 2.0.9 (Debian: r-cran-metafor r-cran-lme4 r-cran-biasedurn r-cran-jsonlite).
#   swift build && scripts/glmm-reference-evidence.sh            (runs every rma_glmm case)
# Usage here: Rscript scripts/glmm-reference-evidence.R CASE OURS.json   (from the repository root)
# It evaluates metafor's own objective (lme4's nAGQ=7 deviance function for UM.FS; metafor's CM.EL likelihood for
# CM.EL) at metafor's reported (beta, tau2) and at ours, with numerical gradients at both; for CM.EL it also
# recomputes the Wald heterogeneity statistic at metafor's own saturated-model estimate with the exact Fisher
# information of the conditional likelihood instead of metafor's numerical Hessian.
suppressMessages({library(metafor); library(lme4); library(numDeriv); library(jsonlite); library(BiasedUrn)})
a <- commandArgs(TRUE); case <- a[1]; oursFile <- a[2]
j <- fromJSON(sprintf("Tests/ConformanceTests/Bank/cases/rma_glmm/%s.json", case))
ours <- fromJSON(oursFile)
dat <- read.csv(file.path("Tests/ConformanceTests/Bank", j$input))
m <- c(beta=j$expected$beta, tau2=j$expected$tau2); o <- c(beta=ours$beta, tau2=ours$tau2)
# lme4 converged tightly (bobyqa in both stages, rhoend 1e-12): where does lme4 itself go when it is not stopped early?
tight <- glmerControl(optimizer=c("bobyqa", "bobyqa"), optCtrl=list(rhoend=1e-12, maxfun=1e6), check.conv.grad=.makeCC("warning", tol=1e-6))
tightReport <- function(tf) cat(sprintf("  lme4 with tight convergence: beta %.12f se %.12f tau2 %.12f (rel. to ours: %.2g, %.2g, %.2g; to metafor: %.2g, %.2g, %.2g) %s\n",
  fixef(tf)[1], sqrt(vcov(tf)[1,1]), VarCorr(tf)[[1]][1],
  abs(fixef(tf)[1]/o[1]-1), abs(sqrt(vcov(tf)[1,1])/ours$se-1), abs(VarCorr(tf)[[1]][1]/o[2]-1),
  abs(fixef(tf)[1]/m[1]-1), abs(sqrt(vcov(tf)[1,1])/j$expected$se-1), abs(VarCorr(tf)[[1]][1]/m[2]-1),
  paste(tf@optinfo$conv$lme4$messages, collapse="; ")))
cat(sprintf("%s: metafor beta %.10f tau2 %.10f | ours beta %.10f tau2 %.10f\n", case, m[1], m[2], o[1], o[2]))
if (j$options$measure == "PLO") {
  d <- data.frame(x=dat$xi, n=dat$ni, study=factor(seq_len(nrow(dat))))
  f <- glmer(cbind(x, n-x) ~ 1 + (1|study), data=d, family=binomial, nAGQ=7, devFunOnly=TRUE)
  D <- function(b, t2) f(c(sqrt(t2), b))
  g <- function(b, t2) { gg <- grad(function(p) f(c(exp(p[2]/2), p[1])), c(b, log(t2))); sqrt(sum(gg^2)) }
  cat(sprintf("  lme4 nAGQ=7 deviance (-2 logL, lme4's own objective): at metafor's %.9f  at ours %.9f  (ours lower by %.3g)\n", D(m[1],m[2]), D(o[1],o[2]), D(m[1],m[2])-D(o[1],o[2])))
  cat(sprintf("  |gradient| of that deviance in (beta, log tau2): at metafor's %.3g  at ours %.3g\n", g(m[1],m[2]), g(o[1],o[2])))
  tf <- glmer(cbind(x, n-x) ~ 1 + (1|study), data=d, family=binomial, nAGQ=7, control=tight)
  tightReport(tf)
} else if (j$options$model == "UM.FS") {
  if (is.null(dat$bi)) { dat$bi <- dat$n1i-dat$ai; dat$di <- dat$n2i-dat$ci }
  keep <- !((dat$ai==0 & dat$ci==0) | (dat$bi==0 & dat$di==0)); dat <- dat[keep,]; k <- nrow(dat)
  d <- data.frame(y=c(rbind(dat$ai, dat$ci)), n=c(rbind(dat$ai+dat$bi, dat$ci+dat$di)), grp1=rep(c(1,0),k), grp12=rep(c(.5,-.5),k), study=factor(rep(seq_len(k), each=2)))
  f <- glmer(cbind(y, n-y) ~ -1 + grp1 + study + (grp12 - 1 | study), data=d, family=binomial, nAGQ=7, devFunOnly=TRUE)
  st <- sapply(seq_len(k), function(i) log((dat$ci[i]+.5)/(dat$di[i]+.5)))
  prof <- function(b, t2) { r <- nlminb(st, function(al) f(c(sqrt(t2), b, al)), control=list(rel.tol=1e-14, x.tol=1e-12, eval.max=5000, iter.max=2000)); r }
  pm <- prof(m[1], m[2]); po <- prof(o[1], o[2])
  cat(sprintf("  lme4 nAGQ=7 deviance, study intercepts profiled out: at metafor's (beta, tau2) %.9f  at ours %.9f  (ours lower by %.3g)\n", pm$objective, po$objective, pm$objective-po$objective))
  g <- function(b, t2, al) { gg <- grad(function(p) f(c(exp(p[2]/2), p[1], p[-(1:2)])), c(b, log(t2), al)); sqrt(sum(gg^2)) }
  fit <- suppressWarnings(glmer(cbind(y, n-y) ~ -1 + grp1 + study + (grp12 - 1 | study), data=d, family=binomial, nAGQ=7))
  gg <- function(b, t2, al) grad(function(p) f(c(exp(p[2]/2), p[1], p[-(1:2)])), c(b, log(t2), al))
  gm <- gg(fixef(fit)[1], VarCorr(fit)[[1]][1], fixef(fit)[-1]); go <- gg(o[1], o[2], po$par)
  cat(sprintf("  gradient of lme4's deviance: at lme4's own full estimate |(beta, log tau2)| %.3g, |alpha| %.3g;  at ours (alpha profiled) %.3g, %.3g\n", sqrt(sum(gm[1:2]^2)), sqrt(sum(gm[-(1:2)]^2)), sqrt(sum(go[1:2]^2)), sqrt(sum(go[-(1:2)]^2))))
  cat("  glmer refit here: beta", format(fixef(fit)[1], digits=10), "tau2", format(VarCorr(fit)[[1]][1], digits=10), " convergence messages:", paste(fit@optinfo$conv$lme4$messages, collapse="; "), "\n")
  tf <- suppressWarnings(glmer(cbind(y, n-y) ~ -1 + grp1 + study + (grp12 - 1 | study), data=d, family=binomial, nAGQ=7, control=tight))
  tightReport(tf)
} else {
  if (is.null(dat$bi)) { dat$bi <- dat$n1i-dat$ai; dat$di <- dat$n2i-dat$ci }
  keep <- !((dat$ai==0 & dat$ci==0) | (dat$bi==0 & dat$di==0)); dat <- dat[keep,]; k <- nrow(dat)
  mk <- function(rt) function(p) metafor:::.dnchg(p, ai=dat$ai, bi=dat$bi, ci=dat$ci, di=dat$di, X.fit=cbind(rep(1,k)), random=TRUE, verbose=FALSE, digits=c(est=4,fit=4,var=4), dnchgcalc="dFNCHypergeo", dnchgprec=1e-10, intCtrl=list(lower=-Inf, upper=Inf, rel.tol=rt, subdivisions=100L))
  for (rt in c(.Machine$double.eps^.25, 1e-10)) { f <- mk(rt)
    fm <- f(c(m[1], log(m[2]))); fo <- f(c(o[1], log(o[2])))
    cat(sprintf("  metafor's own -logL (.dnchg, integrate rel.tol %.2g): at metafor's %.10f  at ours %.10f  (ours lower by %.3g)\n", rt, fm, fo, fm-fo))
  }
  f <- mk(1e-10)
  cat(sprintf("  |gradient| (rel.tol 1e-10) in (beta, log tau2): at metafor's %.3g  at ours %.3g\n", sqrt(sum(grad(f, c(m[1], log(m[2])))^2)), sqrt(sum(grad(f, c(o[1], log(o[2])))^2))))
  h <- hessian(f, c(o[1], log(o[2]))); cat(sprintf("  SE of beta from numDeriv Hessian of the tight objective at ours: %.8f (ours %.8f, metafor %.8f)\n", sqrt(solve(h)[1,1]), ours$se, j$expected$se))
  # Wald test of the saturated CM.EL model: capture metafor's saturated estimate and numerical Hessian.
  H <- list()
  trace("hessian", where=asNamespace("numDeriv"), print=FALSE,
        exit=quote(H[[length(H)+1]] <<- list(x=x, h=returnValue(), X=list(...)$X.fit)))
  res <- rma.glmm(ai=ai, bi=bi, ci=ci, di=di, data=dat, measure="OR", model="CM.EL")
  untrace("hessian", where=asNamespace("numDeriv"))
  q <- H[[2]]; X <- q$X; np <- length(q$x); b <- q$x[-np]; h <- q$h[-np,-np]
  wald <- function(b, h) { b2 <- b[-1]; c(t(b2) %*% (h[-1,-1] - h[-1,1,drop=FALSE] %*% solve(h[1,1,drop=FALSE]) %*% h[1,-1,drop=FALSE]) %*% b2) }
  theta <- c(X %*% b); n1 <- dat$ai+dat$bi; n2 <- dat$ci+dat$di; m1 <- dat$ai+dat$ci
  mom <- sapply(seq_len(k), function(i) { u <- max(0,m1[i]-n2[i]):min(n1[i],m1[i])
    lw <- lchoose(n1[i],u)+lchoose(n2[i],m1[i]-u)+u*theta[i]; w <- exp(lw-max(lw)); w <- w/sum(w); c(sum(w*u), sum(w*u^2)-sum(w*u)^2) })
  I <- t(X) %*% diag(mom[2,]) %*% X
  cat(sprintf("  QE_Wld: metafor here %.6f (bank %.6f); at metafor's saturated estimate with its numDeriv Hessian %.6f, with the exact information %.9f (ours %.9f)\n", res$QE.Wld, j$expected$QE_Wld, wald(b, h), wald(b, I), ours$QE_Wld))
  cat(sprintf("  numDeriv Hessian vs exact information: largest relative difference on the diagonal %.3g; exact |gradient| at metafor's saturated estimate %.3g\n", max(abs(diag(h)-diag(I))/diag(I)), sqrt(sum((t(X) %*% (dat$ai-mom[1,]))^2))))
}

