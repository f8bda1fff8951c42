/// A Baujat plot: each study's contribution to the overall heterogeneity statistic Q (x) against its
/// influence on the pooled estimate (y), labelled, to spot studies that drive both
/// (Baujat et al. 2002, Stat Med 21:2641–2652).
///
/// No statistics inside: pass the two coordinates as computed by the analysis (metafor's `baujat()`).
public struct BaujatPlot: Sendable {
    public var title: String?
    /// Contribution of each study to Q (x axis).
    public var contributions: [Double]
    /// Influence of each study on the pooled estimate (y axis).
    public var influences: [Double]
    /// One label per study, written beside its point.
    public var labels: [String]
    public var xLabel: String
    public var yLabel: String
    public var plotWidth: Double
    public var plotHeight: Double
    public var style: PlotStyle

    public init(
        title: String? = nil,
        contributions: [Double],
        influences: [Double],
        labels: [String],
        xLabel: String = "Contribution to overall heterogeneity",
        yLabel: String = "Influence on overall result",
        plotWidth: Double = 400,
        plotHeight: Double = 320,
        style: PlotStyle = PlotStyle()
    ) {
        precondition(contributions.count == influences.count && influences.count == labels.count,
                     "BaujatPlot: one contribution, influence and label per study")
        self.title = title
        self.contributions = contributions
        self.influences = influences
        self.labels = labels
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
        self.style = style
    }
}
