import MetaAnalysis

/// A drapery plot (Rücker & Schwarzer 2021): the p-value function of every study (thin grey) and of the pooled
/// estimate (thick) from ``PValueFunctions``, a dashed line at p = α where each curve crosses its (1 − α) confidence
/// bounds, and the prediction interval as a shaded band along the bottom. Ratio measures use a log axis.
public struct DraperyPlot: Sendable {
    public var title: String?
    public var functions: PValueFunctions
    public var scale: PlotScale
    /// The effect axis's title ("Risk ratio (log scale)").
    public var effectLabel: String
    /// α of the dashed line (1 − level/100).
    public var alpha: Double
    public var plotWidth: Double
    public var plotHeight: Double
    public var style: PlotStyle

    public init(title: String? = nil, functions: PValueFunctions, scale: PlotScale = .identity, effectLabel: String, alpha: Double = 0.05,
                plotWidth: Double = 440, plotHeight: Double = 300, style: PlotStyle = PlotStyle()) {
        self.title = title
        self.functions = functions
        self.scale = scale
        self.effectLabel = effectLabel
        self.alpha = alpha
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
        self.style = style
    }

    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        let grid = functions.grid
        let frame = CartesianFrame(x: (grid.first ?? 0, grid.last ?? 1), xScale: scale, exactX: true, y: (0, 1), exactY: true,
                                   width: plotWidth, height: plotHeight, title: title, style: style)
        var svg = SVGWriter()
        frame.drawTitle(&svg, title)
        let xs = grid.map { frame.x.position($0) }
        svg.group("reference") { svg in
            if let pi = functions.predictionInterval {
                let a = frame.x.position(frame.x.clamped(pi.predictionLower)), b = frame.x.position(frame.x.clamped(pi.predictionUpper))
                svg.rect(x: a, y: frame.bottom - 8, width: b - a, height: 8, fill: style.prediction, opacity: 0.35, cssClass: "prediction-interval")
            }
            svg.line(x1: frame.left, y1: frame.y.position(alpha), x2: frame.right, y2: frame.y.position(alpha), stroke: style.muted,
                     width: 0.9, dash: "4 3", cssClass: "alpha-line")
            let null = scale.dataUnits(scale.defaultNullValue)
            if frame.x.contains(null) {
                svg.line(x1: frame.x.position(null), y1: frame.top, x2: frame.x.position(null), y2: frame.bottom, stroke: "#bfbfbf",
                         width: 0.8, cssClass: "null-line")
            }
        }
        svg.group("studies") { svg in
            for curve in functions.studies where curve.allSatisfy(\.isFinite) {
                svg.polyline(zip(xs, curve).map { ($0, frame.y.position($1)) }, stroke: style.muted, width: 0.8, opacity: 0.8,
                             cssClass: "study-curve")
            }
        }
        svg.group("pooled") { svg in
            svg.polyline(zip(xs, functions.pooled).map { ($0, frame.y.position($1)) }, stroke: style.summary, width: 2, cssClass: "pooled-curve")
        }
        frame.drawAxes(&svg, xLabel: effectLabel, yLabel: "p-value")
        let levelText = PlotNumberFormat.shortest(100 * (1 - alpha), maxDigits: 4)
        var legend = PlotLegend()
        legend.add(.line(stroke: style.muted, width: 0.8, dash: nil), "Studies")
        legend.add(.line(stroke: style.summary, width: 2, dash: nil), "Pooled estimate")
        legend.add(.line(stroke: style.muted, width: 0.9, dash: "4 3"), "p = \(PlotNumberFormat.shortest(alpha, maxDigits: 4)) (\(levelText)% CI)")
        if functions.predictionInterval != nil { legend.add(.box(fill: "#e8b9be"), "\(levelText)% prediction interval") }
        let legendX = frame.right + 18
        let legendWidth = legend.draw(&svg, x: legendX, top: frame.top, style: style)
        return svg.document(width: legendX + legendWidth + frame.margin, height: frame.bottom + frame.heightBelow,
                            title: title ?? "Drapery plot", description: "Drapery plot of \(functions.studies.count) studies", style: style)
    }
}
