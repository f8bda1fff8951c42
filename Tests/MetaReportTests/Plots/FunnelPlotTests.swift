import Foundation
@testable import MetaReport
import Testing

@Suite("FunnelPlot")
struct FunnelPlotTests {
    /// BCG with trim-and-fill (metafor `trimfill(res)`, estimator L0, REML; one study imputed on the right).
    func bcgTrimAndFill() throws -> FunnelPlot {
        let fixture = try BCGFixture()
        let tf = fixture.trimfill
        let yi = fixture.numbers(tf, "filled_yi"), vi = fixture.numbers(tf, "filled_vi")
        let fill = try #require(tf["fill"]?.arrayValue).map { $0 == .bool(true) }
        let observed = yi.indices.filter { !fill[$0] }, imputed = yi.indices.filter { fill[$0] }
        return FunnelPlot(
            title: "BCG trials: contour-enhanced funnel plot with trim-and-fill",
            effectSizes: observed.map { yi[$0] }, standardErrors: observed.map { vi[$0].squareRoot() },
            filledEffectSizes: imputed.map { yi[$0] }, filledStandardErrors: imputed.map { vi[$0].squareRoot() },
            pooledEstimate: fixture.number(tf, "beta"),
            contourLevels: [0.90, 0.95, 0.99],
            scale: .log, axisLabel: "Risk ratio (log scale)")
    }

    @Test func contourEnhancedStructure() throws {
        let svg = try bcgTrimAndFill().svg()
        saveExample(svg, as: "funnel-bcg")
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "study-point").count == 13)
        #expect(root.descendants(class: "filled-point").count == 1)
        #expect(root.descendants(class: "contour").count == 3)
        #expect(root.descendants(class: "pooled-line").count == 1)
        #expect(root.descendants(class: "pseudo-ci").count == 2)
        let legend = root.descendants(class: "legend").first?.texts ?? []
        #expect(legend.contains("p > 0.1") && legend.contains("0.05 < p ≤ 0.1") && legend.contains("p ≤ 0.01"))
        // Standard error axis starts at 0 at the top.
        let yTicks = try #require(root.descendants(class: "y-axis").first).descendants(class: "tick-label")
        #expect(yTicks.first?.text == "0")
        #expect(yTicks.first!.number("y")! < yTicks.last!.number("y")!)
    }

    @Test func contoursUseTheNormalQuantiles() throws {
        // The 95 % contour's half-width at the bottom of the axis is 1.959964 × SE_max (Peters et al. 2008).
        let plot = FunnelPlot(effectSizes: [0.1, -0.2, 0.3], standardErrors: [0.1, 0.2, 0.5], contourLevels: [0.95])
        let root = try SVGTree.parse(plot.svg())
        let points = try #require(root.descendants(class: "contour").first?.attributes["points"])
            .split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
        let ticks = try #require(root.descendants(class: "x-axis").first).descendants(class: "tick")
        let x0 = ticks.first!.number("x1")!, x1 = ticks.last!.number("x1")!
        let labels = root.descendants(class: "x-axis").first!.descendants(class: "tick-label").map(\.text)
        let v0 = Double(labels.first!.replacingOccurrences(of: "−", with: "-"))!
        let v1 = Double(labels.last!.replacingOccurrences(of: "−", with: "-"))!
        let value = { (px: Double) in v0 + (px - x0) / (x1 - x0) * (v1 - v0) }
        let halfWidth = (value(points[1][0]) - value(points[2][0])) / 2
        let yLabels = root.descendants(class: "y-axis").first!.descendants(class: "tick-label").map(\.text)
        let seBottom = try #require(Double(yLabels.last!))
        #expect(abs(halfWidth - 1.959963984540054 * seBottom) < 0.01)
    }

    @Test func plainFunnelIsDeterministic() throws {
        let plot = FunnelPlot(effectSizes: [0.5, 0.1, -0.3, 0.8], standardErrors: [0.3, 0.1, 0.25, 0.4], pooledEstimate: 0.2)
        let svg = plot.svg()
        #expect(svg == plot.svg())
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "contour").isEmpty)
        #expect(root.descendants(class: "study-point").count == 4)
    }
}
