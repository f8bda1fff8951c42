import Foundation
@testable import MetaReport
import Testing

@Suite("BaujatPlot")
struct BaujatPlotTests {
    @Test func bcgBaujatStructure() throws {
        // metafor `baujat(res)` for BCG, REML (bank case diagnostics/bcg_RR_baujat_REML).
        let fixture = try BCGFixture()
        let plot = BaujatPlot(title: "BCG trials: Baujat plot",
                              contributions: fixture.numbers(fixture.baujat, "x"),
                              influences: fixture.numbers(fixture.baujat, "y"),
                              labels: fixture.studies.map(\.label))
        let svg = plot.svg()
        saveExample(svg, as: "baujat-bcg")
        #expect(svg == plot.svg())
        let root = try SVGTree.parse(svg)
        let points = root.descendants(class: "study-point")
        #expect(points.count == 13)
        let labels = root.descendants(class: "point-label").map(\.text)
        for study in fixture.studies { #expect(labels.contains(study.label)) }
        #expect(root.descendants(class: "x-axis").count == 1 && root.descendants(class: "y-axis").count == 1)
        // Hart & Sutherland 1977 (largest influence, 0.238) is the highest point.
        let ys = points.map { $0.descendants(class: "point").first!.number("cy")! }
        #expect(ys.firstIndex(of: ys.min()!) == 3)
    }
}
