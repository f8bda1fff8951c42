import Foundation
import MetaAnalysis
@testable import MetaReport
import Testing

/// The L'Abbé, bubble, QQ, drapery and profile plots drawn from data the library computed (BCG, log risk ratios from
/// the conformance bank), and the renderer's missing-library sentence.
@Suite("Diagnostic plots: L'Abbé, bubble, QQ, drapery, profile")
struct DiagnosticPlotTests {
    static func model() throws -> (BCGFixture, RandomEffectsModel) {
        let fixture = try BCGFixture()
        return (fixture, try RandomEffectsModel.fit(effectSizes: fixture.yi, samplingVariances: fixture.vi,
                                                    studies: fixture.studies.map(\.label), options: .metafor))
    }

    @Test func labbeDrawsOneCirclePerStudyWithAreaByWeight() throws {
        let (fixture, model) = try Self.model()
        let data = LabbeData(measure: .logRiskRatio, studies: model.studies,
                             controlRates: fixture.studies.map { Double($0.ci) / Double($0.ci + $0.di) },
                             experimentalRates: fixture.studies.map { Double($0.ai) / Double($0.ai + $0.bi) },
                             weightsPercent: model.weightsPercent, pooledEstimate: model.estimate)
        let plot = try LabbePlot(title: "BCG: L'Abbé plot", data: data)
        let svg = plot.svg()
        saveExample(svg, as: "labbe-bcg")
        #expect(svg == plot.svg())
        let root = try SVGTree.parse(svg)
        let circles = root.descendants(class: "study-point")
        #expect(circles.count == 13)
        // Areas ∝ weights: the heaviest study gets the largest radius (12), the others √(w/w_max) of it.
        let largest = model.weightsPercent.max()!
        #expect(abs(circles.map { $0.number("r")! }.max()! - 12) < 0.01)
        let smallest = WeightedMarkers.radii(model.weightsPercent).min()!
        #expect(abs(smallest - max(1.5, 12 * (model.weightsPercent.min()! / largest).squareRoot())) < 1e-12)
        #expect(plot.axisLimit == 0.3, "the largest rate is 0.257 (Stein & Aronson's control arm)")
        #expect(root.descendants(class: "pooled-curve").count == 1 && root.descendants(class: "no-effect").count == 1)
        #expect(root.descendants(class: "axis-label").map(\.text) == ["Event rate, control", "Event rate, experimental"])
        #expect(root.descendants(class: "legend").map(\.text).contains("Pooled RR 0.49"))
    }

    @Test func bubblePlotHasBandsAndALogAxis() throws {
        let (fixture, _) = try Self.model()
        let ablat = [44.0, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33]
        let model = try MetaRegressionModel.fit(effectSizes: fixture.yi, samplingVariances: fixture.vi,
                                                design: try DesignMatrix(continuous: [("ablat", ablat)]), options: .metafor)
        let band = try RegressionBand(model: model)
        let plot = BubblePlot(title: "BCG: bubble plot", band: band, scale: .log,
                              effectLabel: EffectMeasure.logRiskRatio.axisTitle(scale: .log))
        let svg = plot.svg()
        saveExample(svg, as: "bubble-bcg-ablat")
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "study-point").count == 13)
        #expect(root.descendants(class: "fitted-line").count == 1 && root.descendants(class: "prediction-band").count == 2)
        #expect(root.descendants(class: "confidence-band").count == 1)
        #expect(root.descendants(class: "axis-label").map(\.text) == ["ablat", "Risk ratio (log scale)"])
        // Ratio ticks on the log axis (0.25, 0.5, 1, …), never log values.
        let ticks = root.descendants(class: "y-axis").first!.descendants(class: "tick-label").map(\.text)
        #expect(ticks.contains("1") && ticks.contains("0.5"))
    }

    @Test func qqDrawsResidualsAndEnvelope() throws {
        let (_, model) = try Self.model()
        let plot = NormalQQPlot(title: "BCG: normal QQ plot", data: try NormalQQData(model: model))
        let svg = plot.svg()
        saveExample(svg, as: "qq-bcg")
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "study-point").count == 13)
        #expect(root.descendants(class: "envelope").count == 2 && root.descendants(class: "identity-line").count == 1)
        #expect(root.descendants(class: "axis-label").map(\.text) == ["Theoretical quantiles (normal)", "Standardized residuals"])
    }

    @Test func draperyDrawsEveryStudyAndThePooledCurve() throws {
        let (_, model) = try Self.model()
        let plot = DraperyPlot(title: "BCG: drapery plot", functions: try PValueFunctions(model: model), scale: .log,
                               effectLabel: EffectMeasure.logRiskRatio.axisTitle(scale: .log))
        let svg = plot.svg()
        saveExample(svg, as: "drapery-bcg")
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "study-curve").count == 13 && root.descendants(class: "pooled-curve").count == 1)
        #expect(root.descendants(class: "prediction-interval").count == 1 && root.descendants(class: "alpha-line").count == 1)
        #expect(root.descendants(class: "axis-label").map(\.text) == ["Risk ratio (log scale)", "p-value"])
    }

    @Test func profileDrawsOnePanelPerComponent() throws {
        let (_, model) = try Self.model()
        let tau = try model.tauSquaredProfile()
        // A second component (as a multilevel model would give) gets its own panel below the first.
        let other = ProfileLikelihoodCurve(parameter: "σ²₂ (study)", values: [0, 0.1, 0.2], logLikelihoods: [-3, -2, -2.5],
                                           estimate: 0.1, maximum: -2, restricted: true)
        let svg = ProfilePlot(title: "BCG: profile likelihood", curves: [tau, other]).svg()
        saveExample(svg, as: "profile-bcg")
        let root = try SVGTree.parse(svg)
        #expect(root.descendants(class: "panel").count == 2 && root.descendants(class: "profile-curve").count == 2)
        #expect(root.descendants(class: "axis-label").map(\.text)
            == ["τ²", "Restricted log-likelihood", "σ²₂ (study)", "Restricted log-likelihood"])
        #expect(root.descendants(class: "bound-line").count == 2)
    }

    /// The renderer's libraries are named at run time; naming one that is not installed gives the typed sentence (the
    /// same one a machine without librsvg prints), and SVG still needs no library.
    @Test func missingRendererLibraryIsOneSentence() throws {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"10\"><rect width=\"20\" height=\"10\" fill=\"#888\"/></svg>"
        let missing = RendererLibraries(rsvg: "librsvg-not-installed-metaswift-test.so.2")
        for format in [FigureFormat.pdf, .png] {
            #expect(throws: FigureExportError.rendererUnavailable(reason: "librsvg-not-installed-metaswift-test.so.2 could not be loaded")) {
                try FigureExport.render(svg: svg, format: format, libraries: missing)
            }
        }
        let error = FigureExportError.rendererUnavailable(reason: "librsvg-not-installed-metaswift-test.so.2 could not be loaded")
        #expect(error.description == "PDF and PNG output need librsvg and cairo (Debian: librsvg2-2 and libcairo2; "
            + "scripts/install-deps.sh installs them), and librsvg-not-installed-metaswift-test.so.2 could not be loaded; SVG output works without them.")
        let cairo = RendererLibraries(cairo: "libcairo-not-installed-metaswift-test.so.2")
        #expect(throws: FigureExportError.rendererUnavailable(reason: "libcairo-not-installed-metaswift-test.so.2 could not be loaded")) {
            try FigureExport.render(svg: svg, format: .png, libraries: cairo)
        }
        #expect(try FigureExport.render(svg: svg, format: .svg, libraries: missing) == Array(svg.utf8))
        // The system's names, given explicitly, load the installed libraries.
        let png = try FigureExport.render(svg: svg, format: .png, libraries: RendererLibraries())
        #expect(png.prefix(4) == [0x89, 0x50, 0x4E, 0x47])
    }
}
