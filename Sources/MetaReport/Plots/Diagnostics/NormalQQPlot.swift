import MetaAnalysis

/// A normal QQ plot of a model's standardized residuals against the normal quantiles (``NormalQQData``), with the
/// line y = x and the simulated pseudo-confidence envelope (dashed) when the data has one.
public struct NormalQQPlot: Sendable {
    public var title: String?
    public var data: NormalQQData
    public var plotSize: Double
    public var style: PlotStyle

    public init(title: String? = nil, data: NormalQQData, plotSize: Double = 320, style: PlotStyle = PlotStyle()) {
        self.title = title
        self.data = data
        self.plotSize = plotSize
        self.style = style
    }

    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        let finite = data.sortedResiduals.indices.filter { data.sortedResiduals[$0].isFinite }
        let xs = data.theoreticalQuantiles
        let ys = finite.map { data.sortedResiduals[$0] } + data.envelopeLower + data.envelopeUpper
        let low = Swift.min(xs.min() ?? -2, ys.min() ?? -2), high = Swift.max(xs.max() ?? 2, ys.max() ?? 2)
        let frame = CartesianFrame(x: (xs.min() ?? -2, xs.max() ?? 2), y: (low, high), width: plotSize, height: plotSize,
                                   title: title, style: style)
        var svg = SVGWriter()
        frame.drawTitle(&svg, title)
        svg.group("reference") { svg in
            let a = Swift.max(frame.x.lower, frame.y.lower), b = Swift.min(frame.x.upper, frame.y.upper)
            if a < b {
                svg.line(x1: frame.x.position(a), y1: frame.y.position(a), x2: frame.x.position(b), y2: frame.y.position(b),
                         stroke: style.muted, width: 0.9, cssClass: "identity-line")
            }
            if data.envelopeLower.count == xs.count, !xs.isEmpty {
                for bound in [data.envelopeLower, data.envelopeUpper] {
                    svg.polyline(zip(xs, bound).map { (frame.x.position($0), frame.y.position($1)) }, stroke: style.ink, width: 0.9,
                                 dash: "4 3", cssClass: "envelope")
                }
            }
        }
        svg.group("studies") { svg in
            for j in finite {
                svg.circle(cx: frame.x.position(xs[j]), cy: frame.y.position(data.sortedResiduals[j]), r: 3.3, fill: style.marker,
                           cssClass: "study-point")
            }
        }
        frame.drawAxes(&svg, xLabel: "Theoretical quantiles (normal)", yLabel: "Standardized residuals")
        var legend = PlotLegend()
        legend.add(.point(fill: style.marker, stroke: nil), "Studies")
        legend.add(.line(stroke: style.muted, width: 0.9, dash: nil), "y = x")
        if !data.envelopeLower.isEmpty {
            legend.add(.line(stroke: style.ink, width: 0.9, dash: "4 3"),
                       "\(PlotNumberFormat.shortest(100 * data.level, maxDigits: 4))% simulated envelope")
        }
        let legendX = frame.right + 18
        let legendWidth = legend.draw(&svg, x: legendX, top: frame.top, style: style)
        return svg.document(width: legendX + legendWidth + frame.margin, height: frame.bottom + frame.heightBelow,
                            title: title ?? "Normal QQ plot", description: "Normal QQ plot of \(finite.count) standardized residuals",
                            style: style)
    }
}
