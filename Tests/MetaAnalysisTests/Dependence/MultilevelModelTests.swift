import MetaNumerics
import Testing
@testable import MetaAnalysis

@Suite struct MultilevelModelTests {
    /// Six effects in three clusters of two: a small three-level data set.
    static let y = [0.1, 0.3, -0.2, 0.05, 0.6, 0.45]
    static let v = [0.02, 0.03, 0.025, 0.02, 0.04, 0.03]
    static let outer = ["a", "a", "b", "b", "c", "c"]
    static let inner = ["1", "2", "1", "2", "1", "2"]

    static func model(y: [Double] = y, v: [Double] = v, outer: [String] = outer, inner: [String] = inner) throws -> MultilevelModel {
        let term = try NestedRandomIntercepts(formula: "~ 1 | cluster/obs")
        let groupings = try term.groupings(labels: ["cluster": outer, "obs": inner], effectCount: y.count)
        return try MultilevelModel(effects: y, samplingCovariance: SamplingCovariance(variances: v),
                                   design: DesignMatrix(intercept: true, studyCount: y.count), groupings: groupings)
    }

    @Test func formulaParsesNestingLevels() throws {
        let term = try NestedRandomIntercepts(formula: " ~1 |district / school")
        #expect(term.factors == ["district", "school"])
        let g = try term.groupings(labels: ["district": ["11", "2", "11"], "school": ["1", "1", "2"]], effectCount: 3)
        #expect(g.map(\.name) == ["district", "district/school"])
        // Numeric labels sort numerically, as R's factor levels of an integer column.
        #expect(g[0].levels == ["2", "11"] && g[1].levels == ["2/1", "11/1", "11/2"])
        #expect(g[1].levelOfEffect == [1, 0, 2])
    }

    @Test func badFormulasAndGroupingsAreNamed() throws {
        #expect(throws: MultilevelModelError.malformedRandomFormula("1 | a", reason: "it does not start with '~'")) {
            try NestedRandomIntercepts(formula: "1 | a")
        }
        #expect(throws: MultilevelModelError.malformedRandomFormula("~ 1 | a/a", reason: "a grouping column appears twice")) {
            try NestedRandomIntercepts(formula: "~ 1 | a/a")
        }
        #expect(throws: MultilevelModelError.missingGroupingColumn(column: "obs", formula: "~ 1 | cluster/obs")) {
            try NestedRandomIntercepts(formula: "~ 1 | cluster/obs").groupings(labels: ["cluster": Self.outer], effectCount: 6)
        }
        #expect(throws: MultilevelModelError.singleLevel(component: "cluster", level: "a")) {
            try Self.model(outer: Array(repeating: "a", count: 6))
        }
    }

    @Test func fitIsInvariantToPermutingEffects() throws {
        let fit = try Self.model().fit()
        let order = [5, 2, 0, 4, 1, 3]
        let permuted = try Self.model(y: order.map { Self.y[$0] }, v: order.map { Self.v[$0] },
                                      outer: order.map { Self.outer[$0] }, inner: order.map { Self.inner[$0] }).fit()
        for (a, b) in zip(fit.sigmaSquared, permuted.sigmaSquared) { #expect(abs(a - b) <= 1e-10 * max(a, 1e-8)) }
        #expect(abs(fit.coefficients[0] - permuted.coefficients[0]) <= 1e-12)
        #expect(fit.scoreNorm < 1e-8)
    }

    @Test func workingModelWeightsInvertTheMarginalCovariance() throws {
        let fit = try Self.model().fit(method: .maximumLikelihood)
        let w = fit.workingModel
        #expect(w.clusters.map(\.rows) == [[0, 1], [2, 3], [4, 5]])
        for c in w.clusters {
            let product = c.marginalCovariance.multiplied(by: c.weights)
            for i in 0..<c.rows.count { for j in 0..<c.rows.count {
                #expect(abs(product[i, j] - (i == j ? 1 : 0)) < 1e-12)
            } }
            // M = V + σ²₁ (same cluster) + σ²₂ (same effect).
            let s = fit.sigmaSquared
            #expect(abs(c.marginalCovariance[0, 1] - s[0]) < 1e-14)
            #expect(abs(c.marginalCovariance[0, 0] - (Self.v[c.rows[0]] + s[0] + s[1])) < 1e-14)
        }
        #expect(w.residualDegreesOfFreedom == 5 && w.design.columns == 1)
    }

    @Test func fixedComponentIsHeldAndNotCounted() throws {
        let fit = try Self.model().fit(fixed: [0.01, nil])
        #expect(fit.sigmaSquared[0] == 0.01 && fit.components[0].isFixed)
        #expect(fit.parameterCount == 2)
        #expect(throws: MultilevelModelError.invalidFixedValue(component: "sigma2[cluster]", value: -1)) {
            try Self.model().fit(fixed: [-1, nil])
        }
    }
}
