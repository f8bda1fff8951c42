import _MetaShims

/// Forces OpenBLAS to one thread exactly once (a global `let` is initialised lazily and thread-safely), before
/// MetaNumerics' first BLAS/LAPACK call: meta-analysis matrices are small (threads pay off only from n ≈ 200), and
/// parallel loops run their own threads, inside which BLAS threading would oversubscribe the cores.
let singleThreaded: Void = metashims_set_blas_threads(1)
