import MetaNumerics
import MetaReport

extension BankCase {
    /// κ₂(X) of the reference's `model_matrix` (√(λ_max/λ_min) of XᵀX), or nil when the case has no design.
    /// Read from the bank's own data, so the choice of tolerance never depends on the code under test.
    var designConditionNumber: Double? {
        guard let rows = expected["model_matrix"]?.arrayValue, !rows.isEmpty else { return nil }
        let x = Matrix(rowArrays: rows.map { ($0.arrayValue ?? []).map { $0.doubleValue ?? .nan } })
        guard let eigen = try? SymmetricEigenDecomposition(x.gram), let low = eigen.eigenvalues.first,
              let high = eigen.eigenvalues.last, low > 0 else { return nil }
        return (high / low).squareRoot()
    }

    /// The tolerance for this case's closed-form fields: `closedForm`, or `illConditionedDesign` for a
    /// meta-regression whose design has κ₂(X) above `Tolerance.illConditionedThreshold`.
    var closedFormTolerance: Tolerance {
        if let kappa = designConditionNumber, kappa > Tolerance.illConditionedThreshold { return .illConditionedDesign }
        return .closedForm
    }
}
