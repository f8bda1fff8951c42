import MetaAnalysis
import Testing
import Foundation

/// Meta-regressions of the BCG trials on absolute latitude against the values printed in the papers
/// (shared/published-values.md), each to the digits printed: within one unit of the last printed decimal,
/// because the papers truncate as often as they round (Berkey's −0.5949 is −0.594971…; metafor 3.8-1 gives the
/// same values as MetaSwift, which agrees with it to 1e-7 in the conformance bank).
@Suite("Meta-regression: published values")
struct MetaRegressionPublishedValuesTests {
    static func close(_ x: Double, _ printed: Double, decimals: Double = 4) -> Bool {
        abs(x - printed) < pow(10, -decimals)
    }

    /// van Houwelingen, Arends & Stijnen (2002), Stat Med 21:589–624, pp. 596–613: log odds ratio on latitude,
    /// ML random effects: β = (0.3710, −0.0327), SE = (0.1061, 0.0034), τ² = 0.0040.
    @Test("van Houwelingen et al. 2002: ML meta-regression of log OR on latitude")
    func vanHouwelingen2002() throws {
        let es = try BCGData.effectSizes(.logOddsRatio)
        let design = try DesignMatrix.build(from: BCGData.table, moderators: [Moderator(column: "ablat")], rows: Array(0..<13))
        let m = try MetaRegressionModel.fit(effectSizes: es.yi, samplingVariances: es.vi, design: design,
                                            options: RandomEffectsOptions(estimator: .maximumLikelihood, test: .z))
        #expect(m.coefficientNames == ["intrcpt", "ablat"])
        #expect(Self.close(m.coefficients[0], 0.3710) && Self.close(m.coefficients[1], -0.0327), "\(m.coefficients)")
        // The paper prints SE(β₀) = 0.1061; the ML fit gives 0.105971 (metafor 3.8-1 too: 0.1060), 1.3 units of the
        // last decimal away, presumably from the paper's own optimiser. Documented deviation, held to 1.5 units.
        #expect(abs(m.standardErrors[0] - 0.1061) < 1.5e-4, "\(m.standardErrors)")
        #expect(Self.close(m.standardErrors[1], 0.0034), "\(m.standardErrors)")
        #expect(Self.close(m.tauSquared, 0.0040), "\(m.tauSquared)")
    }

    /// Berkey, Hoaglin, Mosteller & Colditz (1995), Stat Med 14:395–411, p. 408: log relative risk with the
    /// "smoothed" sampling variances v_i = Σ_j(b_j/a_j)/(13 (a_i + b_i)) + Σ_j(d_j/c_j)/(13 (c_i + d_i)) and latitude
    /// centred at its mean (33.46). Empirical Bayes: β = (−0.6303, −0.0268), SE = (0.1591, 0.0110), τ² = 0.1572;
    /// fixed effects: β = (−0.5949, −0.0282).
    static func berkey() throws -> (y: [Double], v: [Double], design: DesignMatrix) {
        let es = try BCGData.effectSizes(.logRiskRatio)
        let a = try BCGData.column("ai"), b = try BCGData.column("bi"), c = try BCGData.column("ci"), d = try BCGData.column("di")
        let k = Double(a.count)
        let sumBA = zip(b, a).reduce(0) { $0 + $1.0 / $1.1 }, sumDC = zip(d, c).reduce(0) { $0 + $1.0 / $1.1 }
        let v = (0..<a.count).map { sumBA / (k * (a[$0] + b[$0])) + sumDC / (k * (c[$0] + d[$0])) }
        let latitude = try BCGData.column("ablat")
        let mean = latitude.reduce(0, +) / k
        let design = try DesignMatrix(continuous: [("ablat", latitude.map { $0 - mean })])
        return (es.yi, v, design)
    }

    @Test("Berkey et al. 1995: empirical Bayes mixed model on centred latitude")
    func berkey1995Mixed() throws {
        let (y, v, design) = try Self.berkey()
        let m = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design,
                                            options: RandomEffectsOptions(estimator: .empiricalBayes, test: .z))
        #expect(Self.close(m.coefficients[0], -0.6303) && Self.close(m.coefficients[1], -0.0268), "\(m.coefficients)")
        #expect(Self.close(m.standardErrors[0], 0.1591) && Self.close(m.standardErrors[1], 0.0110), "\(m.standardErrors)")
        #expect(Self.close(m.tauSquared, 0.1572), "\(m.tauSquared)")
    }

    @Test("Berkey et al. 1995: fixed-effects meta-regression on centred latitude")
    func berkey1995Fixed() throws {
        let (y, v, design) = try Self.berkey()
        let m = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design,
                                            options: RandomEffectsOptions(estimator: .commonEffect, test: .z))
        #expect(Self.close(m.coefficients[0], -0.5949) && Self.close(m.coefficients[1], -0.0282), "\(m.coefficients)")
    }

    @Test("Berkey et al. 1995: empirical Bayes random-effects model without moderators")
    func berkey1995RandomEffects() throws {
        let (y, v, _) = try Self.berkey()
        let m = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v,
                                           options: RandomEffectsOptions(estimator: .empiricalBayes, test: .z))
        #expect(Self.close(m.estimate, -0.5429) && Self.close(m.standardError, 0.1842), "\(m.estimate) \(m.standardError)")
        #expect(Self.close(m.tauSquared, 0.2682), "\(m.tauSquared)")
    }
}
