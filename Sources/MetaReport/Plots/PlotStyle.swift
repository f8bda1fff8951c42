/// Fonts, sizes and colours shared by all plots.
///
/// The defaults give greyscale-safe figures in a sans-serif font with metric-compatible fallbacks
/// (Helvetica, Arial, Liberation Sans), so text widths estimated while laying out hold in any viewer.
public struct PlotStyle: Sendable, Equatable {
    /// CSS font-family list written on the root element.
    public var fontFamily: String
    /// Body text size in pixels; other sizes are derived from it.
    public var fontSize: Double
    /// Text and line colour.
    public var ink: String
    /// Axis lines, reference lines and secondary text.
    public var muted: String
    /// Study markers (forest-plot squares, funnel and Baujat points).
    public var marker: String
    /// Pooled-estimate diamonds.
    public var summary: String
    /// Prediction-interval bars.
    public var prediction: String

    public init(
        fontFamily: String = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif",
        fontSize: Double = 11,
        ink: String = "#1a1a1a",
        muted: String = "#666666",
        marker: String = "#1f4e79",
        summary: String = "#1a1a1a",
        prediction: String = "#b2182b"
    ) {
        self.fontFamily = fontFamily
        self.fontSize = fontSize
        self.ink = ink
        self.muted = muted
        self.marker = marker
        self.summary = summary
        self.prediction = prediction
    }

    /// Size of footnotes, tick labels and heterogeneity lines.
    var smallFontSize: Double { (fontSize * 0.87 * 10).rounded() / 10 }
    /// Size of the plot title.
    var titleFontSize: Double { (fontSize * 1.2 * 10).rounded() / 10 }
}
