import Foundation
@testable import MetaReport
import Testing

@Suite("BarChart")
struct BarChartTests {
    /// Included studies by design, stacked by treatment class: counts tallied from
    /// Datasets/trd-review/studies.csv when this test was written (an illustration of the review's figure 1).
    static let trdChart = BarChart(
        title: "Included studies by design and treatment class",
        categories: ["Double-blind placebo-controlled RCT", "Pragmatic RCT", "Open-label trial", "Pilot (phase 1/2)",
                     "Observational", "Retrospective cohort", "Case series", "Case report", "Qualitative", "Not categorised"],
        series: [
            .init(name: "Glutamatergic", values: [15, 0, 4, 0, 16, 1, 3, 3, 1, 1]),
            .init(name: "Antipsychotic augmentation", values: [2, 3, 0, 1, 1, 3, 0, 0, 0, 0]),
            .init(name: "Psychedelic", values: [2, 0, 1, 1, 3, 0, 0, 0, 0, 0]),
        ],
        valueLabel: "Number of studies")

    @Test func stackedBarsStructure() throws {
        let svg = Self.trdChart.svg()
        saveExample(svg, as: "bars-trd")
        #expect(svg == Self.trdChart.svg())
        let root = try SVGTree.parse(svg)
        let rows = root.descendants(class: "bar-row")
        #expect(rows.count == 10)
        // One rectangle per non-zero count: 9 + 4 + 4 = 17 segments.
        #expect(root.descendants(class: "bar").count == 17)
        #expect(rows.map { $0.descendants(class: "bar-total").first?.text } == ["19", "3", "5", "2", "20", "4", "3", "3", "1", "1"])
        #expect(root.descendants(class: "legend").first?.texts == ["Glutamatergic", "Antipsychotic augmentation", "Psychedelic"])
        // Segment widths are proportional to counts: the first bar's glutamatergic part is 15/2 of its psychedelic part.
        let first = rows[0].descendants(class: "bar").compactMap { $0.number("width") }
        #expect(abs(first[0] / first[2] - 7.5) < 0.01)
    }

    @Test func singleSeriesHasNoLegend() throws {
        let chart = BarChart(categories: ["A", "B & C"], series: [.init(name: "n", values: [3, .nan])])
        let root = try SVGTree.parse(chart.svg())
        #expect(root.descendants(class: "legend").isEmpty)
        #expect(root.descendants(class: "bar").count == 1)
        #expect(root.texts.contains("B & C"))
    }
}
