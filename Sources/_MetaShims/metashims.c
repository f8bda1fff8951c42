#include "metashims.h"

#include <cblas.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// Fortran LAPACK symbols as gfortran exports them: every argument by reference, plus a hidden
// string-length argument (size_t) per CHARACTER argument, appended at the end. Declared only for their types:
// the functions are looked up in OpenBLAS at run time (below), never linked.
typedef size_t flen;
extern void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, flen);
extern void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info, flen);
extern void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda, double *b,
                    const int *ldb, int *info, flen);
extern void dgels_(const char *trans, const int *m, const int *n, const int *nrhs, double *a, const int *lda,
                   double *b, const int *ldb, double *work, const int *lwork, int *info, flen);
extern void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work,
                    const int *lwork, int *info);
extern void dormqr_(const char *side, const char *trans, const int *m, const int *n, const int *k, const double *a,
                    const int *lda, const double *tau, double *c, const int *ldc, double *work, const int *lwork,
                    int *info, flen, flen);
extern void dgeqp3_(const int *m, const int *n, double *a, const int *lda, int *jpvt, double *tau, double *work,
                    const int *lwork, int *info);
extern void dtrtrs_(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs,
                    const double *a, const int *lda, double *b, const int *ldb, int *info, flen, flen, flen);
extern void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
                    double *work, const int *lwork, int *iwork, const int *liwork, int *info, flen, flen);
extern void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b, const int *ldb,
                   int *info);
extern void openblas_set_num_threads(int);

// OpenBLAS is loaded on the first BLAS/LAPACK call, not at process start: loading it (a 30 MB library, its CPU
// detection and thread pool) costs ~3 ms, more than the rest of `metaswift --version`, and most commands (every
// intercept-only model) never call it. Once loaded it is set to one thread (see MetaNumerics' BLAS.swift).
static struct {
    __typeof__(cblas_dgemm) *dgemm;
    __typeof__(cblas_dgemv) *dgemv;
    __typeof__(cblas_ddot) *ddot;
    __typeof__(dpotrf_) *dpotrf;
    __typeof__(dpotri_) *dpotri;
    __typeof__(dpotrs_) *dpotrs;
    __typeof__(dgels_) *dgels;
    __typeof__(dgeqrf_) *dgeqrf;
    __typeof__(dormqr_) *dormqr;
    __typeof__(dgeqp3_) *dgeqp3;
    __typeof__(dtrtrs_) *dtrtrs;
    __typeof__(dsyevd_) *dsyevd;
    __typeof__(dgesv_) *dgesv;
    __typeof__(openblas_set_num_threads) *set_num_threads;
} blas;
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

// Without OpenBLAS no linear algebra can run: say so in one sentence and exit as the dynamic loader does for a
// missing library (127), rather than crash on a null pointer.
static void blas_missing(const char *what) {
    fprintf(stderr, "Error: MetaSwift needs OpenBLAS for this computation, but %s (install libopenblas0).\n", what);
    fflush(NULL);
    exit(127);
}

#define BLAS_BIND(field, symbol)                                                                              \
    do {                                                                                                      \
        *(void **)(&blas.field) = dlsym(library, #symbol);                                                    \
        if (!blas.field) blas_missing("the installed OpenBLAS lacks " #symbol);                               \
    } while (0)

static void blas_load(void) {
    static const char *const names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.0.dylib", "libopenblas.dylib", NULL};
    void *library = NULL;
    for (const char *const *name = names; *name && !library; name++) library = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
    if (!library) blas_missing("libopenblas.so.0 could not be loaded");
    BLAS_BIND(dgemm, cblas_dgemm);
    BLAS_BIND(dgemv, cblas_dgemv);
    BLAS_BIND(ddot, cblas_ddot);
    BLAS_BIND(dpotrf, dpotrf_);
    BLAS_BIND(dpotri, dpotri_);
    BLAS_BIND(dpotrs, dpotrs_);
    BLAS_BIND(dgels, dgels_);
    BLAS_BIND(dgeqrf, dgeqrf_);
    BLAS_BIND(dormqr, dormqr_);
    BLAS_BIND(dgeqp3, dgeqp3_);
    BLAS_BIND(dtrtrs, dtrtrs_);
    BLAS_BIND(dsyevd, dsyevd_);
    BLAS_BIND(dgesv, dgesv_);
    BLAS_BIND(set_num_threads, openblas_set_num_threads);
}

/// The loaded functions (loading OpenBLAS on the first call, once, thread-safely).
#define BLAS (pthread_once(&blas_once, blas_load), blas)

// Workspace allocation failure is reported as LAPACK-style info = -1000 (never a crash).
#define METASHIMS_NOMEM (-1000)

void metashims_dgemm(int transA, int transB, int m, int n, int k, double alpha, const double *a, int lda,
                     const double *b, int ldb, double beta, double *c, int ldc) {
    BLAS.dgemm(CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                alpha, a, lda, b, ldb, beta, c, ldc);
}

void metashims_dgemv(int transA, int m, int n, double alpha, const double *a, int lda, const double *x, int incx,
                     double beta, double *y, int incy) {
    BLAS.dgemv(CblasColMajor, transA ? CblasTrans : CblasNoTrans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}

double metashims_ddot(int n, const double *x, int incx, const double *y, int incy) {
    return BLAS.ddot(n, x, incx, y, incy);
}

int metashims_dpotrf(char uplo, int n, double *a, int lda) {
    int info = 0;
    BLAS.dpotrf(&uplo, &n, a, &lda, &info, 1);
    return info;
}

int metashims_dpotri(char uplo, int n, double *a, int lda) {
    int info = 0;
    BLAS.dpotri(&uplo, &n, a, &lda, &info, 1);
    return info;
}

int metashims_dpotrs(char uplo, int n, int nrhs, const double *a, int lda, double *b, int ldb) {
    int info = 0;
    BLAS.dpotrs(&uplo, &n, &nrhs, a, &lda, b, &ldb, &info, 1);
    return info;
}

int metashims_dgels(char trans, int m, int n, int nrhs, double *a, int lda, double *b, int ldb) {
    int info = 0, lwork = -1;
    double query = 0;
    BLAS.dgels(&trans, &m, &n, &nrhs, a, &lda, b, &ldb, &query, &lwork, &info, 1);
    if (info != 0) return info;
    lwork = (int)query;
    if (lwork < 1) lwork = 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (!work) return METASHIMS_NOMEM;
    BLAS.dgels(&trans, &m, &n, &nrhs, a, &lda, b, &ldb, work, &lwork, &info, 1);
    free(work);
    return info;
}

int metashims_dgeqrf(int m, int n, double *a, int lda, double *tau) {
    int info = 0, lwork = -1;
    double query = 0;
    BLAS.dgeqrf(&m, &n, a, &lda, tau, &query, &lwork, &info);
    if (info != 0) return info;
    lwork = (int)query;
    if (lwork < 1) lwork = 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (!work) return METASHIMS_NOMEM;
    BLAS.dgeqrf(&m, &n, a, &lda, tau, work, &lwork, &info);
    free(work);
    return info;
}

int metashims_dormqr(char side, char trans, int m, int n, int k, const double *a, int lda, const double *tau,
                     double *c, int ldc) {
    int info = 0, lwork = -1;
    double query = 0;
    BLAS.dormqr(&side, &trans, &m, &n, &k, a, &lda, tau, c, &ldc, &query, &lwork, &info, 1, 1);
    if (info != 0) return info;
    lwork = (int)query;
    if (lwork < 1) lwork = 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (!work) return METASHIMS_NOMEM;
    BLAS.dormqr(&side, &trans, &m, &n, &k, a, &lda, tau, c, &ldc, work, &lwork, &info, 1, 1);
    free(work);
    return info;
}

int metashims_dgeqp3(int m, int n, double *a, int lda, int *jpvt, double *tau) {
    int info = 0, lwork = -1;
    double query = 0;
    BLAS.dgeqp3(&m, &n, a, &lda, jpvt, tau, &query, &lwork, &info);
    if (info != 0) return info;
    lwork = (int)query;
    if (lwork < 1) lwork = 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (!work) return METASHIMS_NOMEM;
    BLAS.dgeqp3(&m, &n, a, &lda, jpvt, tau, work, &lwork, &info);
    free(work);
    return info;
}

int metashims_dtrtrs(char uplo, char trans, char diag, int n, int nrhs, const double *a, int lda, double *b, int ldb) {
    int info = 0;
    BLAS.dtrtrs(&uplo, &trans, &diag, &n, &nrhs, a, &lda, b, &ldb, &info, 1, 1, 1);
    return info;
}

int metashims_dsyevd(char jobz, char uplo, int n, double *a, int lda, double *w) {
    int info = 0, lwork = -1, liwork = -1, iquery = 0;
    double query = 0;
    BLAS.dsyevd(&jobz, &uplo, &n, a, &lda, w, &query, &lwork, &iquery, &liwork, &info, 1, 1);
    if (info != 0) return info;
    lwork = (int)query;
    liwork = iquery;
    if (lwork < 1) lwork = 1;
    if (liwork < 1) liwork = 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    int *iwork = malloc(sizeof(int) * (size_t)liwork);
    if (!work || !iwork) {
        free(work);
        free(iwork);
        return METASHIMS_NOMEM;
    }
    BLAS.dsyevd(&jobz, &uplo, &n, a, &lda, w, work, &lwork, iwork, &liwork, &info, 1, 1);
    free(work);
    free(iwork);
    return info;
}

int metashims_dgesv(int n, int nrhs, double *a, int lda, int *ipiv, double *b, int ldb) {
    int info = 0;
    BLAS.dgesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);
    return info;
}

void metashims_set_blas_threads(int n) { BLAS.set_num_threads(n); }
