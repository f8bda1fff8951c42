import Foundation
import MetaNumerics
import Testing

@Suite("Matrix and BLAS products")
struct MatrixTests {
    let a = Matrix(rowArrays: [[1, 2, 3], [4, 5, 6]])
    let b = Matrix(rowArrays: [[7, 8], [9, 10], [11, 12]])

    @Test func layoutIsColumnMajor() {
        #expect(a.elements == [1, 4, 2, 5, 3, 6])
        #expect(a[1, 2] == 6 && a.column(1) == [2, 5] && a.row(0) == [1, 2, 3])
        #expect(a.transposed == Matrix(rowArrays: [[1, 4], [2, 5], [3, 6]]))
    }

    @Test func products() {
        #expect(a * b == Matrix(rowArrays: [[58, 64], [139, 154]]))
        #expect(a.multiplied(by: a, transposingSelf: true) == a.transposed * a)
        #expect(a.multiplied(by: b, transposingSelf: true, transposingOther: true) == a.transposed * b.transposed)
        #expect(a * [1, 0, -1] == [-2, -2])
        #expect(a.multiplied(by: [1, 1], transposingSelf: true) == [5, 7, 9])
        #expect(dot([1, 2, 3], [4, 5, 6]) == 32)
        #expect(a.gram == Matrix(rowArrays: [[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
    }
}

@Suite("Cholesky")
struct CholeskyTests {
    // The textbook example with an integer factor: L = [[2,0,0],[6,1,0],[-8,5,3]].
    let a = Matrix(rowArrays: [[4, 12, -16], [12, 37, -43], [-16, -43, 98]])

    @Test func factorSolveInverseDeterminant() throws {
        let c = try CholeskyFactorization(a)
        #expect(c.factor == Matrix(rowArrays: [[2, 0, 0], [6, 1, 0], [-8, 5, 3]]))
        #expect(abs(c.logDeterminant - 2 * log(6.0)) < 1e-14)
        let x = c.solve([1, 2, 3])
        let back = a * x
        for (u, v) in zip(back, [1.0, 2, 3]) { #expect(abs(u - v) < 1e-10) }
        let product = a * c.inverse()
        for i in 0..<3 { for j in 0..<3 { #expect(abs(product[i, j] - (i == j ? 1 : 0)) < 1e-10) } }
        #expect(c.inverse() == c.inverse().transposed)
    }

    @Test func notPositiveDefinite() {
        #expect(throws: NumericsError.notPositiveDefinite(leadingMinor: 2)) {
            _ = try CholeskyFactorization(Matrix(rowArrays: [[1, 2], [2, 1]]))
        }
    }
}

@Suite("LU solve")
struct LUSolveTests {
    @Test func solvesGeneralSystem() throws {
        let a = Matrix(rowArrays: [[0, 2], [3, 1]])  // needs pivoting
        #expect(try a.solve([4, 5]) == [1, 2])
    }

    @Test func singular() {
        #expect(throws: NumericsError.singular(pivot: 2)) {
            _ = try Matrix(rowArrays: [[1, 2], [2, 4]]).solve([1, 1])
        }
    }
}

@Suite("Symmetric eigen-decomposition")
struct EigenTests {
    @Test func twoByTwo() throws {
        let e = try SymmetricEigenDecomposition(Matrix(rowArrays: [[2, 1], [1, 2]]))
        #expect(abs(e.eigenvalues[0] - 1) < 1e-15 && abs(e.eigenvalues[1] - 3) < 1e-15)
        let v = e.eigenvectors.column(1)
        #expect(abs(abs(v[0]) - 0.5.squareRoot()) < 1e-15 && abs(v[0] - v[1]) < 1e-15)
    }

    @Test func reconstructs() throws {
        let a = Matrix(rowArrays: [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 1]])
        let e = try SymmetricEigenDecomposition(a)
        let v = e.eigenvectors
        let rebuilt = v * Matrix.diagonal(e.eigenvalues) * v.transposed
        for k in 0..<9 { #expect(abs(rebuilt.elements[k] - a.elements[k]) < 1e-14) }
        #expect(e.eigenvalues == e.eigenvalues.sorted())
    }

    @Test func nonFiniteInput() {
        #expect(throws: NumericsError.nonFiniteValue(at: 1)) {
            _ = try SymmetricEigenDecomposition(Matrix(rowArrays: [[1, .nan], [.nan, 1]]))
        }
    }
}

@Suite("QR least squares and rank")
struct LeastSquaresTests {
    // Design with an intercept, x, and 2x (dependent), as R's lm() would see it.
    let collinear = Matrix(columnArrays: [[1, 1, 1, 1], [1, 2, 3, 4], [2, 4, 6, 8], [0, 1, 0, 2]])

    @Test func namesDependentColumnsLikeR() throws {
        #expect(collinear.linearlyDependentColumns() == [2])
        #expect(try PivotedQRFactorization(collinear).rank() == 3)
    }

    @Test func rankDeficiencyIsTyped() {
        #expect(throws: NumericsError.rankDeficient(rank: 3, columns: [2])) {
            _ = try QRFactorization(collinear)
        }
        #expect(throws: NumericsError.rankDeficient(rank: 3, columns: [2])) {
            _ = try WeightedLeastSquares(design: collinear, response: [1, 2, 3, 4], weights: [1, 1, 1, 1])
        }
    }

    /// Weighted simple regression against its closed form: slope = Σw(x−x̄w)(y−ȳw)/Σw(x−x̄w)²,
    /// Var(slope) = 1/Σw(x−x̄w)² (Draper & Smith 1998, §9.2).
    @Test func weightedSimpleRegression() throws {
        let x = [0.5, 1.0, 2.0, 3.5, 4.0], y = [1.1, 1.9, 4.2, 6.8, 8.3], w = [1.0, 2.0, 0.5, 3.0, 1.5]
        let sw = w.reduce(0, +)
        let xbar = zip(w, x).reduce(0) { $0 + $1.0 * $1.1 } / sw
        let ybar = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / sw
        var sxx = 0.0, sxy = 0.0
        for i in 0..<5 { sxx += w[i] * (x[i] - xbar) * (x[i] - xbar); sxy += w[i] * (x[i] - xbar) * (y[i] - ybar) }
        let slope = sxy / sxx, intercept = ybar - slope * xbar
        let fit = try WeightedLeastSquares(design: Matrix(columnArrays: [[1, 1, 1, 1, 1], x]), response: y, weights: w)
        #expect(abs(fit.coefficients[1] - slope) < 1e-14 * abs(slope))
        #expect(abs(fit.coefficients[0] - intercept) < 1e-13)
        #expect(abs(fit.inverseInformation[1, 1] - 1 / sxx) < 1e-14 / sxx)
        #expect(abs(fit.inverseInformation[0, 0] - (1 / sw + xbar * xbar / sxx)) < 1e-13)
        #expect(abs(fit.residuals[2] - (y[2] - intercept - slope * x[2])) < 1e-13)
    }
}
