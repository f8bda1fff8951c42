import MetaAnalysis
import Testing

@Suite("Subgroup analysis")
struct SubgroupAnalysisTests {
    static func bcg(_ options: RandomEffectsOptions) throws -> SubgroupAnalysis {
        let es = try BCGData.effectSizes(.logRiskRatio)
        let alloc = try BCGData.table.strings("alloc", neededBy: "test")
        return try SubgroupAnalysis.fit(effectSizes: es.yi, samplingVariances: es.vi, groups: alloc, groupColumn: "alloc",
                                        studies: es.studies, options: options)
    }

    /// The classical fixed-effect partition (Borenstein et al. 2009, ch. 19): Q_total = Q_between + Σ Q_within, and
    /// Q_between from the subgroup estimates equals QM of the common-effect meta-regression on the factor.
    @Test("common effect: Q_total = Q_between + Σ Q_within = QM + QE")
    func partition() throws {
        let a = try Self.bcg(RandomEffectsOptions(estimator: .commonEffect, test: .z))
        let qWithin = a.subgroups.reduce(0) { $0 + ($1.model.cochranQ ?? 0) }
        let qTotal = try RandomEffectsModel.fit(effectSizes: a.commonEffectModel.effectSizes,
                                                samplingVariances: a.commonEffectModel.samplingVariances,
                                                options: RandomEffectsOptions(estimator: .commonEffect, test: .z)).cochranQ!
        #expect(abs(a.betweenGroupsQ + qWithin - qTotal) <= 1e-10 * qTotal)
        #expect(abs(a.betweenGroupsQ - a.commonEffectModel.moderatorTest!.statistic) <= 1e-10 * a.betweenGroupsQ)
        #expect(abs(a.commonEffectModel.cochranQ - qWithin) <= 1e-10 * qWithin)
        #expect(a.levels == ["alternate", "random", "systematic"])
        #expect(a.commonTauSquaredModel.coefficientNames == ["intrcpt", "allocrandom", "allocsystematic"])
        #expect(a.betweenGroupsDegreesOfFreedom == 2)
    }

    @Test("random effects: each subgroup is the model fitted to its own studies")
    func separateFits() throws {
        let a = try Self.bcg(RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .knha))
        let es = try BCGData.effectSizes(.logRiskRatio)
        for s in a.subgroups {
            let m = try RandomEffectsModel.fit(effectSizes: s.rows.map { es.yi[$0] }, samplingVariances: s.rows.map { es.vi[$0] },
                                               options: RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .knha))
            #expect(m.estimate == s.model.estimate && m.tauSquared == s.model.tauSquared)
        }
        #expect(a.subgroups.map(\.rows.count) == [2, 7, 4])
    }

    @Test("a grouping column with one level is a typed error naming it")
    func singleLevel() {
        #expect(throws: MetaRegressionError.singleLevel(column: "route", level: "iv")) {
            try SubgroupAnalysis.fit(effectSizes: [0.1, 0.2, 0.3], samplingVariances: [0.1, 0.1, 0.1], groups: ["iv", "iv", "iv"],
                                     groupColumn: "route")
        }
    }
}

@Suite("Meta-regression: designs without intercept, user weights, single-study subgroups")
struct MetaRegressionVariantsTests {
    /// Without an intercept a factor keeps every level (R's full dummy coding); the common-effect coefficients are
    /// then the per-level inverse-variance means, and QM tests all of them.
    @Test("no intercept: one coefficient per level equal to the subgroup EE means")
    func noIntercept() throws {
        let es = try BCGData.effectSizes(.logRiskRatio)
        let alloc = try BCGData.table.strings("alloc", neededBy: "test")
        let design = try DesignMatrix(categorical: [("alloc", alloc)], intercept: false)
        #expect(design.coefficientNames == ["allocalternate", "allocrandom", "allocsystematic"])
        let ee = RandomEffectsOptions(estimator: .commonEffect, test: .z)
        let m = try MetaRegressionModel.fit(effectSizes: es.yi, samplingVariances: es.vi, design: design, options: ee)
        let a = try SubgroupAnalysis.fit(effectSizes: es.yi, samplingVariances: es.vi, groups: alloc, groupColumn: "alloc", options: ee)
        for (j, s) in a.subgroups.enumerated() {
            #expect(abs(m.coefficients[j] - s.model.estimate) <= 1e-12 * abs(s.model.estimate))
            #expect(abs(m.standardErrors[j] - s.model.standardError) <= 1e-12 * s.model.standardError)
        }
        #expect(m.moderatorTest?.coefficientIndices == [0, 1, 2])
        #expect(m.rSquared == nil)
        #expect(try design.row(for: ["alloc": "random"]) == [0, 1, 0])
    }

    /// GENQ with moderators (DerSimonian & Kacker 2007, section 3): τ² = (Q_A − tr(P_A V))/tr(P_A) with the user
    /// weights A, computed here with the explicit k × k P_A.
    @Test("GENQ with moderators against the explicit generalized Q")
    func generalizedQ() throws {
        let es = try BCGData.effectSizes(.logRiskRatio)
        let ablat = try BCGData.column("ablat"), n = try BCGData.column("ntotal")
        let design = try DesignMatrix(continuous: [("ablat", ablat)])
        let m = try MetaRegressionModel.fit(effectSizes: es.yi, samplingVariances: es.vi, design: design, userWeights: n,
                                            options: RandomEffectsOptions(estimator: .generalizedQ, test: .z))
        let x = (0..<13).map { [1.0, ablat[$0]] }
        let f = DirectAlgebra.fit(x: x, y: es.yi, w: n)
        let q = DirectAlgebra.quadratic(f.p, es.yi, es.yi)
        let trP = (0..<13).reduce(0) { $0 + f.p[$1][$1] }
        let trPV = (0..<13).reduce(0) { $0 + f.p[$1][$1] * es.vi[$1] }
        let tau2 = max(0, (q - trPV) / trP)
        #expect(abs(m.tauSquared - tau2) <= 1e-10 * max(tau2, 1e-3))
        for j in 0..<2 { #expect(abs(m.coefficients[j] - f.beta[j]) <= 1e-10 * max(1, abs(f.beta[j]))) }
    }

    @Test("a subgroup with a single study is reported without heterogeneity statistics")
    func singleStudySubgroup() throws {
        let a = try SubgroupAnalysis.fit(effectSizes: [0.1, 0.3, 0.2, -0.4, 0.5], samplingVariances: [0.04, 0.05, 0.02, 0.03, 0.06],
                                         groups: ["a", "a", "a", "a", "b"], groupColumn: "g",
                                         options: RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z))
        let single = a.subgroups[1].model
        #expect(single.studyCount == 1 && single.cochranQ == nil && single.estimate == 0.5)
        #expect(abs(single.standardError - 0.06.squareRoot()) <= 1e-15)
        #expect(a.betweenGroupsDegreesOfFreedom == 1)
    }
}

@Suite("Meta-regression: heterogeneity intervals")
struct MetaRegressionIntervalTests {
    /// With no moderator the meta-regression is the intercept-only model, so its Q-profile interval must be the
    /// random-effects model's (an independent implementation through `InterceptOnlyKernel`).
    @Test("intercept-only design: Q-profile CI equals the random-effects model's", arguments: [
        TauSquaredEstimator.restrictedMaximumLikelihood, .derSimonianLaird, .pauleMandel,
    ])
    func interceptOnly(estimator: TauSquaredEstimator) throws {
        let es = try BCGData.effectSizes(.logRiskRatio)
        let options = RandomEffectsOptions(estimator: estimator, test: .z)
        let design = try DesignMatrix(studyCount: es.yi.count)
        let m = try MetaRegressionModel.fit(effectSizes: es.yi, samplingVariances: es.vi, design: design, options: options)
        let r = try RandomEffectsModel.fit(effectSizes: es.yi, samplingVariances: es.vi, options: options)
        let a = try #require(try m.heterogeneityConfidenceIntervals()), b = try #require(try r.heterogeneityConfidenceIntervals())
        for (x, y) in [(a.tauSquared.lower, b.tauSquared.lower), (a.tauSquared.upper, b.tauSquared.upper),
                       (a.iSquared.lower, b.iSquared.lower), (a.hSquared.upper, b.hSquared.upper)] {
            #expect(abs(x - y) <= 1e-9 * max(1, abs(y)))
        }
        #expect(m.moderatorTest == nil && m.rSquared == nil)
    }

    @Test("the Q-profile bounds solve Q_E(τ²) = χ² quantiles for a model with moderators")
    func boundsSolveTheEquation() throws {
        let es = try BCGData.effectSizes(.logRiskRatio)
        let design = try DesignMatrix(continuous: [("ablat", try BCGData.column("ablat"))])
        let m = try MetaRegressionModel.fit(effectSizes: es.yi, samplingVariances: es.vi, design: design,
                                            options: RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z))
        let i = try #require(try m.heterogeneityConfidenceIntervals())
        #expect(i.tauSquared.lower <= m.tauSquared && m.tauSquared <= i.tauSquared.upper)
        // χ²₁₁ quantiles 0.975 and 0.025 (R: qchisq(c(.975, .025), 11)).
        let qLower = m.kernel.fit(tauSquared: i.tauSquared.lower).residualQ
        let qUpper = m.kernel.fit(tauSquared: i.tauSquared.upper).residualQ
        if i.tauSquared.lower > 0 { #expect(abs(qLower - 21.92004926) <= 1e-6) }
        #expect(abs(qUpper - 3.815748252) <= 1e-6)
    }
}
