import _MetaShims

extension Matrix {
    /// A·B by BLAS dgemm.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        lhs.multiplied(by: rhs)
    }

    /// op(A)·op(B) by dgemm, where op transposes when asked (no transposed copy is made).
    public func multiplied(by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false) -> Matrix {
        _ = singleThreaded
        let m = transposingSelf ? columns : rows
        let k = transposingSelf ? rows : columns
        let k2 = transposingOther ? other.columns : other.rows
        let n = transposingOther ? other.rows : other.columns
        precondition(k == k2, "Matrix product: inner dimensions \(k) and \(k2) differ")
        var result = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 { return result }
        if k == 0 { return result }
        elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                result.elements.withUnsafeMutableBufferPointer { c in
                    metashims_dgemm(transposingSelf ? 1 : 0, transposingOther ? 1 : 0, Int32(m), Int32(n), Int32(k),
                                    1, a.baseAddress, Int32(max(1, rows)), b.baseAddress, Int32(max(1, other.rows)),
                                    0, c.baseAddress, Int32(max(1, m)))
                }
            }
        }
        return result
    }

    /// A·x by BLAS dgemv.
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
        lhs.multiplied(by: rhs)
    }

    /// op(A)·x by dgemv.
    public func multiplied(by x: [Double], transposingSelf: Bool = false) -> [Double] {
        _ = singleThreaded
        let inner = transposingSelf ? rows : columns
        let outer = transposingSelf ? columns : rows
        precondition(x.count == inner, "Matrix–vector product: \(inner) columns, vector of \(x.count)")
        var y = [Double](repeating: 0, count: outer)
        if outer == 0 || inner == 0 { return y }
        elements.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    metashims_dgemv(transposingSelf ? 1 : 0, Int32(rows), Int32(columns), 1, a.baseAddress,
                                    Int32(max(1, rows)), xp.baseAddress, 1, 0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// AᵀA (the Gram matrix), by dgemm.
    public var gram: Matrix { multiplied(by: self, transposingSelf: true) }
}

/// x·y by BLAS ddot.
public func dot(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "dot: lengths \(x.count) and \(y.count) differ")
    _ = singleThreaded
    return x.withUnsafeBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in metashims_ddot(Int32(x.count), xp.baseAddress, 1, yp.baseAddress, 1) }
    }
}
