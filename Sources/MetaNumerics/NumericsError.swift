/// Failures of the numerical layer. Each case carries the values that went wrong.
public enum NumericsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// f has the same sign at both ends of the interval (after any bracket expansion).
    case noBracket(lower: Double, upper: Double, valueAtLower: Double, valueAtUpper: Double)
    /// An iteration hit its limit; `lastStep` is the size of the last change in x.
    case didNotConverge(iterations: Int, lastStep: Double)
    /// The function returned NaN or ±∞ at `x`.
    case nonFiniteValue(at: Double)
    /// Cholesky failed: the leading minor of this order (1-based) is not positive definite.
    case notPositiveDefinite(leadingMinor: Int)
    /// LU found an exactly zero pivot at this (1-based) position: the matrix is singular.
    case singular(pivot: Int)
    /// A least-squares design is rank deficient; `columns` are the 0-based columns found to be linearly
    /// dependent on the others (the ones QR with column pivoting puts last).
    case rankDeficient(rank: Int, columns: [Int])
    /// The symmetric eigen-solver failed to converge (LAPACK dsyevd info > 0).
    case eigenDecompositionFailed(info: Int)
    /// A LAPACK routine rejected an argument or could not allocate workspace (a programming error surfaced
    /// as an error rather than a crash).
    case lapackFailure(routine: String, info: Int)
    /// An argument outside the routine's domain: its name, the value given and what was expected.
    case invalidArgument(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .noBracket(lower, upper, fl, fu):
            return "No sign change to bracket a root between \(lower) (f = \(fl)) and \(upper) (f = \(fu))."
        case let .didNotConverge(iterations, lastStep):
            return "The iteration did not converge in \(iterations) iterations (last step \(lastStep))."
        case let .nonFiniteValue(x):
            return "The function is not finite at \(x)."
        case let .notPositiveDefinite(minor):
            return "The matrix is not positive definite (leading minor of order \(minor))."
        case let .singular(pivot):
            return "The matrix is singular (zero pivot at position \(pivot))."
        case let .rankDeficient(rank, columns):
            return "The design matrix is rank deficient (rank \(rank)); linearly dependent columns: \(columns.map(String.init).joined(separator: ", "))."
        case let .eigenDecompositionFailed(info):
            return "The eigen-decomposition did not converge (LAPACK info \(info))."
        case let .lapackFailure(routine, info):
            return "LAPACK \(routine) failed with info \(info)."
        case let .invalidArgument(name, value, expected):
            return "\(name) \(value) is out of range; expected \(expected)."
        }
    }
}
