import Foundation
import MetaData
import MetaNumerics
import Testing
@testable import MetaAnalysis

/// Case-deletion diagnostics of multilevel fits against metafor 3.8-1 (R 4.2.2, Debian): the bank (metafor 5.1-12)
/// has no such cases, so `Fixtures/MultilevelInfluence/metafor-3.8-1.json` was generated on the development
/// machine by `multilevel-influence.R` beside it, on the bank's CSVs (`ConformanceTests/BankMV/data`).
///
/// Tolerance: metafor's refits stop at nlminb's relative tolerance (`rel_tol`: 1e-10 for every case, the tightest at
/// which all refits converged; 1e-12 leaves some refits NA). Its own full fits are then this far from the bank's
/// `expected_tight`: konstantopoulos2011 σ² 2.7e-8 relative; berkey1998 UN τ², ρ up to 1.0e-5 relative. The
/// diagnostics are differences and ratios of such fits, so they are compared at 1e-6 (relative, absolute floor 1e-6)
/// for the nested-intercept cases and at 1e-4 (floor 1e-5) for the UN case — the reference's accuracy, measured,
/// not a property of MetaSwift, whose fits converge to |score| < 1e-8 (MultilevelConformanceTests).
@Suite struct MultilevelInfluenceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/MultilevelInfluence/")
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../ConformanceTests/BankMV/data/")
    /// (relative, absolute floor) per case: see the suite's comment.
    static func tolerance(_ id: String) -> (relative: Double, absolute: Double) {
        id.hasPrefix("berkey1998") ? (1e-4, 1e-5) : (1e-6, 1e-6)
    }

    static func reference() throws -> [String: [String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("metafor-3.8-1.json")))
        return try #require((json as? [String: Any])?["cases"] as? [String: [String: Any]])
    }

    static func table(_ name: String) throws -> DataTable { try CSVFile(path: data.appendingPathComponent(name).path).table }

    /// The case's model, fitted as the R script fits it.
    static func fit(_ id: String) throws -> (MultilevelFit, clusterLabels: [String]) {
        switch id {
        case "konstantopoulos2011_district_school", "konstantopoulos2011_year_ML":
            let t = try table("konstantopoulos2011.csv")
            let rows = Array(0..<t.rowCount)
            let design = id.hasSuffix("ML")
                ? try DesignMatrix(continuous: [("year_c", try t.numbers("year_c", neededBy: "test"))])
                : try DesignMatrix(intercept: true, studyCount: rows.count)
            let model = try MultilevelModel(effects: try t.numbers("yi", neededBy: "test"),
                                            samplingCovariance: SamplingCovariance(variances: try t.numbers("vi", neededBy: "test")),
                                            design: design,
                                            groupings: try NestedRandomIntercepts(formula: "~ 1 | district/school").groupings(from: t, rows: rows))
            return (try model.fit(method: id.hasSuffix("ML") ? .maximumLikelihood : .restrictedMaximumLikelihood),
                    try t.labels("district", neededBy: "test"))
        case "assink2016_year":
            let t = try table("assink2016.csv")
            let rows = Array(0..<t.rowCount)
            let model = try MultilevelModel(effects: try t.numbers("yi", neededBy: "test"),
                                            samplingCovariance: SamplingCovariance(variances: try t.numbers("vi", neededBy: "test")),
                                            design: try DesignMatrix(continuous: [("year", try t.numbers("year", neededBy: "test"))]),
                                            groupings: try NestedRandomIntercepts(formula: "~ 1 | study/esid").groupings(from: t, rows: rows))
            return (try model.fit(), try t.labels("study", neededBy: "test"))
        case "berkey1998_UN":
            let t = try table("berkey1998.csv")
            let trial = try t.labels("trial", neededBy: "test")
            let v1 = try t.numbers("v1i", neededBy: "test"), v2 = try t.numbers("v2i", neededBy: "test")
            // V: per trial, the rows' (v1i, v2i) pairs are the rows of its 2 × 2 block (metafor's bldiag of split()).
            var blocks: [(rows: [Int], values: [Double])] = []
            for label in Set(trial) {
                let rows = trial.indices.filter { trial[$0] == label }
                blocks.append((rows, rows.flatMap { [v1[$0], v2[$0]] }))
            }
            let outcome = try t.labels("outcome", neededBy: "test")
            let model = try MultilevelModel(
                effects: try t.numbers("yi", neededBy: "test"), samplingCovariance: SamplingCovariance(count: trial.count, blocks: blocks),
                design: try DesignMatrix(categorical: [("outcome", outcome)], intercept: false), groupings: [],
                correlatedTerms: [CorrelatedRandomEffects(innerColumn: "outcome", innerLabels: outcome, outerColumn: "trial",
                                                          outerLabels: trial, structure: .unstructured)])
            return (try model.fit(), trial)
        default:
            Issue.record("no model for \(id)")
            throw CancellationError()
        }
    }

    static func expectClose(_ actual: [Double], _ expected: Any?, _ what: String, tolerance: (relative: Double, absolute: Double)) {
        guard let expected = expected as? [Any] else { Issue.record("\(what): missing in the fixture"); return }
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)")
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            guard let e = e as? Double else { Issue.record("\(what)[\(i)]: the reference is NA"); continue }
            #expect(abs(a - e) <= max(tolerance.absolute, tolerance.relative * abs(e)), "\(what)[\(i)]: \(a), metafor \(e)")
        }
    }

    @Test(arguments: ["konstantopoulos2011_district_school", "konstantopoulos2011_year_ML", "assink2016_year", "berkey1998_UN"])
    func agreesWithMetafor(_ id: String) throws {
        let reference = try #require(try Self.reference()[id])
        let (fit, labels) = try Self.fit(id)
        let tol = Self.tolerance(id)
        Self.expectClose(fit.hatValues, reference["hat"], "hat", tolerance: tol)
        #expect(abs(fit.hatValues.reduce(0, +) - Double(fit.coefficients.count)) < 1e-10)

        let byCluster = fit.influence(clusterName: reference["cluster"] as? String, clusterLabels: labels, threads: 2)
        #expect(byCluster.cases.map(\.label) == reference["cluster_levels"] as? [String])
        #expect(byCluster.cases.allSatisfy { $0.failure == nil })
        Self.expectClose(byCluster.cases.map(\.cooksDistance), reference["cooks_cluster"], "cooks.distance(cluster)", tolerance: tol)
        let dfbetas = try #require(reference["dfbetas_cluster"] as? [Any])
        for (j, column) in dfbetas.enumerated() {
            Self.expectClose(byCluster.cases.map { $0.dfbetas[j] }, column, "dfbetas(cluster)[, \(j + 1)]", tolerance: tol)
        }
        Self.expectClose(byCluster.cases.map(\.residualChiSquare), reference["rstudent_cluster_X2"], "rstudent(cluster)$cluster$X2", tolerance: tol)
        #expect(byCluster.cases.map { Double($0.effects.count) } == reference["rstudent_cluster_k"] as? [Double])
        // rstudent(cluster)$obs is per effect in data order.
        var z = [Double](repeating: .nan, count: fit.effectCount)
        for c in byCluster.cases { for (i, e) in c.effects.enumerated() { z[e] = c.studentizedResiduals[i] } }
        Self.expectClose(z, reference["rstudent_cluster_obs_z"], "rstudent(cluster)$obs$z", tolerance: tol)

        guard reference["cooks_obs"] != nil else { return }
        let byEffect = fit.influence(threads: 2)
        Self.expectClose(byEffect.cases.map(\.cooksDistance), reference["cooks_obs"], "cooks.distance", tolerance: tol)
        for (j, column) in try #require(reference["dfbetas_obs"] as? [Any]).enumerated() {
            Self.expectClose(byEffect.cases.map { $0.dfbetas[j] }, column, "dfbetas[, \(j + 1)]", tolerance: tol)
        }
        Self.expectClose(byEffect.cases.map { $0.studentizedResiduals[0] }, reference["rstudent_obs_z"], "rstudent$z", tolerance: tol)
    }

    /// Deleting a case whose removal leaves a grouping with one level cannot be refitted: NaN diagnostics and the
    /// model's own error, not a crash or a silent number.
    @Test func aCaseThatCannotBeDeletedIsReportedNotGuessed() throws {
        let y = [0.1, 0.3, -0.2, 0.05]
        let groupings = try NestedRandomIntercepts(formula: "~ 1 | cluster").groupings(labels: ["cluster": ["a", "a", "b", "b"]], effectCount: 4)
        let fit = try MultilevelModel(effects: y, samplingCovariance: SamplingCovariance(variances: [0.02, 0.03, 0.025, 0.02]),
                                      design: DesignMatrix(intercept: true, studyCount: 4), groupings: groupings).fit()
        let influence = fit.influence(clusterName: "cluster", clusterLabels: ["a", "a", "b", "b"], threads: 1)
        for c in influence.cases {
            #expect(c.failure == .singleLevel(component: "cluster", level: c.label == "a" ? "b" : "a"))
            #expect(c.cooksDistance.isNaN && c.dfbetas.allSatisfy(\.isNaN) && c.refit == nil)
        }
    }

    /// Threads change nothing.
    @Test func resultDoesNotDependOnThreads() throws {
        let (fit, labels) = try Self.fit("konstantopoulos2011_district_school")
        let one = fit.influence(clusterName: "district", clusterLabels: labels, threads: 1)
        let two = fit.influence(clusterName: "district", clusterLabels: labels, threads: 2)
        #expect(one.cases.map(\.cooksDistance) == two.cases.map(\.cooksDistance))
        #expect(one.cases.map(\.refit) == two.cases.map(\.refit))
    }
}
