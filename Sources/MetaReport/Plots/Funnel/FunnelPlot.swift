/// A funnel plot: effect sizes against their standard errors (0 at the top), the pooled estimate as
/// a vertical line with its pseudo 95% confidence region, and optionally the contour-enhanced regions
/// of statistical significance around the null (Peters et al. 2008, J Clin Epidemiol 61:991–996) and
/// trim-and-fill's imputed studies drawn as open circles (Duval & Tweedie 2000).
///
/// No statistics inside: the caller passes effect sizes, standard errors and the pooled estimate.
/// With `scale == .log` the effect sizes are log ratios and the axis shows the ratios.
public struct FunnelPlot: Sendable {
    public var title: String?
    /// Observed effect sizes (yi), in data units.
    public var effectSizes: [Double]
    /// Their standard errors (√vi).
    public var standardErrors: [Double]
    /// Studies imputed by trim-and-fill, drawn as open circles.
    public var filledEffectSizes: [Double]
    public var filledStandardErrors: [Double]
    /// The pooled estimate the funnel is centred on (for trim-and-fill, the adjusted estimate).
    public var pooledEstimate: Double?
    /// Draw the pseudo confidence region pooled ± z·SE (95 %) as dashed lines.
    public var showPseudoConfidenceRegion: Bool
    /// Confidence levels of the significance contours, e.g. [0.90, 0.95, 0.99]; empty for a plain funnel.
    public var contourLevels: [Double]
    /// Two-sided critical values matching `contourLevels`; nil computes Φ⁻¹(1 − (1 − level)/2).
    public var criticalValues: [Double]?
    /// Where the contours are centred: the value of no effect in displayed units; nil uses 0 (identity
    /// scale) or 1 (log scale).
    public var nullValue: Double?
    public var scale: PlotScale
    public var axisLabel: String
    public var standardErrorLabel: String
    public var plotWidth: Double
    public var plotHeight: Double
    public var style: PlotStyle

    public init(
        title: String? = nil,
        effectSizes: [Double],
        standardErrors: [Double],
        filledEffectSizes: [Double] = [],
        filledStandardErrors: [Double] = [],
        pooledEstimate: Double? = nil,
        showPseudoConfidenceRegion: Bool = true,
        contourLevels: [Double] = [],
        criticalValues: [Double]? = nil,
        nullValue: Double? = nil,
        scale: PlotScale = .identity,
        axisLabel: String = "Effect size",
        standardErrorLabel: String = "Standard error",
        plotWidth: Double = 400,
        plotHeight: Double = 320,
        style: PlotStyle = PlotStyle()
    ) {
        precondition(effectSizes.count == standardErrors.count, "FunnelPlot: one standard error per effect size")
        precondition(filledEffectSizes.count == filledStandardErrors.count, "FunnelPlot: one standard error per filled effect size")
        self.title = title
        self.effectSizes = effectSizes
        self.standardErrors = standardErrors
        self.filledEffectSizes = filledEffectSizes
        self.filledStandardErrors = filledStandardErrors
        self.pooledEstimate = pooledEstimate
        self.showPseudoConfidenceRegion = showPseudoConfidenceRegion
        self.contourLevels = contourLevels
        self.criticalValues = criticalValues
        self.nullValue = nullValue
        self.scale = scale
        self.axisLabel = axisLabel
        self.standardErrorLabel = standardErrorLabel
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
        self.style = style
    }
}
