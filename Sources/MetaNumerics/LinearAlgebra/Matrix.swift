/// A dense real matrix stored column-major, with value semantics.
///
/// Element (i, j) (0-based) is `elements[i + j * rows]`, the layout BLAS and LAPACK use, so the wrappers
/// in this folder pass the storage without copying or transposing.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    /// Column-major storage, `rows * columns` entries.
    public var elements: [Double]

    /// A matrix from column-major storage.
    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(rows >= 0 && columns >= 0 && elements.count == rows * columns,
                     "Matrix: \(elements.count) elements for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix with every element equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(rows: rows, columns: columns, elements: Array(repeating: value, count: rows * columns))
    }

    /// A matrix from its rows (as written on paper).
    public init(rowArrays: [[Double]]) {
        let m = rowArrays.count, n = rowArrays.first?.count ?? 0
        var elements = [Double](repeating: 0, count: m * n)
        for (i, row) in rowArrays.enumerated() {
            precondition(row.count == n, "Matrix: ragged rows")
            for j in 0..<n { elements[i + j * m] = row[j] }
        }
        self.init(rows: m, columns: n, elements: elements)
    }

    /// A matrix from its columns.
    public init(columnArrays: [[Double]]) {
        let n = columnArrays.count, m = columnArrays.first?.count ?? 0
        precondition(columnArrays.allSatisfy { $0.count == m }, "Matrix: ragged columns")
        self.init(rows: m, columns: n, elements: columnArrays.flatMap { $0 })
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        diagonal(Array(repeating: 1, count: n))
    }

    /// A square matrix with `values` on its diagonal.
    public static func diagonal(_ values: [Double]) -> Matrix {
        var m = Matrix(rows: values.count, columns: values.count)
        for (i, v) in values.enumerated() { m[i, i] = v }
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return elements[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            elements[row + column * rows] = newValue
        }
    }

    /// Column j as an array.
    public func column(_ j: Int) -> [Double] {
        Array(elements[(j * rows)..<((j + 1) * rows)])
    }

    /// Row i as an array.
    public func row(_ i: Int) -> [Double] {
        (0..<columns).map { elements[i + $0 * rows] }
    }

    /// The diagonal entries.
    public var diagonalEntries: [Double] {
        (0..<min(rows, columns)).map { elements[$0 + $0 * rows] }
    }

    /// Aᵀ.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t.elements[j + i * columns] = elements[i + j * rows] }
        }
        return t
    }

    public var description: String {
        (0..<rows).map { i in row(i).map { "\($0)" }.joined(separator: "\t") }.joined(separator: "\n")
    }
}
