import MetaAnalysis

/// A L'Abbé plot: each study's event rate in the experimental arm against the control arm's, circles with areas
/// proportional to the studies' weights, the diagonal of no effect and the curve of experimental risks the pooled
/// effect implies (``LabbeData``). Both axes are proportions from 0, to the same upper limit (1, or a nice value above
/// the largest rate when every rate is small, so that rare events do not crowd a corner).
public struct LabbePlot: Sendable {
    public var title: String?
    public var data: LabbeData
    /// The upper limit of both axes.
    public var axisLimit: Double
    /// The pooled-effect curve up to `axisLimit`, computed by `data.pooledCurve(upTo:)`.
    public var pooledCurve: [(control: Double, experimental: Double)]
    /// Names of the experimental and control arms in the axis titles.
    public var armLabels: (experimental: String, control: String)
    public var plotSize: Double
    public var style: PlotStyle

    public init(title: String? = nil, data: LabbeData, armLabels: (experimental: String, control: String) = ("Experimental", "Control"),
                plotSize: Double = 340, style: PlotStyle = PlotStyle()) throws(GraphicalDataError) {
        self.title = title
        self.data = data
        let largest = (data.controlRates + data.experimentalRates).filter(\.isFinite).max() ?? 1
        let limits = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1]
        axisLimit = limits.first { $0 >= 1.05 * largest } ?? 1
        pooledCurve = try data.pooledCurve(upTo: axisLimit)
        self.armLabels = armLabels
        self.plotSize = plotSize
        self.style = style
    }

    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        let frame = CartesianFrame(x: (0, axisLimit), exactX: true, y: (0, axisLimit), exactY: true, width: plotSize, height: plotSize,
                                   title: title, style: style)
        var svg = SVGWriter()
        frame.drawTitle(&svg, title)
        svg.group("reference") { svg in
            svg.line(x1: frame.x.position(0), y1: frame.y.position(0), x2: frame.x.position(axisLimit), y2: frame.y.position(axisLimit),
                     stroke: style.muted, width: 0.9, cssClass: "no-effect")
            if pooledCurve.count >= 2 {
                svg.polyline(pooledCurve.map { (frame.x.position($0.control), frame.y.position($0.experimental)) },
                             stroke: style.summary, width: 1.2, dash: "5 3", cssClass: "pooled-curve")
            }
        }
        let radii = WeightedMarkers.radii(data.weightsPercent)
        var drawn = 0
        svg.group("studies") { svg in
            // Largest first, so small circles stay visible on top.
            for i in data.controlRates.indices.sorted(by: { (radii[$0], $1) > (radii[$1], $0) }) {
                let x = data.controlRates[i], y = data.experimentalRates[i]
                guard x.isFinite, y.isFinite else { continue }
                drawn += 1
                svg.circle(cx: frame.x.position(x), cy: frame.y.position(y), r: radii[i], fill: style.marker, stroke: "#ffffff",
                           strokeWidth: 0.7, opacity: 0.75, cssClass: "study-point")
            }
        }
        frame.drawAxes(&svg, xLabel: "Event rate, \(armLabels.control.lowercasedFirst)",
                       yLabel: "Event rate, \(armLabels.experimental.lowercasedFirst)")
        let scale = PlotScale(measure: data.measure)
        let abbreviation = data.measure.plotLabels(scale: scale).abbreviation
        var legend = PlotLegend()
        legend.add(.point(fill: style.marker, stroke: nil), "Studies (area ∝ weight)")
        legend.add(.line(stroke: style.summary, width: 1.2, dash: "5 3"),
                   "Pooled \(abbreviation) \(PlotNumberFormat.fixed(scale.displayed(data.pooledEstimate), digits: 2))")
        legend.add(.line(stroke: style.muted, width: 0.9, dash: nil), "No effect")
        let legendX = frame.right + 18
        let legendWidth = legend.draw(&svg, x: legendX, top: frame.top, style: style)
        return svg.document(width: legendX + legendWidth + frame.margin, height: frame.bottom + frame.heightBelow,
                            title: title ?? "L'Abbé plot", description: "L'Abbé plot of \(drawn) studies", style: style)
    }
}

extension String {
    /// The text with its first letter lower-cased unless it starts an acronym ("Control" → "control", "BCG" stays).
    var lowercasedFirst: String {
        guard let first = first, count > 1, let second = dropFirst().first, !second.isUppercase else { return self }
        return first.lowercased() + dropFirst()
    }
}
