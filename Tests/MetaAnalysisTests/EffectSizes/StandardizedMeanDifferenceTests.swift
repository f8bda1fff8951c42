import MetaData
@testable import MetaAnalysis
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Standardized mean differences")
struct StandardizedMeanDifferenceTests {
    /// c(m) = Γ(m/2)/(√(m/2) Γ((m−1)/2)) (Hedges 1981, eq. 6e) in closed form where Γ is elementary:
    /// c(2) = 1/√π, c(3) = (√π/2)/√1.5, c(4) = 1/(√2 · √π/2) (Γ(1) = Γ(2) = 1, Γ(1/2) = √π, Γ(3/2) = √π/2).
    @Test func exactBiasCorrectionAtSmallDegreesOfFreedom() {
        let pi = Double.pi
        #expect(abs(hedgesCorrection(2) - 1 / pi.squareRoot()) < 1e-15)
        #expect(abs(hedgesCorrection(3) - (pi.squareRoot() / 2) / 1.5.squareRoot()) < 1e-15)
        #expect(abs(hedgesCorrection(4) - 1 / (2.0.squareRoot() * pi.squareRoot() / 2)) < 1e-15)
        #expect(hedgesCorrection(1).isNaN)
    }

    /// Hedges (1981) approximation c(m) ≈ 1 − 3/(4m − 1), whose error is about 0.031/m²: the exact value must
    /// stay that close at large m, where a naive log-gamma difference loses digits (~3e-10 at m = 10⁶).
    @Test(arguments: [300.0, 398.0, 402.0, 1e3, 1e4, 1e6, 1e9])
    func matchesTheApproximationForLargeM(m: Double) {
        #expect(abs(hedgesCorrection(m) - (1 - 3 / (4 * m - 1))) < 0.04 / (m * m) + 2e-16)
    }

    /// Borenstein et al. (2009), *Introduction to Meta-Analysis*, ch. 4 worked example: means 103 vs 100,
    /// SDs 5.5 and 4.5, n = 50 per group: S_within = 5.0249, d = 0.5970, g = 0.5924.
    @Test func hedgesGWorkedExample() throws {
        let table = try DataTable(csv: "m1i,sd1i,n1i,m2i,sd2i,n2i\n103,5.5,50,100,4.5,50\n")
        let es = try EffectSizes.compute(measure: .standardizedMeanDifference, data: table)
        #expect(abs(es.yi[0] - 0.5924) < 5e-5)
    }
}
