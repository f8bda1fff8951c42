import MetaAnalysis
@testable import MetaReport
import Testing

@Suite("EffectSizes to forest plot")
struct EffectSizesForestPlotTests {
    @Test func bcgRowsCarryTheWaldIntervals() throws {
        let fixture = try BCGFixture()
        let sizes = EffectSizes(measure: .logRiskRatio, studies: fixture.studies.map(\.label), yi: fixture.yi, vi: fixture.vi)
        let rows = sizes.forestPlotRows(weightsPercent: fixture.numbers(fixture.model, "weights_pct"))
        // metafor's summary(escalc(...)) limits for BCG (bank case escalc/bcg_RR: ci_lb, ci_ub).
        let expected = try BCGFixture.expected("escalc/bcg_RR.json")
        let lower = fixture.numbers(expected, "ci_lb"), upper = fixture.numbers(expected, "ci_ub")
        #expect(rows.count == 13)
        for i in rows.indices {
            #expect(abs(rows[i].lower - lower[i]) <= 1e-12 && abs(rows[i].upper - upper[i]) <= 1e-12)
        }
        #expect(rows[0].label == "Aronson 1948")
        let plot = ForestPlot(rows: rows, scale: PlotScale(measure: sizes.measure))
        let root = try SVGTree.parse(plot.svg())
        #expect(root.descendants(class: "study-row").count == 13)
        #expect(root.descendants(class: "tick-label").contains { $0.text == "1" })
    }

    @Test func ratioMeasuresUseTheLogScale() {
        #expect(PlotScale(measure: .logOddsRatio) == .log)
        #expect(PlotScale(measure: .logIncidenceRateRatio) == .log)
        #expect(PlotScale(measure: .standardizedMeanDifference) == .identity)
        #expect(PlotScale(measure: .logitProportion) == .identity)
        #expect(PlotScale.log.defaultNullValue == 1 && PlotScale.identity.defaultNullValue == 0)
    }
}
