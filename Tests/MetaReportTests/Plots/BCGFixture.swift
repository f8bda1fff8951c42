import Foundation
import MetaReport
import Testing
import _TestSupport

/// The BCG vaccine trials (Colditz et al. 1994, JAMA 271:698–702; metadat::dat.bcg) as plot input:
/// the trials (`BCG`), log risk ratios and their variances from the conformance bank's escalc case, pooled values from its
/// rma.uni REML case. Numbers come from the bank files, written by metafor 3.8-1.
struct BCGFixture {
    typealias Study = BCG.Trial

    let studies: [Study]
    let yi: [Double]
    let vi: [Double]
    let model: JSONValue
    let subgroups: JSONValue
    let trimfill: JSONValue
    let baujat: JSONValue

    static let bank = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank")

    static func expected(_ path: String) throws -> JSONValue {
        let text = try String(contentsOf: bank.appendingPathComponent("cases/" + path), encoding: .utf8)
        return try #require(try JSONValue(parsing: text)["expected"])
    }

    init() throws {
        studies = BCG.trials
        let escalc = try Self.expected("escalc/bcg_RR.json")
        yi = try #require(escalc["yi"]?.arrayValue).compactMap { $0.doubleValue }
        vi = try #require(escalc["vi"]?.arrayValue).compactMap { $0.doubleValue }
        model = try Self.expected("rma_uni/bcg_RR_REML_z.json")
        subgroups = try Self.expected("subgroup/bcg_RR_by_alloc_REML_z.json")
        trimfill = try Self.expected("pubbias/bcg_RR_trimfill_L0_REML.json")
        baujat = try Self.expected("diagnostics/bcg_RR_baujat_REML.json")
    }

    func number(_ value: JSONValue, _ key: String) -> Double { value[key]?.doubleValue ?? .nan }

    func numbers(_ value: JSONValue, _ key: String) -> [Double] { value[key]?.arrayValue?.compactMap(\.doubleValue) ?? [] }

    var heterogeneity: String {
        let tau2 = number(model, "tau2"), i2 = number(model, "I2"), q = number(model, "QE")
        return "Heterogeneity: τ² = \(String(format: "%.2f", tau2)); I² = \(String(format: "%.0f", i2))%; "
            + "Q = \(String(format: "%.2f", q)), df = 12, p < 0.001"
    }

    func row(_ i: Int, weight: Double?) -> ForestPlot.Row {
        let s = studies[i], se = vi[i].squareRoot()
        return ForestPlot.Row(label: s.label, estimate: yi[i], lower: yi[i] - 1.959963984540054 * se,
                              upper: yi[i] + 1.959963984540054 * se, weightPercent: weight,
                              values: ["\(s.ai)/\(s.ai + s.bi)", "\(s.ci)/\(s.ci + s.di)"])
    }

    /// The whole forest plot: 13 rows, REML diamond and prediction interval.
    func forestPlot() -> ForestPlot {
        let weights = numbers(model, "weights_pct")
        let predict = model["predict"]!
        return ForestPlot(
            title: "BCG vaccine and tuberculosis",
            rows: studies.indices.map { row($0, weight: weights[$0]) },
            overall: ForestPlot.Summary(
                label: "Random-effects model (REML)", estimate: number(model, "beta"),
                lower: number(model, "ci_lb"), upper: number(model, "ci_ub"),
                predictionLower: number(predict, "pi_lb"), predictionUpper: number(predict, "pi_ub"),
                weightPercent: 100, heterogeneity: heterogeneity),
            footnotes: ["Risk ratios with 95% Wald CIs; REML estimate of τ²; z-test."],
            columns: [ForestPlot.Column("Vaccinated"), ForestPlot.Column("Control")],
            estimateHeader: "RR [95% CI]",
            scale: .log,
            axisLabel: "Risk ratio (log scale)",
            favoursLeft: "Favours vaccine",
            favoursRight: "Favours control"
        )
    }

    /// Subgroups by allocation method with their REML diamonds and the test for subgroup differences.
    func subgroupForestPlot() -> ForestPlot {
        let levels = subgroups["subgroups"]!.arrayValue!
        let groups = levels.map { level -> ForestPlot.Subgroup in
            let name = level["level"]!.stringValue!
            let members = studies.indices.filter { studies[$0].alloc == name }
            let tau2 = number(level, "tau2")
            let w = members.map { 1 / (vi[$0] + tau2) }
            let total = w.reduce(0, +)
            return ForestPlot.Subgroup(
                title: "Allocation: " + name,
                rows: zip(members, w).map { row($0, weight: 100 * $1 / total) },
                summary: ForestPlot.Summary(
                    label: "Subtotal (k = \(members.count))", estimate: number(level, "beta"),
                    lower: number(level, "ci_lb"), upper: number(level, "ci_ub"),
                    predictionLower: number(level, "pi_lb"), predictionUpper: number(level, "pi_ub"),
                    weightPercent: 100,
                    heterogeneity: "Heterogeneity: τ² = \(String(format: "%.2f", tau2)); I² = \(String(format: "%.0f", number(level, "I2")))%"))
        }
        let test = subgroups["test_common_tau2"]!
        var plot = forestPlot()
        plot.rows = []
        plot.subgroups = groups
        plot.overall?.weightPercent = nil
        plot.subgroupTest = "Test for subgroup differences: Q = \(String(format: "%.2f", number(test, "QM"))), df = 2, p = \(String(format: "%.2f", number(test, "QMp")))"
        return plot
    }
}
