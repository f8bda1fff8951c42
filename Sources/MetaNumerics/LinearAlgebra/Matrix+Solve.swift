import _MetaShims

extension Matrix {
    /// Solves A X = B for a square A by LU with partial pivoting (LAPACK dgesv).
    /// - Throws: ``NumericsError/singular(pivot:)`` when U has an exactly zero pivot.
    public func solve(_ b: Matrix) throws -> Matrix {
        precondition(rows == columns && b.rows == rows, "solve: needs square A and matching B")
        _ = singleThreaded
        var lu = self
        var x = b
        var pivots = [Int32](repeating: 0, count: rows)
        if rows == 0 || b.columns == 0 { return x }
        let info = lu.elements.withUnsafeMutableBufferPointer { ap in
            pivots.withUnsafeMutableBufferPointer { pp in
                x.elements.withUnsafeMutableBufferPointer { bp in
                    metashims_dgesv(Int32(rows), Int32(b.columns), ap.baseAddress, Int32(rows), pp.baseAddress,
                                    bp.baseAddress, Int32(rows))
                }
            }
        }
        if info > 0 { throw NumericsError.singular(pivot: Int(info)) }
        if info < 0 { throw NumericsError.lapackFailure(routine: "dgesv", info: Int(info)) }
        return x
    }

    /// Solves A x = b (see ``solve(_:)-(Matrix)``).
    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, elements: b)).elements
    }
}
