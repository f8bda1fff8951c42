import _MetaShims

/// Process-wide BLAS settings.
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses. MetaNumerics sets 1 before its first BLAS/LAPACK call:
    /// meta-analysis matrices are small (threads pay off only from n ≈ 200), and parallel loops run
    /// their own threads, inside which BLAS threading would oversubscribe the cores.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1)
        _ = singleThreaded
        metashims_set_blas_threads(Int32(count))
    }
}

/// Forces OpenBLAS to one thread exactly once (a global `let` is initialised lazily and thread-safely).
let singleThreaded: Void = metashims_set_blas_threads(1)
