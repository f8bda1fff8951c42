import MetaAnalysis

/// A bubble plot of a meta-regression on one moderator (metafor's `regplot`): each study's effect size against its
/// moderator value, circles with areas proportional to the weights, the fitted line with its confidence band (shaded)
/// and prediction band (dashed) from ``RegressionBand``. Ratio measures are drawn on a log axis labelled with ratios.
public struct BubblePlot: Sendable {
    public var title: String?
    public var band: RegressionBand
    public var scale: PlotScale
    /// The effect axis's title ("Risk ratio (log scale)").
    public var effectLabel: String
    /// The confidence level in percent, for the legend.
    public var level: Double
    public var plotWidth: Double
    public var plotHeight: Double
    public var style: PlotStyle

    public init(title: String? = nil, band: RegressionBand, scale: PlotScale = .identity, effectLabel: String, level: Double = 95,
                plotWidth: Double = 420, plotHeight: Double = 320, style: PlotStyle = PlotStyle()) {
        self.title = title
        self.band = band
        self.scale = scale
        self.effectLabel = effectLabel
        self.level = level
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
        self.style = style
    }

    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        let studies = band.moderatorValues.indices.filter { band.moderatorValues[$0].isFinite && band.effectSizes[$0].isFinite }
        let xs = studies.map { band.moderatorValues[$0] } + band.grid
        let ys = studies.map { band.effectSizes[$0] } + band.predictions.flatMap { [$0.predictionLower, $0.predictionUpper] }.filter(\.isFinite)
        let xPad = 0.04 * ((xs.max() ?? 1) - (xs.min() ?? 0))
        let frame = CartesianFrame(x: ((xs.min() ?? 0) - xPad, (xs.max() ?? 1) + xPad), y: (ys.min() ?? 0, ys.max() ?? 1), yScale: scale,
                                   width: plotWidth, height: plotHeight, title: title, style: style)
        var svg = SVGWriter()
        frame.drawTitle(&svg, title)
        let gridPoints = zip(band.grid, band.predictions).map { (x: frame.x.position($0), p: $1) }
        svg.group("fit") { svg in
            let upper = gridPoints.map { ($0.x, frame.y.position($0.p.confidenceUpper)) }
            let lower = gridPoints.map { ($0.x, frame.y.position($0.p.confidenceLower)) }
            svg.polygon(upper + lower.reversed(), fill: "#d9d9d9", cssClass: "confidence-band")
            svg.polyline(gridPoints.map { ($0.x, frame.y.position($0.p.predictionUpper)) }, stroke: style.muted, width: 0.9, dash: "4 3",
                         cssClass: "prediction-band")
            svg.polyline(gridPoints.map { ($0.x, frame.y.position($0.p.predictionLower)) }, stroke: style.muted, width: 0.9, dash: "4 3",
                         cssClass: "prediction-band")
            svg.polyline(gridPoints.map { ($0.x, frame.y.position($0.p.estimate)) }, stroke: style.summary, width: 1.4, cssClass: "fitted-line")
        }
        let radii = WeightedMarkers.radii(band.weightsPercent)
        svg.group("studies") { svg in
            for i in studies.sorted(by: { (radii[$0], $1) > (radii[$1], $0) }) {
                svg.circle(cx: frame.x.position(band.moderatorValues[i]), cy: frame.y.position(band.effectSizes[i]), r: radii[i],
                           fill: style.marker, stroke: "#ffffff", strokeWidth: 0.7, opacity: 0.7, cssClass: "study-point")
            }
        }
        frame.drawAxes(&svg, xLabel: band.moderator, yLabel: effectLabel)
        let levelText = PlotNumberFormat.shortest(level, maxDigits: 4)
        var legend = PlotLegend()
        legend.add(.point(fill: style.marker, stroke: nil), "Studies (area ∝ weight)")
        legend.add(.line(stroke: style.summary, width: 1.4, dash: nil), "Fitted line")
        legend.add(.box(fill: "#d9d9d9"), "\(levelText)% confidence band")
        legend.add(.line(stroke: style.muted, width: 0.9, dash: "4 3"), "\(levelText)% prediction band")
        let legendX = frame.right + 18
        let legendWidth = legend.draw(&svg, x: legendX, top: frame.top, style: style)
        return svg.document(width: legendX + legendWidth + frame.margin, height: frame.bottom + frame.heightBelow,
                            title: title ?? "Bubble plot", description: "Bubble plot of \(studies.count) studies against \(band.moderator)",
                            style: style)
    }
}
