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
