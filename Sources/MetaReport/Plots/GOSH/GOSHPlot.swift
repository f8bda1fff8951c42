/// A GOSH plot (graphical display of study heterogeneity; Olkin, Dahabreh & Trikalinos 2012,
/// Res Synth Methods 3:214–223): the pooled estimate against I² for many subsets of the studies.
///
/// Up to `pointLimit` subsets are drawn as translucent points; beyond that, as a density-shaded
/// 2-D histogram (binned rectangles, runs of equal shade merged), so a plot of 2^20 subsets stays a
/// small file. Marginal histograms show each axis's distribution. No statistics inside: pass the
/// subset fits as computed by the analysis.
public struct GOSHPlot: Sendable {
    public var title: String?
    /// Pooled estimate of each subset, in data units.
    public var estimates: [Double]
    /// I² of each subset, in percent.
    public var iSquared: [Double]
    public var scale: PlotScale
    public var estimateLabel: String
    public var iSquaredLabel: String
    /// Most subsets drawn as individual points.
    public var pointLimit: Int
    /// Histogram cells across (estimate) and up (I²).
    public var columns: Int
    public var rows: Int
    public var showMarginals: Bool
    public var plotWidth: Double
    public var plotHeight: Double
    public var style: PlotStyle

    public init(
        title: String? = nil,
        estimates: [Double],
        iSquared: [Double],
        scale: PlotScale = .identity,
        estimateLabel: String = "Pooled estimate",
        iSquaredLabel: String = "I² (%)",
        pointLimit: Int = 2000,
        columns: Int = 80,
        rows: Int = 60,
        showMarginals: Bool = true,
        plotWidth: Double = 400,
        plotHeight: Double = 300,
        style: PlotStyle = PlotStyle()
    ) {
        precondition(estimates.count == iSquared.count, "GOSHPlot: one I² per estimate")
        self.title = title
        self.estimates = estimates
        self.iSquared = iSquared
        self.scale = scale
        self.estimateLabel = estimateLabel
        self.iSquaredLabel = iSquaredLabel
        self.pointLimit = pointLimit
        self.columns = Swift.max(1, columns)
        self.rows = Swift.max(1, rows)
        self.showMarginals = showMarginals
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
        self.style = style
    }
}
