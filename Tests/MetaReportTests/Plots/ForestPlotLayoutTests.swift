import MetaAnalysis
import MetaData
@testable import MetaReport
import Testing

/// The RevMan-grade layout of the forest plot built from a model: per-arm columns from the input type, the lines under
/// each diamond, the order of the studies, the line of no effect inside the axis, wrapped titles.
@Suite("Forest plot layout")
struct ForestPlotLayoutTests {
    let fixture: BCGFixture
    let sizes: EffectSizes
    let model: RandomEffectsModel
    let table: StudyData

    init() throws {
        fixture = try BCGFixture()
        sizes = EffectSizes(measure: .logRiskRatio, studies: fixture.studies.map(\.label), yi: fixture.yi, vi: fixture.vi)
        model = try RandomEffectsModel.fit(effectSizes: fixture.yi, samplingVariances: fixture.vi, studies: sizes.studies,
                                           options: RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z))
        let s = fixture.studies
        table = StudyData.twoByTwo(studies: sizes.studies, ai: s.map { Double($0.ai) }, bi: s.map { Double($0.bi) },
                                   ci: s.map { Double($0.ci) }, di: s.map { Double($0.di) })
    }

    @Test func twoByTwoDataGiveEventsAndTotalsPerArmWithTotalsOnTheDiamondRow() throws {
        let arms = try #require(try ForestArmColumns.make(measure: .logRiskRatio, data: table, experimental: "Vaccinated", control: "Control"))
        #expect(arms.columns.map(\.header) == ["Events", "Total", "Events", "Total"])
        #expect(arms.columns.map(\.group) == ["Vaccinated", "Vaccinated", "Control", "Control"])
        // Aronson 1948: 4/123 vaccinated, 11/139 control (Colditz et al. 1994, table 1).
        #expect(arms.values[0] == ["4", "123", "11", "139"])
        let svg = ForestPlot(effectSizes: sizes, model: model, settings: ForestPlotSettings(armColumns: arms)).svg()
        saveExample(svg, as: "forest-layout-bcg")
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "column-group-headers").first?.texts == ["Vaccinated", "Control"])
        #expect(root.descendants(class: "column-group-rule").count == 2)
        // Totals over the 13 trials: the sums of the arms' columns of the data.
        let overall = try #require(root.descendants(class: "overall").first)
        let s = fixture.studies
        let events1: Int = s.map(\.ai).reduce(0, +), total1: Int = s.map { $0.ai + $0.bi }.reduce(0, +)
        let events2: Int = s.map(\.ci).reduce(0, +), total2: Int = s.map { $0.ci + $0.di }.reduce(0, +)
        for total in [events1, total1, events2, total2] {
            #expect(overall.texts.contains(String(total)), "\(total)")
        }
        // Under the diamond: RevMan's heterogeneity line (Q as χ²) and the test for the overall effect, from the bank.
        let q = fixture.number(fixture.model, "QE"), z = fixture.number(fixture.model, "zval")
        #expect(root.texts.contains("Heterogeneity: τ² = 0.31; χ² = \(PlotNumberFormat.fixed(q, digits: 2)), df = 12 (p < 0.001); I² = 92%"))
        #expect(root.texts.contains("Test for overall effect: z = \(PlotNumberFormat.fixed(z, digits: 2)) (p < 0.001)"))
        // RevMan's sides for a two-group measure.
        #expect(root.descendants(class: "favours").map(\.text) == ["Favours experimental", "Favours control"])
    }

    @Test func continuousDataGiveMeanSDAndTotalPerArm() throws {
        let data = StudyData.twoGroup(studies: ["A", "B"], m1i: [10.5, 12], sd1i: [2.25, 3.3333333], n1i: [20, 30],
                                      m2i: [11, 13.125], sd2i: [2, 3], n2i: [21, 29])
        let arms = try #require(try ForestArmColumns.make(measure: .meanDifference, data: data))
        #expect(arms.columns.map(\.header) == ["Mean", "SD", "Total", "Mean", "SD", "Total"])
        // At most two decimals: a combined arm's SD has many.
        #expect(arms.values[1] == ["12", "3.33", "30", "13.13", "3", "29"])
        // Means and SDs are not summed; totals are.
        #expect(arms.totals(of: [0, 1]) == ["", "", "50", "", "", "50"])
        #expect(try ForestArmColumns.make(measure: .generic, data: StudyData.precomputed(yi: [0.1], vi: [0.01])) == nil)
    }

    @Test(arguments: ForestPlotOrder.allCases)
    func ordersTheStudies(_ order: ForestPlotOrder) throws {
        let years = fixture.studies.map { Double?(Double($0.year)) }
        let plot = ForestPlot(effectSizes: sizes, model: model, settings: ForestPlotSettings(order: order, years: years))
        let labels = plot.rows.map(\.label)
        #expect(Set(labels) == Set(sizes.studies) && labels.count == sizes.count)
        let index = { (label: String) in sizes.studies.firstIndex(of: label)! }
        switch order {
        case .input: #expect(labels == sizes.studies)
        case .year:
            let y = labels.map { years[index($0)]! }
            #expect(y == y.sorted())
        case .weight:
            let w = plot.rows.map { $0.weightPercent! }
            #expect(w == w.sorted(by: >))
        case .effect:
            let e = plot.rows.map(\.estimate)
            #expect(e == e.sorted())
        }
    }

    /// All effects on one side of the null: the axis still reaches past the line of no effect, so the "favours"
    /// label on the empty side sits under axis, not under nothing.
    @Test func theLineOfNoEffectLiesInsideTheAxis() throws {
        let harmful = EffectSizes(measure: .logRiskRatio, studies: ["A", "B", "C"], yi: [0.05, 0.4, 0.9], vi: [0.0004, 0.01, 0.02])
        let fit = try RandomEffectsModel.fit(effectSizes: harmful.yi, samplingVariances: harmful.vi, studies: harmful.studies)
        let root = try SVGTree.parse(ForestPlot(effectSizes: harmful, model: fit).svg())
        let axisLine = try #require(root.descendants(class: "axis").first?.descendants(named: "line").first)
        let left = try #require(axisLine.number("x1")), right = try #require(axisLine.number("x2"))
        let null = try #require(root.descendants(class: "null-line").first?.descendants(named: "line").first?.number("x1"))
        #expect(null - left >= 0.1 * (right - left), "null at \(null), axis \(left)...\(right)")
        #expect(right - null >= 0.1 * (right - left))
    }

    @Test func longTitlesWrapInsteadOfWideningTheFigure() throws {
        let title = String(repeating: "A long stratum label that a review gives its forest plot ", count: 4)
        let short = try SVGTree.parse(ForestPlot(effectSizes: sizes, model: model).svg())
        let long = try SVGTree.parse(ForestPlot(effectSizes: sizes, model: model, settings: ForestPlotSettings(title: title)).svg())
        #expect(long.number("width") == short.number("width"))
        #expect(long.descendants(class: "title").count >= 2)
    }

    @Test func noModelDrawsTheStudiesUnpooled() throws {
        let root = try SVGTree.parse(ForestPlot(effectSizes: sizes, model: nil).svg())
        #expect(root.descendants(class: "study-row").count == 13)
        #expect(root.descendants(class: "pooled-diamond").isEmpty && root.descendants(class: "prediction-interval").isEmpty)
        #expect(root.texts.contains("Not pooled."))
    }
}

/// Plots of the sensitivity analyses and the radial plot, built from the library's analyses of the BCG trials.
@Suite("Sensitivity and radial plots")
struct SensitivityPlotTests {
    @Test func cumulativeAndLeaveOneOutRowsAreTheRefits() throws {
        let fixture = try BCGFixture()
        let labels = fixture.studies.map(\.label)
        let model = try RandomEffectsModel.fit(effectSizes: fixture.yi, samplingVariances: fixture.vi, studies: labels,
                                               options: RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z))
        let years = fixture.studies.map { Double($0.year) }
        let cumulative = try CumulativeAnalysis(model: model, orderedBy: years)
        let plot = ForestPlot(sensitivity: .cumulative, fits: cumulative.fits, studies: cumulative.studies, model: model, measure: .logRiskRatio)
        #expect(plot.rows.count == 13 && plot.rows.first?.label == "+ Aronson 1948")
        // The last cumulative refit is the model of all studies.
        #expect(abs(plot.rows.last!.estimate - model.estimate) < 1e-9)
        #expect(plot.rows.map { $0.values[0] } == (1...13).map(String.init))
        let leaveOut = try LeaveOneOutAnalysis(model: model)
        let svg = ForestPlot(sensitivity: .leaveOneOut, fits: leaveOut.fits, studies: leaveOut.studies, model: model, measure: .logRiskRatio).svg()
        saveExample(svg, as: "forest-leave1out-bcg")
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "study-row").count == 13)
        #expect(root.texts.contains("Omitting Aronson 1948") && root.texts.contains("Study left out"))
        #expect(root.descendants(class: "weight-square").allSatisfy { $0.number("width") == root.descendants(class: "weight-square")[0].number("width") })
    }

    /// Galbraith's coordinates: precision 1/√(v + τ²) and z = y/√(v + τ²); a study on the pooled slope has z = θ̂·x.
    @Test func radialCoordinates() throws {
        let plot = RadialPlot(effectSizes: [0.5, -0.2, 1.0], samplingVariances: [0.04, 0.09, 0.16], tauSquared: 0.05,
                              pooledEstimate: 0.3, measureAbbreviation: "MD")
        let p = plot.points
        #expect(abs(p[0].x - 1 / 0.09.squareRoot()) < 1e-12 && abs(p[0].y - 0.5 / 0.09.squareRoot()) < 1e-12)
        #expect(abs(p[2].x - 1 / 0.21.squareRoot()) < 1e-12)
        let root = try SVGTree.parse(plot.svg())
        #expect(root.descendants(class: "point").count == 3)
        #expect(root.descendants(class: "band").count == 2 && root.descendants(class: "pooled-line").count == 1)
        #expect(root.texts.contains("Slope: pooled estimate (MD 0.30)"))
    }
}
