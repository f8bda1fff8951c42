#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Matrix {
    /// The columns (0-based, ascending) that are linearly dependent on columns to their left.
    ///
    /// Householder QR with *limited* pivoting, the rule of LINPACK's DQRDC2 that R's `qr()` and `lm()` use
    /// (so a rank-deficient design drops the same columns as R): columns are taken in order, and one whose
    /// norm, after the reflections of the columns kept so far, is below `relativeTolerance` × its original
    /// norm is set aside. R's default tolerance is 1e-7.
    public func linearlyDependentColumns(relativeTolerance: Double = 1e-7) -> [Int] {
        let m = rows
        var work = self
        var dependent: [Int] = []
        var reflectors: [[Double]] = []  // Householder vectors v (length m, zero above their pivot row).
        for j in 0..<columns {
            var x = work.column(j)
            let originalNorm = (x.reduce(0) { $0 + $1 * $1 }).squareRoot()
            for v in reflectors {
                let s = zip(v, x).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<m { x[i] -= 2 * s * v[i] }
            }
            let k = reflectors.count
            let tail = k < m ? (x[k...].reduce(0) { $0 + $1 * $1 }).squareRoot() : 0
            if originalNorm == 0 || tail <= relativeTolerance * originalNorm {
                dependent.append(j)
                continue
            }
            // Reflector mapping x[k...] to −sign(x[k])·‖x[k...]‖·e_k.
            var v = [Double](repeating: 0, count: m)
            let alpha = x[k] >= 0 ? -tail : tail
            v[k] = x[k] - alpha
            for i in (k + 1)..<m { v[i] = x[i] }
            let vNorm = (v.reduce(0) { $0 + $1 * $1 }).squareRoot()
            if vNorm > 0 { for i in k..<m { v[i] /= vNorm } }
            reflectors.append(v)
            work.elements.replaceSubrange((j * m)..<((j + 1) * m), with: x)
        }
        return dependent
    }
}
