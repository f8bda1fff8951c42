import MetaAnalysis

/// A forest plot: one row per study (label, extra text columns, a square sized by weight with its
/// confidence interval, the weight and the estimate with its CI as text), optional subgroup blocks with
/// their own pooled diamonds, the overall pooled diamond, the prediction interval as a bar, and a line
/// of no effect.
///
/// The plot holds no statistics: every number is computed by the analysis and passed in. Values are in
/// data units; with `scale == .log` (ratio measures) they are natural logs and everything shown to the
/// reader — axis ticks and the estimate column — is back-transformed with `exp`. Presentation settings
/// a user types (`nullValue`, `axisLimits`) are in the units the reader sees (ratios on a log scale).
///
/// Layout follows the conventions of Cochrane forest plots (Higgins et al., Cochrane Handbook §10.2)
/// and metafor's `forest()`: squares with area proportional to weight, diamonds spanning the CI.
public struct ForestPlot: Sendable {
    /// One study.
    public struct Row: Sendable {
        public var label: String
        /// Effect estimate in data units; NaN shows the row as "not estimable".
        public var estimate: Double
        public var lower: Double
        public var upper: Double
        /// Weight in percent (0–100); nil draws all squares the same size.
        public var weightPercent: Double?
        /// Texts for the extra columns, in the order of `ForestPlot.columns`.
        public var values: [String]
        /// A second interval drawn under the first as a thin line with a dot (a Bayesian shrinkage estimate).
        public var secondary: Interval?

        public init(label: String, estimate: Double, lower: Double, upper: Double,
                    weightPercent: Double? = nil, values: [String] = [], secondary: Interval? = nil) {
            self.label = label
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
            self.weightPercent = weightPercent
            self.values = values
            self.secondary = secondary
        }
    }

    /// An estimate with its interval, in data units (the library's one such type).
    public typealias Interval = HeterogeneityConfidenceIntervals.Bounds

    /// A pooled estimate drawn as a diamond spanning its confidence interval, with an optional
    /// prediction interval drawn as a bar on the row below and a heterogeneity line under both.
    public struct Summary: Sendable {
        public var label: String
        public var estimate: Double
        public var lower: Double
        public var upper: Double
        /// Prediction interval bounds (both or neither).
        public var predictionLower: Double?
        public var predictionUpper: Double?
        public var weightPercent: Double?
        /// Texts for the extra columns (e.g. total N).
        public var values: [String]
        /// A line under the summary such as "Heterogeneity: τ² = 0.31; χ² = 152.23, df = 12 (p < 0.001); I² = 92%".
        public var heterogeneity: String?
        /// A line under the heterogeneity line such as "Test for overall effect: z = 3.70 (p < 0.001)".
        public var overallTest: String?

        public init(label: String, estimate: Double, lower: Double, upper: Double,
                    predictionLower: Double? = nil, predictionUpper: Double? = nil,
                    weightPercent: Double? = nil, values: [String] = [], heterogeneity: String? = nil,
                    overallTest: String? = nil) {
            self.label = label
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
            self.predictionLower = predictionLower
            self.predictionUpper = predictionUpper
            self.weightPercent = weightPercent
            self.values = values
            self.heterogeneity = heterogeneity
            self.overallTest = overallTest
        }
    }

    /// A block of studies under a heading, with its own pooled estimate.
    public struct Subgroup: Sendable {
        public var title: String
        public var rows: [Row]
        public var summary: Summary?
        /// A line under the block, e.g. why it has no pooled estimate ("Single study: not pooled").
        public var note: String?

        public init(title: String, rows: [Row], summary: Summary? = nil, note: String? = nil) {
            self.title = title
            self.rows = rows
            self.summary = summary
            self.note = note
        }
    }

    /// An extra text column between the labels and the plot (e.g. "N", "Events/Total").
    public struct Column: Sendable {
        public var header: String
        /// How the column's text is anchored (the one alignment type of text output, `TextTable.Alignment`).
        public var alignment: TextTable.Alignment
        /// A header spanning this column and its neighbours of the same group, drawn above theirs (an arm's name
        /// over its "Events" and "Total" columns, as in RevMan).
        public var group: String?

        public init(_ header: String, alignment: TextTable.Alignment = .right, group: String? = nil) {
            self.header = header
            self.alignment = alignment
            self.group = group
        }
    }

    public var title: String?
    /// Studies outside any subgroup, drawn first.
    public var rows: [Row]
    public var subgroups: [Subgroup]
    /// The overall pooled estimate (diamond) and prediction interval (bar).
    public var overall: Summary?
    /// The test for subgroup differences, printed under the plot (e.g. "Test for subgroup differences: Q = 3.2, df = 1, p = 0.07").
    public var subgroupTest: String?
    /// Further lines printed under the plot (model, estimator, CI method).
    public var footnotes: [String]
    public var columns: [Column]
    public var labelHeader: String
    /// Header of the estimate column, e.g. "Risk ratio [95% CI]".
    public var estimateHeader: String
    public var weightHeader: String
    /// Label of the prediction-interval rows.
    public var predictionLabel: String
    /// The line of no effect in displayed units; nil uses 0 (identity scale) or 1 (log scale); NaN draws
    /// none (e.g. for proportions, where no value means "no effect").
    public var nullValue: Double?
    public var scale: PlotScale
    public var axisLabel: String
    /// Texts under the axis on either side of the line of no effect ("Favours treatment").
    public var favoursLeft: String?
    public var favoursRight: String?
    /// Decimals of the estimate column.
    public var digits: Int
    /// Fixed axis limits in displayed units (e.g. 0.1...10 for ratios); nil chooses them from the data,
    /// clipping extreme intervals with arrows.
    public var axisLimits: ClosedRange<Double>?
    /// Width of the plotting region in pixels.
    public var plotWidth: Double
    /// Labels wider than this (pixels) wrap at spaces onto up to `maxLabelLines` lines; what still does not
    /// fit is shortened with an ellipsis and the full text kept as a tooltip.
    public var maxLabelWidth: Double
    public var maxLabelLines: Int
    public var style: PlotStyle

    public init(
        title: String? = nil,
        rows: [Row] = [],
        subgroups: [Subgroup] = [],
        overall: Summary? = nil,
        subgroupTest: String? = nil,
        footnotes: [String] = [],
        columns: [Column] = [],
        labelHeader: String = "Study",
        estimateHeader: String = "Estimate [95% CI]",
        weightHeader: String = "Weight",
        predictionLabel: String = "Prediction interval",
        nullValue: Double? = nil,
        scale: PlotScale = .identity,
        axisLabel: String = "",
        favoursLeft: String? = nil,
        favoursRight: String? = nil,
        digits: Int = 2,
        axisLimits: ClosedRange<Double>? = nil,
        plotWidth: Double = 280,
        maxLabelWidth: Double = 300,
        maxLabelLines: Int = 3,
        style: PlotStyle = PlotStyle()
    ) {
        self.title = title
        self.rows = rows
        self.subgroups = subgroups
        self.overall = overall
        self.subgroupTest = subgroupTest
        self.footnotes = footnotes
        self.columns = columns
        self.labelHeader = labelHeader
        self.estimateHeader = estimateHeader
        self.weightHeader = weightHeader
        self.predictionLabel = predictionLabel
        self.nullValue = nullValue
        self.scale = scale
        self.axisLabel = axisLabel
        self.favoursLeft = favoursLeft
        self.favoursRight = favoursRight
        self.digits = digits
        self.axisLimits = axisLimits
        self.plotWidth = plotWidth
        self.maxLabelWidth = maxLabelWidth
        self.maxLabelLines = maxLabelLines
        self.style = style
    }
}
