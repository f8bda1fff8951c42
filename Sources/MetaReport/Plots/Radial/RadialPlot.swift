/// A radial (Galbraith) plot: each study's standardized effect zᵢ = yᵢ/√(vᵢ + τ²) against its precision
/// xᵢ = 1/√(vᵢ + τ²), with the line through the origin whose slope is the pooled estimate and the band ±z₁₋α/₂
/// around it, inside which studies consistent with the pooled effect fall (Galbraith 1988, Stat Med 7:889–894;
/// τ² added for random-effects models as metafor's `radial()` does).
///
/// The coordinates are the plot's own arithmetic on values the model computed; values are in data units (log
/// ratios for ratio measures).
public struct RadialPlot: Sendable {
    public var title: String?
    public var effectSizes: [Double]
    public var samplingVariances: [Double]
    /// τ² of the model (0 for a common-effect model).
    public var tauSquared: Double
    public var pooledEstimate: Double
    /// The two-sided critical value of the band (1.96 for 95 %).
    public var criticalValue: Double
    /// The measure's abbreviation in the legend ("RR") and the scale its estimate is shown on (ratios for `.log`).
    public var measureAbbreviation: String
    public var scale: PlotScale
    public var plotWidth: Double
    public var plotHeight: Double
    public var style: PlotStyle

    public init(title: String? = nil, effectSizes: [Double], samplingVariances: [Double], tauSquared: Double,
                pooledEstimate: Double, criticalValue: Double = 1.959963984540054, measureAbbreviation: String, scale: PlotScale = .identity,
                plotWidth: Double = 400, plotHeight: Double = 320, style: PlotStyle = PlotStyle()) {
        precondition(effectSizes.count == samplingVariances.count, "RadialPlot: one variance per effect size")
        self.title = title
        self.effectSizes = effectSizes
        self.samplingVariances = samplingVariances
        self.tauSquared = tauSquared
        self.pooledEstimate = pooledEstimate
        self.criticalValue = criticalValue
        self.measureAbbreviation = measureAbbreviation
        self.scale = scale
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
        self.style = style
    }

    /// Precisions (x) and standardized effects (y) of the studies with finite values.
    var points: [(x: Double, y: Double)] {
        zip(effectSizes, samplingVariances).compactMap { y, v in
            let s = (v + tauSquared).squareRoot()
            guard y.isFinite, v.isFinite, s > 0 else { return nil }
            return (1 / s, y / s)
        }
    }

    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        let points = self.points
        let xMax = (points.map(\.x).max() ?? 1) * 1.08
        let lineEnds = [pooledEstimate * xMax + criticalValue, pooledEstimate * xMax - criticalValue, criticalValue, -criticalValue]
        let ys = points.map(\.y) + lineEnds
        let low = Swift.min(ys.min() ?? -1, 0), high = Swift.max(ys.max() ?? 1, 0)
        let pad = 0.05 * (high - low)
        let frame = CartesianFrame(x: (0, xMax), exactX: true, y: (low - pad, high + pad), exactY: true,
                                   width: plotWidth, height: plotHeight, title: title, style: style)
        var svg = SVGWriter()
        frame.drawTitle(&svg, title)
        func clippedLine(_ svg: inout SVGWriter, intercept: Double, dashed: Bool, cssClass: String) {
            // y = intercept + estimate·x on 0…xMax, clipped to the y range.
            var a = (0.0, intercept), b = (xMax, intercept + pooledEstimate * xMax)
            let (yLow, yHigh) = (frame.y.lower, frame.y.upper)
            func clip(_ p: (Double, Double), towards q: (Double, Double)) -> (Double, Double) {
                guard p.1 < yLow || p.1 > yHigh, q.1 != p.1 else { return p }
                let target = p.1 < yLow ? yLow : yHigh
                let t = (target - p.1) / (q.1 - p.1)
                return (p.0 + t * (q.0 - p.0), target)
            }
            (a, b) = (clip(a, towards: b), clip(b, towards: a))
            guard a.0 <= b.0 else { return }
            svg.line(x1: frame.x.position(a.0), y1: frame.y.position(a.1), x2: frame.x.position(b.0), y2: frame.y.position(b.1),
                     stroke: dashed ? style.muted : style.summary, width: 1, dash: dashed ? "4 3" : nil, cssClass: cssClass)
        }
        svg.group("reference") { svg in
            svg.line(x1: frame.left, y1: frame.y.position(0), x2: frame.right, y2: frame.y.position(0), stroke: "#e6e6e6", width: 0.8)
            clippedLine(&svg, intercept: 0, dashed: false, cssClass: "pooled-line")
            clippedLine(&svg, intercept: criticalValue, dashed: true, cssClass: "band")
            clippedLine(&svg, intercept: -criticalValue, dashed: true, cssClass: "band")
        }
        svg.group("studies") { svg in
            for p in points {
                svg.circle(cx: frame.x.position(p.x), cy: frame.y.position(p.y), r: 3, fill: style.marker, cssClass: "point")
            }
        }
        frame.drawAxes(&svg, xLabel: "Precision 1/√(vᵢ + τ²)", yLabel: "Standardized effect yᵢ/√(vᵢ + τ²)")
        let legendX = frame.right + 16
        let small = style.smallFontSize
        var width = frame.right + frame.margin + 10
        svg.group("legend") { svg in
            let lines = ["Slope: pooled estimate (\(measureAbbreviation) \(PlotNumberFormat.fixed(scale.displayed(pooledEstimate), digits: 2)))", "Dashed: ±\(PlotNumberFormat.fixed(criticalValue, digits: 2)) around it"]
            for (i, text) in lines.enumerated() {
                svg.text(text, x: legendX, y: frame.top + small + Double(i) * small * 1.5, size: small, cssClass: "legend")
                width = Swift.max(width, legendX + TextMetrics.width(text, size: small) + frame.margin)
            }
        }
        return svg.document(width: width, height: frame.bottom + frame.heightBelow, title: title ?? "Radial plot",
                            description: "Radial (Galbraith) plot of \(points.count) studies", style: style)
    }
}
