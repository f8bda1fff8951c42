import Foundation
@testable import MetaReport
import Testing

@Suite("Plot support: number formats, ticks, escaping")
struct PlotSupportTests {
    @Test func fixedFormatting() {
        #expect(PlotNumberFormat.fixed(-0.4694176487381494, digits: 2) == "\u{2212}0.47")
        #expect(PlotNumberFormat.fixed(-0.001, digits: 2) == "0.00")
        #expect(PlotNumberFormat.fixed(2.5, digits: 0) == "3")
        #expect(PlotNumberFormat.fixed(1234.5678, digits: 1) == "1234.6")
        #expect(PlotNumberFormat.fixed(0.05, digits: 3) == "0.050")
        #expect(PlotNumberFormat.shortest(0.1 + 0.2) == "0.3")
        #expect(PlotNumberFormat.shortest(0.025) == "0.025")
        #expect(PlotNumberFormat.shortest(4) == "4")
        #expect(PlotNumberFormat.coordinate(-0.001) == "0")
        #expect(PlotNumberFormat.coordinate(12.5) == "12.5")
        #expect(PlotNumberFormat.coordinate(-3.14159) == "-3.14")
        #expect(PlotNumberFormat.grouped(1_048_575) == "1,048,575")
        #expect(PlotNumberFormat.grouped(999) == "999")
    }

    @Test func ratioSeriesIsSymmetricAroundOne() {
        #expect([-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map(NiceTicks.latticeValue)
            == [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20, 40, 100])
        // Every second member gives metafor's familiar 0.05, 0.25, 1, 4 for BCG-like ranges.
        #expect(NiceTicks.ratio(lower: 0.07, upper: 3.5).contains([0.05, 0.25, 1, 4]))
        #expect(NiceTicks.ratio(lower: 0.07, upper: 3.5).contains([0.01, 0.1, 1, 10]))
    }

    @Test func narrowRatioRangesGetLinearTicks() {
        let axis = PlotAxis.make(lower: log(0.82), upper: log(1.21), scale: .log, start: 0, end: 300,
                                 labelExtent: { TextMetrics.width($0, size: 9.6) })
        let labels = axis.ticks.map(\.label)
        #expect(labels.contains("1") && labels.count >= 3)
        #expect(axis.lower <= log(0.82) && axis.upper >= log(1.21))
    }

    @Test func linearTicksAreNice() {
        #expect(NiceTicks.linear(lower: -3.7, upper: 2.5).contains([-4, -3, -2, -1, 0, 1, 2, 3]))
        #expect(NiceTicks.linear(lower: 0, upper: 0.73).contains([0, 0.2, 0.4, 0.6, 0.8]))
        let axis = PlotAxis.make(lower: -1.62, upper: 0.45, scale: .identity, start: 0, end: 280,
                                 labelExtent: { TextMetrics.width($0, size: 9.6) })
        #expect(axis.ticks.map(\.label) == ["\u{2212}2", "\u{2212}1.5", "\u{2212}1", "\u{2212}0.5", "0", "0.5"])
    }

    @Test func escapingAndForbiddenCharacters() {
        #expect(MarkupEscaping.escaped("a<b & \"c\" 'd'\u{1}é") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;é")
    }

    @Test func textWidthsFollowHelveticaMetrics() {
        // "0.41" = 556 + 278 + 556 + 556 units.
        #expect(abs(TextMetrics.width("0.41", size: 10) - 19.46) < 1e-9)
        #expect(TextMetrics.truncated("A long label indeed", size: 10, maxWidth: 40).hasSuffix("…"))
        #expect(TextMetrics.width(TextMetrics.truncated("A long label indeed", size: 10, maxWidth: 40), size: 10) <= 40)
    }

    /// Every plot type: a well-formed document (XML parser and balanced tags), hostile text escaped,
    /// and the same bytes on a second rendering.
    @Test func everyPlotIsWellFormedAndDeterministic() throws {
        let hostile = "A&B <i>\"x\" 'y'"
        let documents = [
            ForestPlot(title: hostile, rows: [.init(label: hostile, estimate: 0.1, lower: -0.2, upper: 0.4, weightPercent: 100)]).svg(),
            FunnelPlot(title: hostile, effectSizes: [0.1, 0.3], standardErrors: [0.1, 0.2], pooledEstimate: 0.2, contourLevels: [0.9, 0.95, 0.99]).svg(),
            BaujatPlot(title: hostile, contributions: [1, 2], influences: [0.1, 0.3], labels: [hostile, "b"]).svg(),
            GOSHPlot(title: hostile, estimates: [0.1, 0.2], iSquared: [10, 40]).svg(),
            BarChart(title: hostile, categories: [hostile], series: [.init(name: hostile, values: [2])]).svg(),
        ]
        for svg in documents {
            let root = try SVGTree.parse(svg)
            #expect(root.name == "svg" && root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
            #expect(root.attributes["version"] == "1.1")
            #expect(root.texts.contains(hostile) || root.descendants(named: "title").contains { $0.text == hostile })
            #expect(!svg.contains("<i>") && !svg.contains("href") && !svg.contains("NaN"))
            #expect(Self.tagsBalance(svg))
        }
    }

    /// Open and close tags pair up in order (a check independent of the XML parser).
    static func tagsBalance(_ svg: String) -> Bool {
        var stack: [Substring] = []
        var rest = Substring(svg)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { return false }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("?") || tag.hasSuffix("/") { continue }
            let name = tag.split(separator: " ").first ?? ""
            if name.hasPrefix("/") {
                guard stack.popLast() == name.dropFirst() else { return false }
            } else {
                stack.append(name)
            }
        }
        return stack.isEmpty
    }
}

@Suite("Plots with degenerate input")
struct DegeneratePlotTests {
    @Test func emptyAndSingularInputsRender() throws {
        let documents = [
            ForestPlot().svg(),
            ForestPlot(rows: [.init(label: "Only", estimate: 0, lower: 0, upper: 0)]).svg(),
            ForestPlot(rows: [.init(label: "Absurd", estimate: -900, lower: -950, upper: 900)], scale: .log).svg(),
            ForestPlot(rows: [.init(label: "Fixed limits", estimate: 0.5, lower: -3, upper: 3)], axisLimits: -1...1).svg(),
            ForestPlot(rows: [.init(label: "Null outside", estimate: 0.5, lower: 0.2, upper: 0.8)], scale: .log, axisLimits: 1.1...4).svg(),
            ForestPlot(rows: [.init(label: "Null at zero ratio", estimate: 0.5, lower: 0.2, upper: 0.8)], nullValue: 0, scale: .log).svg(),
            FunnelPlot(effectSizes: [], standardErrors: []).svg(),
            FunnelPlot(effectSizes: [0.2], standardErrors: [0], contourLevels: [0.95]).svg(),
            BaujatPlot(contributions: [], influences: [], labels: []).svg(),
            BaujatPlot(contributions: [.nan, 1], influences: [0.1, .infinity], labels: ["a", "b"]).svg(),
            GOSHPlot(estimates: [], iSquared: []).svg(),
            GOSHPlot(estimates: [0.3, 0.3, 0.3], iSquared: [0, 0, 0], pointLimit: 1).svg(),
            BarChart(categories: [], series: []).svg(),
            BarChart(categories: ["none"], series: [.init(name: "n", values: [0])]).svg(),
        ]
        for svg in documents {
            let root = try SVGTree.parse(svg)
            #expect(root.name == "svg")
            #expect(!svg.contains("NaN") && !svg.contains("inf"))
        }
    }
}
