#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import _MetaShims

/// A = QR by Householder reflections (LAPACK dgeqrf), for least squares with a full-rank A (m ≥ n).
///
/// Least squares through QR never forms AᵀA, so it loses only cond(A) (not cond(A)²) digits
/// (Golub & Van Loan 2013, §5.3); on NIST's Longley data it keeps about 12–13 digits.
public struct QRFactorization: Sendable {
    /// R in the upper triangle, Householder vectors below (LAPACK's packed form).
    let packed: Matrix
    let tau: [Double]

    public var rows: Int { packed.rows }
    public var columns: Int { packed.columns }

    /// Factors `a` (m × n, m ≥ n).
    /// - Throws: ``NumericsError/rankDeficient(rank:columns:)`` when a column is linearly dependent on the
    ///   ones before it (see ``Matrix/linearlyDependentColumns(relativeTolerance:)``), so a rank-deficient
    ///   design is reported by name rather than solved with a meaningless R.
    public init(_ a: Matrix, rankTolerance: Double = 1e-7) throws {
        precondition(a.rows >= a.columns, "QR least squares needs at least as many rows as columns")
        let dependent = a.linearlyDependentColumns(relativeTolerance: rankTolerance)
        if !dependent.isEmpty {
            throw NumericsError.rankDeficient(rank: a.columns - dependent.count, columns: dependent)
        }
        _ = singleThreaded
        var qr = a
        var tau = [Double](repeating: 0, count: a.columns)
        if a.columns > 0 {
            let info = qr.elements.withUnsafeMutableBufferPointer { ap in
                tau.withUnsafeMutableBufferPointer { tp in
                    metashims_dgeqrf(Int32(a.rows), Int32(a.columns), ap.baseAddress, Int32(max(1, a.rows)), tp.baseAddress)
                }
            }
            if info != 0 { throw NumericsError.lapackFailure(routine: "dgeqrf", info: Int(info)) }
        }
        packed = qr
        self.tau = tau
    }

    /// R, the n × n upper-triangular factor.
    public var r: Matrix {
        var r = Matrix(rows: columns, columns: columns)
        for j in 0..<columns {
            for i in 0...j { r[i, j] = packed[i, j] }
        }
        return r
    }

    /// Qᵀb (dormqr).
    public func transposedQTimes(_ b: [Double]) -> [Double] {
        precondition(b.count == rows)
        var c = b
        if columns == 0 { return c }
        let info = packed.elements.withUnsafeBufferPointer { ap in
            tau.withUnsafeBufferPointer { tp in
                c.withUnsafeMutableBufferPointer { cp in
                    metashims_dormqr(CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")), Int32(rows), 1, Int32(columns),
                                     ap.baseAddress, Int32(rows), tp.baseAddress, cp.baseAddress, Int32(rows))
                }
            }
        }
        precondition(info == 0, "dormqr rejected its arguments (info \(info))")
        return c
    }

    /// The least-squares solution of min ‖A x − b‖₂: x = R⁻¹ (Qᵀb)[0..<n] (dormqr, then dtrtrs).
    public func solve(_ b: [Double]) -> [Double] {
        var qtb = transposedQTimes(b)
        if columns == 0 { return [] }
        let info = packed.elements.withUnsafeBufferPointer { ap in
            qtb.withUnsafeMutableBufferPointer { bp in
                metashims_dtrtrs(CChar(UInt8(ascii: "U")), CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), Int32(columns), 1,
                                 ap.baseAddress, Int32(rows), bp.baseAddress, Int32(rows))
            }
        }
        precondition(info == 0, "dtrtrs found a zero diagonal after the rank check (info \(info))")
        return Array(qtb[0..<columns])
    }

    /// (AᵀA)⁻¹ = R⁻¹R⁻ᵀ, the unscaled covariance of the least-squares coefficients (dpotri on R, which is
    /// a Cholesky factor of AᵀA up to the signs of its rows).
    public func inverseGram() -> Matrix {
        var u = r
        let n = columns
        if n == 0 { return u }
        let info = u.elements.withUnsafeMutableBufferPointer {
            metashims_dpotri(CChar(UInt8(ascii: "U")), Int32(n), $0.baseAddress, Int32(n))
        }
        precondition(info == 0, "dpotri failed after the rank check (info \(info))")
        for j in 0..<n {
            for i in (j + 1)..<n { u[i, j] = u[j, i] }
        }
        return u
    }

    /// ln |det R| = ½ ln det(AᵀA).
    public var logAbsDeterminantOfR: Double {
        (0..<columns).reduce(0) { $0 + log(abs(packed[$1, $1])) }
    }
}
