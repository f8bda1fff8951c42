#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import _MetaShims

/// A·P = QR with column pivoting (LAPACK dgeqp3): a rank-revealing factorisation.
///
/// At each step the remaining column of largest norm is moved forward (Businger & Golub 1965), so
/// |R₁₁| ≥ |R₂₂| ≥ …; the numerical rank is the number of |Rₖₖ| above tolerance·|R₁₁|.
public struct PivotedQRFactorization: Sendable {
    let packed: Matrix
    /// The column order chosen: column k of A·P is column `permutation[k]` of A (0-based).
    public let permutation: [Int]

    public init(_ a: Matrix) throws {
        _ = singleThreaded
        var qr = a
        var pivots = [Int32](repeating: 0, count: a.columns)
        var tau = [Double](repeating: 0, count: min(a.rows, a.columns))
        if a.columns > 0 && a.rows > 0 {
            let info = qr.elements.withUnsafeMutableBufferPointer { ap in
                pivots.withUnsafeMutableBufferPointer { pp in
                    tau.withUnsafeMutableBufferPointer { tp in
                        metashims_dgeqp3(Int32(a.rows), Int32(a.columns), ap.baseAddress, Int32(max(1, a.rows)),
                                         pp.baseAddress, tp.baseAddress)
                    }
                }
            }
            if info != 0 { throw NumericsError.lapackFailure(routine: "dgeqp3", info: Int(info)) }
        }
        packed = qr
        permutation = pivots.map { Int($0) - 1 }
    }

    /// |Rₖₖ|, non-increasing.
    public var diagonalMagnitudes: [Double] {
        (0..<min(packed.rows, packed.columns)).map { abs(packed[$0, $0]) }
    }

    /// The number of |Rₖₖ| > relativeTolerance·|R₁₁|.
    public func rank(relativeTolerance: Double = 1e-7) -> Int {
        let d = diagonalMagnitudes
        guard let first = d.first, first > 0 else { return 0 }
        return d.filter { $0 > relativeTolerance * first }.count
    }
}
