import MetaAnalysis

/// Profile log-likelihood plots, one panel per variance component (``ProfileLikelihoodCurve``: τ² of a
/// random-effects model, or each component of a multilevel model): the curve, dotted lines at the estimate and at
/// the maximum, and a dashed line where the curve lies χ²₁ / 2 below its maximum (the likelihood-ratio bounds). The y
/// axis stops four times that distance below the maximum; a steeper curve leaves the panel at its bottom edge.
public struct ProfilePlot: Sendable {
    public var title: String?
    public var curves: [ProfileLikelihoodCurve]
    public var plotWidth: Double
    public var plotHeight: Double
    public var style: PlotStyle

    public init(title: String? = nil, curves: [ProfileLikelihoodCurve], plotWidth: Double = 400, plotHeight: Double = 260,
                style: PlotStyle = PlotStyle()) {
        self.title = title
        self.curves = curves
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
        self.style = style
    }

    /// The plot as a standalone SVG 1.1 document (same input, same bytes); panels are stacked top to bottom.
    public func svg() -> String {
        var svg = SVGWriter()
        var offset = 0.0, width = 0.0
        for (index, curve) in curves.enumerated() {
            var panel = SVGWriter()
            let finite = curve.values.indices.filter { curve.values[$0].isFinite && curve.logLikelihoods[$0].isFinite }
            let ys = finite.map { curve.logLikelihoods[$0] } + [curve.maximum, curve.ratioBound].filter(\.isFinite)
            let xs = finite.map { curve.values[$0] }
            let floor = Self.lowestShown(curve)
            let frame = CartesianFrame(x: (xs.min() ?? 0, xs.max() ?? 1), exactX: true, y: (Swift.max(ys.min() ?? 0, floor), ys.max() ?? 1),
                                       width: plotWidth, height: plotHeight, title: index == 0 ? title : nil, style: style)
            frame.drawTitle(&panel, index == 0 ? title : nil)
            panel.group("reference") { svg in
                if frame.x.contains(curve.estimate) {
                    svg.line(x1: frame.x.position(curve.estimate), y1: frame.top, x2: frame.x.position(curve.estimate), y2: frame.bottom,
                             stroke: style.muted, width: 0.9, dash: "1 3", cssClass: "estimate-line")
                }
                for (value, dash, cssClass) in [(curve.maximum, "1 3", "maximum-line"), (curve.ratioBound, "4 3", "bound-line")]
                where value.isFinite && frame.y.contains(value) {
                    svg.line(x1: frame.left, y1: frame.y.position(value), x2: frame.right, y2: frame.y.position(value),
                             stroke: style.muted, width: 0.9, dash: dash, cssClass: cssClass)
                }
            }
            panel.group("profile") { svg in
                let points = finite.map { (curve.values[$0], curve.logLikelihoods[$0]) }
                for run in PlotGeometry.runs(points, above: frame.y.lower) {
                    svg.polyline(run.map { (frame.x.position($0.0), frame.y.position($0.1)) },
                                 stroke: style.summary, width: 1.4, cssClass: "profile-curve")
                }
            }
            frame.drawAxes(&panel, xLabel: curve.parameter,
                           yLabel: curve.restricted ? "Restricted log-likelihood" : "Log-likelihood")
            var legend = PlotLegend()
            legend.add(.line(stroke: style.summary, width: 1.4, dash: nil), "Profile of \(curve.parameter)")
            legend.add(.line(stroke: style.muted, width: 0.9, dash: "1 3"),
                       "Estimate \(curve.parameter) = \(PlotNumberFormat.shortest(curve.estimate, maxDigits: 4))")
            legend.add(.line(stroke: style.muted, width: 0.9, dash: "4 3"),
                       "\(PlotNumberFormat.shortest(100 * curve.level, maxDigits: 4))% likelihood-ratio bound")
            let legendX = frame.right + 18
            let legendWidth = legend.draw(&panel, x: legendX, top: frame.top, style: style)
            svg.group("panel", [("transform", "translate(0 \(PlotNumberFormat.coordinate(offset)))")]) { $0.append(panel) }
            offset += frame.bottom + frame.heightBelow
            width = Swift.max(width, legendX + legendWidth + frame.margin)
        }
        let names = curves.map(\.parameter).joined(separator: ", ")
        return svg.document(width: Swift.max(width, 1), height: Swift.max(offset, 1), title: title ?? "Profile likelihood plot",
                            description: "Profile log-likelihood of \(names)", style: style)
    }

    /// The lowest log-likelihood a panel's y axis reaches: four times the likelihood-ratio bound's distance below the
    /// maximum (7.7 units at 95 %). A curve that falls further, as one that reaches a boundary where the likelihood
    /// collapses (a variance of 0 under an unstructured covariance), leaves the panel at its bottom edge instead of
    /// squeezing the part around the maximum and the bound into a flat line.
    static func lowestShown(_ curve: ProfileLikelihoodCurve) -> Double {
        let drop = curve.maximum - curve.ratioBound
        return curve.maximum.isFinite && drop.isFinite ? curve.maximum - 4 * drop : -.infinity
    }
}
