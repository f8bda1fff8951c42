/// A horizontal bar chart of counts by category, stacked by series when there are several
/// (e.g. included studies by treatment class, stacked by design, as in a review's first figure).
///
/// Categories are drawn top to bottom in the order given; values are non-negative (NaN and negative
/// values are drawn as zero). No statistics inside.
public struct BarChart: Sendable {
    /// One stacked component: a name for the legend and one value per category.
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]

        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var title: String?
    public var categories: [String]
    public var series: [Series]
    /// Title of the value axis, e.g. "Number of studies".
    public var valueLabel: String
    /// Write each bar's total at its end.
    public var showTotals: Bool
    /// Decimals of the numbers written on and beside the bars.
    public var digits: Int
    public var plotWidth: Double
    public var maxLabelWidth: Double
    public var style: PlotStyle

    public init(
        title: String? = nil,
        categories: [String],
        series: [Series],
        valueLabel: String = "",
        showTotals: Bool = true,
        digits: Int = 0,
        plotWidth: Double = 360,
        maxLabelWidth: Double = 240,
        style: PlotStyle = PlotStyle()
    ) {
        precondition(series.allSatisfy { $0.values.count == categories.count }, "BarChart: one value per category in every series")
        self.title = title
        self.categories = categories
        self.series = series
        self.valueLabel = valueLabel
        self.showTotals = showTotals
        self.digits = digits
        self.plotWidth = plotWidth
        self.maxLabelWidth = maxLabelWidth
        self.style = style
    }

    /// A colour-blind-safe qualitative palette (Okabe & Ito 2008), used in series order.
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
}
