import Testing
import MetaNumerics
@testable import MetaAnalysis

@Suite struct ClusterRobustInferenceTests {
    static let y = [0.1, 0.5, 0.3, -0.2, 0.8, 0.4, 0.0, 0.6]
    static let v = [0.02, 0.05, 0.03, 0.04, 0.06, 0.02, 0.03, 0.05]
    static let x = [1.0, 2, 3, 4, 5, 6, 7, 8]
    static let clusters = ["a", "a", "b", "b", "b", "c", "d", "d"]

    static func model(order: [Int] = Array(0..<8)) throws -> RobustWorkingModel {
        let fit = try MetaRegressionModel.fit(effectSizes: order.map { y[$0] }, samplingVariances: order.map { v[$0] },
                                              design: DesignMatrix(continuous: [("x", order.map { x[$0] })]),
                                              options: RandomEffectsOptions(estimator: .derSimonianLaird, test: .z))
        return try fit.robustWorkingModel()
    }

    @Test func cr1IsCR0TimesMOverMMinusP() throws {
        let cr0 = try ClusterRobustInference(model: Self.model(), clusters: Self.clusters, correction: .cr0)
        let cr1 = try ClusterRobustInference(model: Self.model(), clusters: Self.clusters, correction: .cr1)
        for (a, b) in zip(cr0.covariance.elements, cr1.covariance.elements) { #expect(abs(b - a * 4 / 2) <= 1e-15 * abs(b)) }
        #expect(cr1.degreesOfFreedom == [2, 2] && cr1.omnibusDegreesOfFreedom == (1, 2))
    }

    /// Permuting the effects (with their clusters) changes nothing; CR2's df and HTZ test included.
    @Test(arguments: SmallSampleCorrection.allCases)
    func permutationInvariant(_ correction: SmallSampleCorrection) throws {
        let order = [5, 2, 7, 0, 3, 6, 1, 4]
        let a = try ClusterRobustInference(model: Self.model(), clusters: Self.clusters, correction: correction)
        let b = try ClusterRobustInference(model: Self.model(order: order), clusters: order.map { Self.clusters[$0] }, correction: correction)
        func close(_ p: Double, _ q: Double) -> Bool { abs(p - q) <= 1e-10 * max(abs(q), 1e-12) }
        #expect(zip(a.standardErrors, b.standardErrors).allSatisfy(close))
        #expect(zip(a.degreesOfFreedom, b.degreesOfFreedom).allSatisfy(close))
        #expect(close(a.omnibusStatistic, b.omnibusStatistic) && close(a.omnibusDegreesOfFreedom.denominator, b.omnibusDegreesOfFreedom.denominator))
    }

    /// With one coefficient tested, the HTZ test is the square of the t test with Satterthwaite df.
    @Test func htzWithOneRestrictionIsTheSatterthwaiteTTest() throws {
        let r = try ClusterRobustInference(model: Self.model(), clusters: Self.clusters, correction: .cr2)
        #expect(abs(r.omnibusStatistic - r.statistics[1] * r.statistics[1]) <= 1e-12 * r.omnibusStatistic)
        #expect(abs(r.omnibusDegreesOfFreedom.denominator - r.degreesOfFreedom[1]) <= 1e-10 * r.degreesOfFreedom[1])
        #expect(abs(r.omnibusPValue - r.pValues[1]) <= 1e-10)
    }

    @Test func badClustersAreNamed() throws {
        let model = try Self.model()
        #expect(throws: ClusterRobustError.singleCluster(label: "s")) {
            try ClusterRobustInference(model: model, clusters: Array(repeating: "s", count: 8))
        }
        #expect(throws: ClusterRobustError.tooFewClusters(clusters: 2, coefficients: 2)) {
            try ClusterRobustInference(model: model, clusters: ["a", "a", "a", "a", "b", "b", "b", "b"])
        }
        #expect(throws: ClusterRobustError.clusterCountMismatch(labels: 2, effects: 8)) {
            try ClusterRobustInference(model: model, clusters: ["a", "b"])
        }
        // A marginal covariance that links effects 2 and 3 (rows 1 and 2), which are in different clusters.
        let linked = try SamplingCovariance(count: 8, blocks: [(rows: [0], values: [0.1]), (rows: [1, 2], values: [0.1, 0.02, 0.02, 0.1])]
            + (3..<8).map { (rows: [$0], values: [0.1]) })
        let crossing = RobustWorkingModel(design: model.design, coefficientNames: model.coefficientNames, coefficients: model.coefficients,
                                          residuals: model.residuals, marginalCovariance: linked, testedCoefficients: [1])
        #expect(throws: ClusterRobustError.notNested(rowA: 1, rowB: 2)) {
            try ClusterRobustInference(model: crossing, clusters: Self.clusters)
        }
    }
}
