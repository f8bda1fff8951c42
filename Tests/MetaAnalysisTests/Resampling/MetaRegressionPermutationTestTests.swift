import MetaAnalysis
import MetaNumerics
import Testing

/// Exact permutation p-values of meta-regressions against metafor 3.8-1's `permutest()` (R 4.2.2):
///
///     h <- escalc(measure = "RD", n1i = n1i, n2i = n2i, ai = ai, ci = ci, data = dat.hine1989)
///     h$mod <- c(3, 1, 2, 2, 4, 5)                  # metafor's own test (test_misc_permutest.r)
///     permutest(rma(yi, vi, mods = ~ mod, data = h))  # exact: 6!/2! = 360 arrangements
///     dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)[1:7, ]
///     permutest(rma(yi, vi, mods = ~ ablat, data = dat, method = "DL"), iter = 10000)  # exact: 7!/2! = 2520
@Suite("Permutation test of a meta-regression (row permutations), against metafor's permutest")
struct MetaRegressionPermutationTestTests {
    static let hineY = [0.028026237328562909, 0, 0.019711129991503824, 0.017961165048543684, 0.035334476843910799, 0.044031311154598823]
    static let hineV = [0.0017757477454934036, 0.0037565740045078888, 0.00081323398897812532, 0.0010899751950853233,
                        0.00080114032990701879, 0.00061320306135560787]

    @Test("hine1989 with a moderator (REML, z): p = (1, 1/360), QMp = 1/360")
    func hine() throws {
        let design = try DesignMatrix(continuous: [("mod", [3, 1, 2, 2, 4, 5])])
        let model = try MetaRegressionModel.fit(effectSizes: Self.hineY, samplingVariances: Self.hineV, design: design, options: .metafor)
        let test = try MetaRegressionPermutationTest(model: model)
        #expect(test.distinctArrangements(upTo: 1000) == 360)
        let result = try test.run(iterations: 1000, seed: 1, threads: 2)
        #expect(result.exact && result.permutations == 360 && result.failedPermutations.isEmpty)
        #expect(result.pValues == [1, 1.0 / 360])
        #expect(result.moderatorPValue == 1.0 / 360)
        #expect(abs(result.observed.statistics[1] - 0.91251456363530581) < 1e-9)
        #expect(abs(result.observed.moderatorStatistic - 0.83268282884653255) < 1e-9)
    }

    @Test("BCG trials 1-7 on latitude (DL, z): p = (0.9194.., 0.1861..) over 2520 arrangements")
    func bcgLatitude() throws {
        let (y, v) = ResamplingTestData.bcg
        let design = try DesignMatrix(continuous: [("ablat", [44, 55, 42, 52, 13, 44, 19])])
        let model = try MetaRegressionModel.fit(effectSizes: Array(y.prefix(7)), samplingVariances: Array(v.prefix(7)), design: design,
                                                options: RandomEffectsOptions(estimator: .derSimonianLaird, test: .z))
        let result = try MetaRegressionPermutationTest(model: model).run(iterations: 10_000, seed: 1)
        #expect(result.exact && result.permutations == 2520)
        #expect(result.pValues == [0.9194444444444444, 0.18611111111111112])
        #expect(result.moderatorPValue == 0.18611111111111112)
    }

    @Test("Refit statistics equal the full MetaRegressionModel; the approximate test is thread-independent")
    func refitAndThreads() throws {
        let (y, v) = ResamplingTestData.bcg
        let latitude: [Double] = [44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33]
        let design = try DesignMatrix(continuous: [("ablat", latitude)])
        for estimator in [TauSquaredEstimator.restrictedMaximumLikelihood, .derSimonianLaird, .pauleMandel] {
            for test in [CoefficientTest.z, .knha] {
                let model = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design,
                                                        options: RandomEffectsOptions(estimator: estimator, test: test))
                let refit = try MetaRegressionPermutationTest(model: model).observed
                #expect(refit.coefficients == model.coefficients)
                #expect(refit.statistics == model.statistics)
                #expect(refit.tauSquared == model.tauSquared && refit.iSquared == model.iSquared && refit.hSquared == model.hSquared)
                // metafor reports F = QM/m with t-based tests; the refit keeps the χ² form QM.
                let omnibus = model.moderatorTest!
                let qm = omnibus.statistic * (test.usesTDistribution ? Double(omnibus.numeratorDegreesOfFreedom) : 1)
                #expect(abs(refit.moderatorStatistic - qm) <= 1e-12 * qm)
            }
        }
        let model = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, options: .metafor)
        let test = try MetaRegressionPermutationTest(model: model)
        #expect(test.distinctArrangements(upTo: 1_000_000) == nil)
        let one = try test.run(iterations: 300, seed: 4, threads: 1)
        let three = try test.run(iterations: 300, seed: 4, threads: 3)
        #expect(!one.exact && one == three)
    }
}
