import MetaNumerics

/// What cluster-robust inference needs from a fitted model: the design X (k × p), the estimates β̂, the
/// residuals e = y − Xβ̂, the model's marginal covariance M of the effects (block-diagonal; V + the random
/// effects' covariance, or diag(vᵢ + τ²) for a univariate model) and which coefficients the omnibus test covers.
/// The model is taken to be fitted with weights W = M⁻¹ (metafor's default for `rma` and `rma.mv`), so M is both
/// the weight matrix's inverse and the working model of the CR2 adjustment.
public struct RobustWorkingModel: Sendable {
    public let design: Matrix
    public let coefficientNames: [String]
    public let coefficients: [Double]
    public let residuals: [Double]
    public let marginalCovariance: SamplingCovariance
    /// 0-based coefficients of the omnibus test (metafor's `btt`): all but the intercept, or the intercept alone.
    public let testedCoefficients: [Int]

    /// - Precondition: dimensions agree (k rows of X, residuals and M; p names and coefficients).
    public init(design: Matrix, coefficientNames: [String], coefficients: [Double], residuals: [Double],
                marginalCovariance: SamplingCovariance, testedCoefficients: [Int]) {
        precondition(design.rows == residuals.count && design.rows == marginalCovariance.count, "k differs between X, e and M")
        precondition(design.columns == coefficients.count && coefficientNames.count == coefficients.count, "p differs between X, β and names")
        precondition(testedCoefficients.allSatisfy { $0 >= 0 && $0 < coefficients.count }, "tested coefficient out of range")
        self.design = design
        self.coefficientNames = coefficientNames
        self.coefficients = coefficients
        self.residuals = residuals
        self.marginalCovariance = marginalCovariance
        self.testedCoefficients = testedCoefficients
    }
}

/// A fitted model that cluster-robust inference can use (`ClusterRobustInference`).
public protocol ClusterRobustModel {
    /// The model as the sandwich estimator sees it.
    /// - Throws: `ClusterRobustError.unsupportedWeights` when the model was not fitted with weights M⁻¹.
    func robustWorkingModel() throws(ClusterRobustError) -> RobustWorkingModel
}

extension RandomEffectsModel: ClusterRobustModel {
    /// X = 1, e = y − μ̂, M = diag(vᵢ + τ̂²).
    public func robustWorkingModel() throws(ClusterRobustError) -> RobustWorkingModel {
        guard userWeights == nil, options.weighted else { throw .unsupportedWeights }
        let t2 = tauSquared
        return RobustWorkingModel(
            design: Matrix(rows: studyCount, columns: 1, repeating: 1), coefficientNames: ["intrcpt"],
            coefficients: [estimate], residuals: effectSizes.map { $0 - estimate },
            marginalCovariance: try Self.diagonal(samplingVariances.map { $0 + t2 }), testedCoefficients: [0])
    }

    static func diagonal(_ variances: [Double]) throws(ClusterRobustError) -> SamplingCovariance {
        do { return try SamplingCovariance(variances: variances) } catch { throw .invalidMarginalCovariance("\(error)") }
    }
}

extension MetaRegressionModel: ClusterRobustModel {
    /// X, e = y − Xβ̂, M = diag(vᵢ + τ̂²); the omnibus test covers the moderators (all coefficients without an intercept).
    public func robustWorkingModel() throws(ClusterRobustError) -> RobustWorkingModel {
        guard userWeights == nil else { throw .unsupportedWeights }
        let t2 = tauSquared
        let x = design.matrix
        let fitted = x * coefficients
        let tested = design.moderatorCoefficientIndices
        return RobustWorkingModel(
            design: x, coefficientNames: coefficientNames, coefficients: coefficients,
            residuals: zip(effectSizes, fitted).map { $0 - $1 },
            marginalCovariance: try RandomEffectsModel.diagonal(samplingVariances.map { $0 + t2 }),
            testedCoefficients: tested.isEmpty ? Array(0..<coefficientCount) : tested)
    }
}
