/// Weighted least squares: β̂ = argmin Σ wᵢ (yᵢ − xᵢᵀβ)², by QR of W^½X (never forming XᵀWX).
///
/// β̂ = (XᵀWX)⁻¹XᵀWy, with (XᵀWX)⁻¹ = R⁻¹R⁻ᵀ from W^½X = QR (Golub & Van Loan 2013, §5.3; the
/// standard kernel of meta-regression, e.g. Viechtbauer 2010 for weights 1/(vᵢ + τ²)).
public struct WeightedLeastSquares: Sendable {
    /// β̂.
    public let coefficients: [Double]
    /// (XᵀWX)⁻¹ (unscaled: multiply by σ² if the weights are relative).
    public let inverseInformation: Matrix
    /// yᵢ − xᵢᵀβ̂ on the original (unweighted) scale.
    public let residuals: [Double]
    /// xᵢᵀβ̂.
    public let fittedValues: [Double]
    /// Σ wᵢ rᵢ², the weighted residual sum of squares.
    public let weightedResidualSumOfSquares: Double

    /// Fits y on the columns of `design` with `weights`.
    ///
    /// - Precondition: one weight per row, all positive and finite; `design.rows == response.count`.
    /// - Throws: ``NumericsError/rankDeficient(rank:columns:)`` naming the columns of `design` that are
    ///   linearly dependent on earlier ones (R's rule; see ``Matrix/linearlyDependentColumns(relativeTolerance:)``).
    public init(design: Matrix, response: [Double], weights: [Double]) throws {
        precondition(design.rows == response.count && weights.count == response.count,
                     "WeightedLeastSquares: \(design.rows) rows, \(response.count) responses, \(weights.count) weights")
        precondition(weights.allSatisfy { $0 > 0 && $0.isFinite }, "WeightedLeastSquares: weights must be positive")
        let roots = weights.map { $0.squareRoot() }
        var scaled = design
        for j in 0..<design.columns {
            for i in 0..<design.rows { scaled[i, j] *= roots[i] }
        }
        let scaledResponse = zip(response, roots).map { $0 * $1 }
        let qr = try QRFactorization(scaled)
        let beta = qr.solve(scaledResponse)
        coefficients = beta
        inverseInformation = qr.inverseGram()
        let fitted = design * beta
        fittedValues = fitted
        residuals = zip(response, fitted).map { $0 - $1 }
        weightedResidualSumOfSquares = zip(residuals, weights).reduce(0) { $0 + $1.1 * $1.0 * $1.0 }
    }
}
