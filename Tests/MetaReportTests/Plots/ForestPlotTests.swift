import Foundation
@testable import MetaReport
import Testing

@Suite("ForestPlot")
struct ForestPlotTests {
    @Test func bcgForestPlotStructure() throws {
        let fixture = try BCGFixture()
        let svg = fixture.forestPlot().svg()
        saveExample(svg, as: "forest-bcg")
        let root = try SVGTree.parse(svg)

        #expect(root.name == "svg")
        #expect(root.attributes["viewBox"]?.hasPrefix("0 0 ") == true)
        let rows = root.descendants(class: "study-row")
        #expect(rows.count == 13)
        let texts = root.texts
        for study in fixture.studies { #expect(texts.contains(study.label), "missing label \(study.label)") }
        // Each study row: label, two extra columns, weight, estimate, [lower, upper] and a square.
        for row in rows {
            #expect(row.descendants(class: "weight-square").count == 1)
            #expect(row.descendants(named: "text").count == 7)
        }
        #expect(root.descendants(class: "pooled-diamond").count == 1)
        #expect(root.descendants(class: "prediction-interval").count == 1)
        #expect(root.descendants(class: "null-line").count == 1)
        // Back-transformed log-scale ticks, symmetric around 1.
        let ticks = root.descendants(class: "tick-label").map(\.text)
        #expect(ticks.contains("1"))
        #expect(ticks.contains("0.25") && ticks.contains("4"))
        // Aronson 1948: RR 0.41 [0.13, 1.26] (metafor prints 0.41 [0.13, 1.26]).
        let first = rows[0].texts
        #expect(first.contains("0.41") && first.contains("[0.13,") && first.contains("1.26]"))
        #expect(texts.contains("0.49"))  // pooled RR, exp(-0.7145)
    }

    @Test func ratioLimitsAndNullAreInDisplayedUnits() throws {
        var plot = try BCGFixture().forestPlot()
        plot.axisLimits = 0.1...10
        let root = try SVGTree.parse(plot.svg())
        let axis = try #require(root.descendants(class: "axis").first)
        let labels = axis.descendants(class: "tick-label")
        #expect(labels.first?.text == "0.1" && labels.last?.text == "10")
        // The line of no effect sits at the tick labelled 1 (RR = 1, log RR = 0).
        let one = try #require(labels.first { $0.text == "1" }?.number("x"))
        let null = try #require(root.descendants(class: "null-line").first?.descendants(named: "line").first?.number("x1"))
        #expect(abs(one - null) < 0.02)
        // Studies whose intervals leave 0.1...10 are clipped with arrows (Rosenthal 1960: 0.07).
        #expect(!root.descendants(class: "arrow").isEmpty)
    }

    @Test func squaresScaleWithWeight() throws {
        let fixture = try BCGFixture()
        let root = try SVGTree.parse(fixture.forestPlot().svg())
        let sides = root.descendants(class: "weight-square").compactMap { $0.number("width") }
        let weights = fixture.numbers(fixture.model, "weights_pct")
        // Area proportional to weight: side ∝ √weight (to the 0.01 px the coordinates keep).
        let ratio = sides[7] / sides[12]
        #expect(abs(ratio - (weights[7] / weights[12]).squareRoot()) < 0.01)
    }

    @Test func subgroupsHaveTheirOwnDiamonds() throws {
        let fixture = try BCGFixture()
        let svg = fixture.subgroupForestPlot().svg()
        saveExample(svg, as: "forest-bcg-subgroups")
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "study-row").count == 13)
        #expect(root.descendants(class: "subgroup-diamond").count == 3)
        #expect(root.descendants(class: "pooled-diamond").count == 1)
        #expect(root.descendants(class: "prediction-interval").count == 4)
        #expect(root.texts.contains { $0.hasPrefix("Test for subgroup differences") })
        #expect(root.texts.contains("Allocation: random"))
    }

    @Test func extremeInputsStayInsideThePlot() throws {
        let rows = [
            ForestPlot.Row(label: "Very wide interval", estimate: 0.2, lower: -40, upper: 45, weightPercent: 0),
            ForestPlot.Row(label: "Negative", estimate: -1.3, lower: -2, upper: -0.6, weightPercent: 40),
            ForestPlot.Row(label: "Positive <&> \"quoted\"", estimate: 1.1, lower: 0.5, upper: 1.7, weightPercent: 60),
            ForestPlot.Row(label: "Not estimable", estimate: .nan, lower: .nan, upper: .nan),
            ForestPlot.Row(label: String(repeating: "A very long study label that goes on ", count: 8), estimate: 0, lower: -0.5, upper: 0.5),
        ]
        let plot = ForestPlot(rows: rows, overall: ForestPlot.Summary(label: "Pooled", estimate: 0.1, lower: -0.4, upper: 0.6,
                                                                     predictionLower: -30, predictionUpper: 30),
                              axisLabel: "Mean difference")
        let svg = plot.svg()
        saveExample(svg, as: "forest-extremes")
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "study-row").count == 5)
        #expect(root.texts.contains("Positive <&> \"quoted\""))
        #expect(root.texts.contains("not estimable"))
        // The wide study and the prediction interval are clipped: arrows at both ends of each.
        #expect(root.descendants(class: "arrow").count == 4)
        // The long label wraps onto three lines, the rest is shortened and the whole kept as a tooltip.
        #expect(root.texts.contains { $0.hasSuffix("…") })
        #expect(root.descendants(class: "study-row")[4].descendants(class: "label").count == 3)
        #expect(svg.contains("<title>" + rows[4].label + "</title>"))
        // Nothing drawn outside the canvas.
        let width = try #require(root.number("width"))
        for element in root.all {
            for key in ["x", "x1", "x2", "cx"] { if let x = element.number(key) { #expect(x >= 0 && x <= width) } }
        }
    }

    @Test func manyRowsAndDeterminism() throws {
        let rows = (0..<150).map { i -> ForestPlot.Row in
            let y = sin(Double(i)) * 0.8
            return ForestPlot.Row(label: "Study \(i + 1)", estimate: y, lower: y - 0.3, upper: y + 0.3, weightPercent: 100.0 / 150)
        }
        let plot = ForestPlot(rows: rows, overall: ForestPlot.Summary(label: "Pooled", estimate: 0.02, lower: -0.05, upper: 0.09))
        let first = plot.svg(), second = plot.svg()
        saveExample(first, as: "forest-many")
        #expect(first == second)
        let root = try SVGTree.parse(first)
        #expect(root.descendants(class: "study-row").count == 150)
        #expect(!first.contains("nan") && !first.contains("inf"))
    }
}
