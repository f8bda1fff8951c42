import _MetaShims

/// A = V Λ Vᵀ for a symmetric A (LAPACK dsyevd, divide and conquer; lower triangle read).
public struct SymmetricEigenDecomposition: Sendable {
    /// Eigenvalues in ascending order.
    public let eigenvalues: [Double]
    /// Orthonormal eigenvectors as columns, in the order of `eigenvalues`.
    public let eigenvectors: Matrix

    /// - Throws: ``NumericsError/eigenDecompositionFailed(info:)`` if dsyevd does not converge, and
    ///   ``NumericsError/nonFiniteValue(at:)`` (at the flat index) for NaN/∞ input, which LAPACK does not check.
    public init(_ a: Matrix) throws {
        precondition(a.rows == a.columns, "Eigen-decomposition needs a square matrix")
        if let bad = a.elements.firstIndex(where: { !$0.isFinite }) {
            throw NumericsError.nonFiniteValue(at: Double(bad))
        }
        _ = singleThreaded
        var v = a
        var w = [Double](repeating: 0, count: a.rows)
        if a.rows > 0 {
            let info = v.elements.withUnsafeMutableBufferPointer { ap in
                w.withUnsafeMutableBufferPointer { wp in
                    metashims_dsyevd(CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "L")), Int32(a.rows), ap.baseAddress,
                                     Int32(a.rows), wp.baseAddress)
                }
            }
            if info > 0 { throw NumericsError.eigenDecompositionFailed(info: Int(info)) }
            if info < 0 { throw NumericsError.lapackFailure(routine: "dsyevd", info: Int(info)) }
        }
        eigenvalues = w
        eigenvectors = v
    }
}
