/// The omnibus (Wald-type) test that a set of coefficients is zero: QM = b̂ᵀ V⁻¹ b̂ over those coefficients
/// (Raudenbush 2009, eq. 16.17), referred to χ²(m) for the z test, or QM/m to F(m, k − p) for the t-based
/// tests (Knapp & Hartung 2003, with V already scaled by s²_w for knha/adhoc).
public struct OmnibusTest: Sendable, Equatable {
    /// QM (χ² statistic), or QM/m (F statistic) for t-based tests.
    public var statistic: Double
    public var pValue: Double
    /// m, the number of coefficients tested.
    public var numeratorDegreesOfFreedom: Int
    /// k − p for the F test; nil for χ².
    public var denominatorDegreesOfFreedom: Int?
    /// The coefficient indices tested.
    public var coefficientIndices: [Int]

    public init(statistic: Double, pValue: Double, numeratorDegreesOfFreedom: Int, denominatorDegreesOfFreedom: Int?,
                coefficientIndices: [Int]) {
        self.statistic = statistic
        self.pValue = pValue
        self.numeratorDegreesOfFreedom = numeratorDegreesOfFreedom
        self.denominatorDegreesOfFreedom = denominatorDegreesOfFreedom
        self.coefficientIndices = coefficientIndices
    }
}
