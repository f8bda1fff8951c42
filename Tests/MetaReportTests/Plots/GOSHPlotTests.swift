import Foundation
@testable import MetaReport
import Testing

@Suite("GOSHPlot")
struct GOSHPlotTests {
    /// Estimate and I² of every non-empty subset of the BCG trials, from DerSimonian–Laird fits
    /// (DerSimonian & Laird 1986; Higgins & Thompson 2002): plot input for the example, not a reference.
    static func bcgSubsets() throws -> (estimates: [Double], iSquared: [Double]) {
        let fixture = try BCGFixture()
        let k = fixture.yi.count
        var estimates: [Double] = [], iSquared: [Double] = []
        for mask in 1..<(1 << k) {
            let members = (0..<k).filter { mask & (1 << $0) != 0 }
            let w = members.map { 1 / fixture.vi[$0] }, y = members.map { fixture.yi[$0] }
            let sw = w.reduce(0, +), mean = zip(w, y).map(*).reduce(0, +) / sw
            let q = zip(w, y).map { $0 * ($1 - mean) * ($1 - mean) }.reduce(0, +)
            let df = Double(members.count - 1)
            let tau2 = members.count > 1 ? max(0, (q - df) / (sw - w.map { $0 * $0 }.reduce(0, +) / sw)) : 0
            let ws = members.map { 1 / (fixture.vi[$0] + tau2) }
            estimates.append(zip(ws, y).map(*).reduce(0, +) / ws.reduce(0, +))
            iSquared.append(q > df && q > 0 ? 100 * (q - df) / q : 0)
        }
        return (estimates, iSquared)
    }

    @Test func bcgSubsetsAreBinned() throws {
        let (estimates, iSquared) = try Self.bcgSubsets()
        #expect(estimates.count == 8191)
        let plot = GOSHPlot(title: "BCG trials: GOSH plot (8191 subsets)", estimates: estimates, iSquared: iSquared,
                            scale: .log, estimateLabel: "Pooled risk ratio (log scale)")
        let svg = plot.svg()
        saveExample(svg, as: "gosh-bcg")
        #expect(svg == plot.svg())
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "subset-point").isEmpty)
        let cells = root.descendants(class: "cell")
        #expect(!cells.isEmpty && cells.count <= 80 * 60)
        #expect(root.descendants(class: "marginal").count == 2)
        #expect(root.texts.contains("8,191 subsets"))
        #expect(root.descendants(class: "x-axis").first!.descendants(class: "tick-label").map(\.text).contains("1"))
    }

    @Test func fewSubsetsArePoints() throws {
        let plot = GOSHPlot(estimates: [0.1, 0.2, 0.3, -0.1], iSquared: [0, 20, 55, 90])
        let root = try SVGTree.parse(plot.svg())
        #expect(root.descendants(class: "subset-point").count == 4)
        #expect(root.descendants(class: "cell").isEmpty)
    }

    @Test func aMillionSubsetsStaySmall() throws {
        // A seeded linear congruential cloud (two clusters) standing in for 2^20 subset fits.
        var state: UInt64 = 42
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var estimates: [Double] = [], iSquared: [Double] = []
        for i in 0..<1_000_000 {
            let centre = i % 3 == 0 ? 0.6 : -0.2
            estimates.append(centre + (uniform() + uniform() + uniform() - 1.5) * 0.3)
            iSquared.append(min(100, max(0, (i % 3 == 0 ? 30 : 70) + (uniform() - 0.5) * 50)))
        }
        let svg = GOSHPlot(estimates: estimates, iSquared: iSquared).svg()
        saveExample(svg, as: "gosh-million")
        #expect(svg.utf8.count < 400_000)
        let root = try SVGTree.parse(svg)
        #expect(root.texts.contains("1,000,000 subsets"))
    }
}
