import MetaData
import MetaNumerics

/// PET-PEESE (Stanley & Doucouliagos 2014): the precision-effect test (PET, y on √v) and the precision-effect
/// estimate with standard error (PEESE, y on v), both weighted least squares with weights 1/v_i and a
/// multiplicative residual variance, and the conditional estimate: PEESE's intercept when PET's intercept
/// differs from 0 (a genuine effect is likely), PET's intercept otherwise.
///
/// The condition tests PET's intercept two-sided at `alpha` = 0.10, i.e. one-sided at 5% in the direction of
/// the estimate (Stanley & Doucouliagos 2014, section 3; Stanley 2017).
public struct PETPEESE: Sendable {
    public let pet: EggerRegressionTest
    public let peese: EggerRegressionTest
    /// The two-sided p-value of PET's intercept (H₀: no genuine effect).
    public let petInterceptPValue: Double
    public let alpha: Double
    /// Whether PEESE's intercept was chosen.
    public let usesPEESE: Bool
    /// The conditional PET-PEESE estimate and its confidence interval.
    public var estimate: Double { (usesPEESE ? peese : pet).limitEstimate! }
    public var confidenceLower: Double { (usesPEESE ? peese : pet).limitLower! }
    public var confidenceUpper: Double { (usesPEESE ? peese : pet).limitUpper! }
    public let diagnostics: [BiasDiagnostic]

    /// - Throws: `InputError` for fewer than 3 studies or bad values.
    public init(effectSizes y: [Double], samplingVariances v: [Double], alpha: Double = 0.10, level: Double = 95) throws {
        guard alpha > 0, alpha < 1 else {
            throw InputError.invalidOption(name: "alpha", value: String(alpha), expected: "a significance level between 0 and 1")
        }
        let options = RandomEffectsOptions(estimator: .commonEffect, test: .t, level: level)
        pet = try EggerRegressionTest(effectSizes: y, samplingVariances: v, regression: .lm, predictor: .sei, options: options)
        peese = try EggerRegressionTest(effectSizes: y, samplingVariances: v, regression: .lm, predictor: .vi, options: options)
        let t = StudentT(degreesOfFreedom: Double(pet.degreesOfFreedom!))
        petInterceptPValue = t.twoSidedPValue(pet.coefficients[0] / pet.standardErrors[0])
        self.alpha = alpha
        usesPEESE = petInterceptPValue < alpha
        diagnostics = BiasDiagnostic.studyCountNote(y.count, "PET-PEESE")
    }
}
