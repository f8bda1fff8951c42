#include "metashims.h"

#include <cblas.h>
#include <stdlib.h>

// Fortran LAPACK symbols as gfortran exports them: every argument by reference, plus a hidden
// string-length argument (size_t) per CHARACTER argument, appended at the end.
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

// Workspace allocation failure is reported as LAPACK-style info = -1000 (never a crash).
#define METASHIMS_NOMEM (-1000)

void metashims_dgemm(int transA, int transB, int m, int n, int k, double alpha, const double *a, int lda,
                     const double *b, int ldb, double beta, double *c, int ldc) {
    cblas_dgemm(CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                alpha, a, lda, b, ldb, beta, c, ldc);
}

void metashims_dgemv(int transA, int m, int n, double alpha, const double *a, int lda, const double *x, int incx,
                     double beta, double *y, int incy) {
    cblas_dgemv(CblasColMajor, transA ? CblasTrans : CblasNoTrans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}

double metashims_ddot(int n, const double *x, int incx, const double *y, int incy) {
    return cblas_ddot(n, x, incx, y, incy);
}

int metashims_dpotrf(char uplo, int n, double *a, int lda) {
    int info = 0;
    dpotrf_(&uplo, &n, a, &lda, &info, 1);
    return info;
}

int metashims_dpotri(char uplo, int n, double *a, int lda) {
    int info = 0;
    dpotri_(&uplo, &n, a, &lda, &info, 1);
    return info;
}

int metashims_dpotrs(char uplo, int n, int nrhs, const double *a, int lda, double *b, int ldb) {
    int info = 0;
    dpotrs_(&uplo, &n, &nrhs, a, &lda, b, &ldb, &info, 1);
    return info;
}

int metashims_dgels(char trans, int m, int n, int nrhs, double *a, int lda, double *b, int ldb) {
    int info = 0, lwork = -1;
    double query = 0;
    dgels_(&trans, &m, &n, &nrhs, a, &lda, b, &ldb, &query, &lwork, &info, 1);
    if (info != 0) return info;
    lwork = (int)query;
    if (lwork < 1) lwork = 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (!work) return METASHIMS_NOMEM;
    dgels_(&trans, &m, &n, &nrhs, a, &lda, b, &ldb, work, &lwork, &info, 1);
    free(work);
    return info;
}

int metashims_dgeqrf(int m, int n, double *a, int lda, double *tau) {
    int info = 0, lwork = -1;
    double query = 0;
    dgeqrf_(&m, &n, a, &lda, tau, &query, &lwork, &info);
    if (info != 0) return info;
    lwork = (int)query;
    if (lwork < 1) lwork = 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (!work) return METASHIMS_NOMEM;
    dgeqrf_(&m, &n, a, &lda, tau, work, &lwork, &info);
    free(work);
    return info;
}

int metashims_dormqr(char side, char trans, int m, int n, int k, const double *a, int lda, const double *tau,
                     double *c, int ldc) {
    int info = 0, lwork = -1;
    double query = 0;
    dormqr_(&side, &trans, &m, &n, &k, a, &lda, tau, c, &ldc, &query, &lwork, &info, 1, 1);
    if (info != 0) return info;
    lwork = (int)query;
    if (lwork < 1) lwork = 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (!work) return METASHIMS_NOMEM;
    dormqr_(&side, &trans, &m, &n, &k, a, &lda, tau, c, &ldc, work, &lwork, &info, 1, 1);
    free(work);
    return info;
}

int metashims_dgeqp3(int m, int n, double *a, int lda, int *jpvt, double *tau) {
    int info = 0, lwork = -1;
    double query = 0;
    dgeqp3_(&m, &n, a, &lda, jpvt, tau, &query, &lwork, &info);
    if (info != 0) return info;
    lwork = (int)query;
    if (lwork < 1) lwork = 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (!work) return METASHIMS_NOMEM;
    dgeqp3_(&m, &n, a, &lda, jpvt, tau, work, &lwork, &info);
    free(work);
    return info;
}

int metashims_dtrtrs(char uplo, char trans, char diag, int n, int nrhs, const double *a, int lda, double *b, int ldb) {
    int info = 0;
    dtrtrs_(&uplo, &trans, &diag, &n, &nrhs, a, &lda, b, &ldb, &info, 1, 1, 1);
    return info;
}

int metashims_dsyevd(char jobz, char uplo, int n, double *a, int lda, double *w) {
    int info = 0, lwork = -1, liwork = -1, iquery = 0;
    double query = 0;
    dsyevd_(&jobz, &uplo, &n, a, &lda, w, &query, &lwork, &iquery, &liwork, &info, 1, 1);
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
    dsyevd_(&jobz, &uplo, &n, a, &lda, w, work, &lwork, iwork, &liwork, &info, 1, 1);
    free(work);
    free(iwork);
    return info;
}

int metashims_dgesv(int n, int nrhs, double *a, int lda, int *ipiv, double *b, int ldb) {
    int info = 0;
    dgesv_(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);
    return info;
}

void metashims_set_blas_threads(int n) { openblas_set_num_threads(n); }
