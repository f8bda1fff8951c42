/// The frame shared by the scatter-type plots (funnel, Baujat, GOSH, radial, L'Abbé, bubble, QQ, drapery, profile): a plotting rectangle with a
/// bottom x axis and a left y axis, tick labels, axis titles and an optional title above.
struct CartesianFrame {
    let left: Double
    let top: Double
    let width: Double
    let height: Double
    let x: PlotAxis
    let y: PlotAxis
    let style: PlotStyle
    let margin: Double

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// Lays out the frame. `yDownward` puts the y axis's lower value at the top (a funnel plot's
    /// standard error of 0). `extraTop` and `extraRight` reserve room for marginal plots or a legend.
    init(x xRange: (Double, Double), xScale: PlotScale = .identity, exactX: Bool = false,
         y yRange: (Double, Double), yScale: PlotScale = .identity, exactY: Bool = false, yDownward: Bool = false,
         width: Double, height: Double, title: String?, extraTop: Double = 0, style: PlotStyle) {
        self.style = style
        margin = 14
        self.width = width
        self.height = height
        let small = style.smallFontSize
        top = margin + (title?.isEmpty == false ? style.titleFontSize * 1.6 + 6 : 4) + extraTop
        let bottom = top + height
        y = PlotAxis.make(lower: yRange.0, upper: yRange.1, scale: yScale,
                          start: yDownward ? top : bottom, end: yDownward ? bottom : top,
                          exact: exactY, maxTicks: 8, labelExtent: { _ in small * 1.3 })
        let tickWidth = y.ticks.map { TextMetrics.width($0.label, size: small) }.max() ?? 0
        left = margin + style.fontSize * 1.5 + tickWidth + 10
        x = PlotAxis.make(lower: xRange.0, upper: xRange.1, scale: xScale, start: left, end: left + width,
                          exact: exactX, maxTicks: 9, labelExtent: { TextMetrics.width($0, size: small) })
    }

    /// Height used below the plotting rectangle by tick labels and the x title.
    var heightBelow: Double { 4 + style.smallFontSize + 4 + style.fontSize * 1.6 + margin }

    func drawTitle(_ svg: inout SVGWriter, _ title: String?) {
        guard let title, !title.isEmpty else { return }
        svg.text(title, x: margin, y: margin + style.titleFontSize, size: style.titleFontSize, bold: true, cssClass: "title")
    }

    func drawAxes(_ svg: inout SVGWriter, xLabel: String, yLabel: String) {
        let small = style.smallFontSize
        svg.group("axis x-axis") { svg in
            svg.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: style.ink, width: 1)
            for tick in x.ticks {
                let tx = x.position(tick.value)
                svg.line(x1: tx, y1: bottom, x2: tx, y2: bottom + 4, stroke: style.ink, width: 1, cssClass: "tick")
                svg.text(tick.label, x: tx, y: bottom + 6 + small, anchor: .middle, size: small, cssClass: "tick-label")
            }
            if !xLabel.isEmpty {
                svg.text(xLabel, x: (left + right) / 2, y: bottom + 8 + small + style.fontSize * 1.35,
                         anchor: .middle, cssClass: "axis-label")
            }
        }
        svg.group("axis y-axis") { svg in
            svg.line(x1: left, y1: top, x2: left, y2: bottom, stroke: style.ink, width: 1)
            for tick in y.ticks {
                let ty = y.position(tick.value)
                svg.line(x1: left - 4, y1: ty, x2: left, y2: ty, stroke: style.ink, width: 1, cssClass: "tick")
                svg.text(tick.label, x: left - 6, y: ty + small * 0.35, anchor: .end, size: small, cssClass: "tick-label")
            }
            if !yLabel.isEmpty {
                let tx = margin + style.fontSize * 0.8, ty = (top + bottom) / 2
                svg.text(yLabel, x: tx, y: ty, anchor: .middle, rotate: -90, cssClass: "axis-label")
            }
        }
    }
}
