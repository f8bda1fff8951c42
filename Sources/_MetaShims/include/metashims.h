// _MetaShims: value-parameter wrappers over CBLAS and the Fortran LAPACK symbols that libopenblas exports.
// Not API: only MetaNumerics includes this module. Matrices are column-major. Every LAPACK wrapper returns
// LAPACK's `info` (0 = success, < 0 = bad argument, > 0 = numerical failure as documented per routine) and
// performs any workspace query (lwork = -1) itself.
#ifndef METASHIMS_H
#define METASHIMS_H

#ifdef __cplusplus
extern "C" {
#endif

/// C = alpha * op(A) * op(B) + beta * C  (dgemm). transA/transB: 0 = no transpose, 1 = transpose.
void metashims_dgemm(int transA, int transB, int m, int n, int k, double alpha, const double *a, int lda,
                     const double *b, int ldb, double beta, double *c, int ldc);
/// y = alpha * op(A) * x + beta * y  (dgemv).
void metashims_dgemv(int transA, int m, int n, double alpha, const double *a, int lda, const double *x, int incx,
                     double beta, double *y, int incy);
/// x · y  (ddot).
double metashims_ddot(int n, const double *x, int incx, const double *y, int incy);

/// Cholesky factor of a symmetric positive-definite matrix (dpotrf); uplo 'L' or 'U'.
int metashims_dpotrf(char uplo, int n, double *a, int lda);
/// Inverse from a Cholesky factor (dpotri); only the `uplo` triangle is written.
int metashims_dpotri(char uplo, int n, double *a, int lda);
/// Solve A X = B from a Cholesky factor (dpotrs).
int metashims_dpotrs(char uplo, int n, int nrhs, const double *a, int lda, double *b, int ldb);
/// Least squares / minimum norm by QR (dgels); trans 'N' or 'T'.
int metashims_dgels(char trans, int m, int n, int nrhs, double *a, int lda, double *b, int ldb);
/// QR factorisation (dgeqrf); tau has min(m, n) entries.
int metashims_dgeqrf(int m, int n, double *a, int lda, double *tau);
/// Multiply by Q from dgeqrf (dormqr); side 'L'/'R', trans 'N'/'T'.
int metashims_dormqr(char side, char trans, int m, int n, int k, const double *a, int lda, const double *tau,
                     double *c, int ldc);
/// QR with column pivoting (dgeqp3); jpvt is 1-based on output, set to 0 on input to free all columns.
int metashims_dgeqp3(int m, int n, double *a, int lda, int *jpvt, double *tau);
/// Triangular solve (dtrtrs); uplo 'U'/'L', trans 'N'/'T', diag 'N'/'U'.
int metashims_dtrtrs(char uplo, char trans, char diag, int n, int nrhs, const double *a, int lda, double *b, int ldb);
/// Symmetric eigen-decomposition (dsyevd); jobz 'N' (values) or 'V' (vectors, overwrite a); w ascending.
int metashims_dsyevd(char jobz, char uplo, int n, double *a, int lda, double *w);
/// General solve A X = B by LU with partial pivoting (dgesv).
int metashims_dgesv(int n, int nrhs, double *a, int lda, int *ipiv, double *b, int ldb);

/// Number of threads OpenBLAS uses (openblas_set_num_threads); set to 1 inside parallel loops.
void metashims_set_blas_threads(int n);

#ifdef __cplusplus
}
#endif

#endif
