#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import _MetaShims

/// A = LLᵀ for a symmetric positive-definite A (LAPACK dpotrf on the lower triangle).
public struct CholeskyFactorization: Sendable {
    /// L, lower triangular (the strict upper triangle is zero).
    public let factor: Matrix

    /// Factors the symmetric matrix `a`; only its lower triangle is read.
    /// - Throws: ``NumericsError/notPositiveDefinite(leadingMinor:)`` with the order of the first leading
    ///   minor that is not positive definite.
    public init(_ a: Matrix) throws {
        precondition(a.rows == a.columns, "Cholesky needs a square matrix")
        _ = singleThreaded
        var l = a
        let n = Int32(a.rows)
        let info = l.elements.withUnsafeMutableBufferPointer { metashims_dpotrf(CChar(UInt8(ascii: "L")), n, $0.baseAddress, max(1, n)) }
        if info > 0 { throw NumericsError.notPositiveDefinite(leadingMinor: Int(info)) }
        if info < 0 { throw NumericsError.lapackFailure(routine: "dpotrf", info: Int(info)) }
        for j in 0..<a.columns {
            for i in 0..<j { l[i, j] = 0 }
        }
        factor = l
    }

    /// Solves A X = B (dpotrs).
    public func solve(_ b: Matrix) -> Matrix {
        precondition(b.rows == factor.rows, "Cholesky solve: \(b.rows) rows for order \(factor.rows)")
        var x = b
        if b.columns == 0 || b.rows == 0 { return x }
        let info = factor.elements.withUnsafeBufferPointer { l in
            x.elements.withUnsafeMutableBufferPointer { xp in
                metashims_dpotrs(CChar(UInt8(ascii: "L")), Int32(factor.rows), Int32(b.columns), l.baseAddress,
                                 Int32(factor.rows), xp.baseAddress, Int32(b.rows))
            }
        }
        precondition(info == 0, "dpotrs rejected its arguments (info \(info))")
        return x
    }

    /// Solves A x = b.
    public func solve(_ b: [Double]) -> [Double] {
        solve(Matrix(rows: b.count, columns: 1, elements: b)).elements
    }

    /// A⁻¹ (dpotri), symmetric.
    public func inverse() -> Matrix {
        var inverse = factor
        let n = factor.rows
        if n == 0 { return inverse }
        let info = inverse.elements.withUnsafeMutableBufferPointer {
            metashims_dpotri(CChar(UInt8(ascii: "L")), Int32(n), $0.baseAddress, Int32(n))
        }
        precondition(info == 0, "dpotri failed after a successful dpotrf (info \(info))")
        for j in 0..<n {
            for i in 0..<j { inverse[i, j] = inverse[j, i] }
        }
        return inverse
    }

    /// ln det A = 2 Σ ln Lᵢᵢ (no overflow for large or tiny determinants).
    public var logDeterminant: Double {
        2 * factor.diagonalEntries.reduce(0) { $0 + log($1) }
    }
}
