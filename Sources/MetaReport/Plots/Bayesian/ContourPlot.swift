/// Contour lines of a function on a rectangular grid (the joint posterior density of (μ, τ)), found by marching
/// squares with linear interpolation along cell edges, plus marked points (e.g. the joint posterior mode).
///
/// No statistics inside: the caller evaluates the function on the grid and chooses the levels.
public struct ContourPlot: Sendable {
    public struct Level: Sendable {
        public var label: String
        public var value: Double
        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    public var title: String?
    /// Grid coordinates along the horizontal and vertical axes.
    public var xs: [Double]
    public var ys: [Double]
    /// values[j][i] at (xs[i], ys[j]).
    public var values: [[Double]]
    /// Contour levels, from the outermost (lowest) to the innermost.
    public var levels: [Level]
    public var points: [(label: String, x: Double, y: Double)]
    public var xLabel: String
    public var yLabel: String
    public var plotWidth: Double
    public var plotHeight: Double
    public var style: PlotStyle

    public init(title: String? = nil, xs: [Double], ys: [Double], values: [[Double]], levels: [Level],
                points: [(label: String, x: Double, y: Double)] = [], xLabel: String, yLabel: String,
                plotWidth: Double = 400, plotHeight: Double = 320, style: PlotStyle = PlotStyle()) {
        precondition(values.count == ys.count && values.allSatisfy { $0.count == xs.count }, "ContourPlot: values[j][i] on ys × xs")
        self.title = title
        self.xs = xs
        self.ys = ys
        self.values = values
        self.levels = levels
        self.points = points
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
        self.style = style
    }

    /// The segments of the contour at `level`, in data units (marching squares; a saddle cell is split by the
    /// value at its centre).
    func segments(at level: Double) -> [[(Double, Double)]] {
        var out: [[(Double, Double)]] = []
        guard xs.count >= 2, ys.count >= 2 else { return out }
        for j in 0..<(ys.count - 1) {
            for i in 0..<(xs.count - 1) {
                // Corners counter-clockwise from bottom-left.
                let corners = [(xs[i], ys[j], values[j][i]), (xs[i + 1], ys[j], values[j][i + 1]),
                               (xs[i + 1], ys[j + 1], values[j + 1][i + 1]), (xs[i], ys[j + 1], values[j + 1][i])]
                guard corners.allSatisfy({ $0.2.isFinite }) else { continue }
                var crossings: [(Double, Double)] = []
                for e in 0..<4 {
                    let a = corners[e], b = corners[(e + 1) % 4]
                    if (a.2 >= level) != (b.2 >= level) {
                        let t = (level - a.2) / (b.2 - a.2)
                        crossings.append((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
                    }
                }
                if crossings.count == 2 {
                    out.append(crossings)
                } else if crossings.count == 4 {
                    let centre = corners.map(\.2).reduce(0, +) / 4
                    // Crossings lie on edges 0-1, 1-2, 2-3, 3-0 in order; pair them so that the centre's side stays connected.
                    if (centre >= level) == (corners[0].2 >= level) {
                        out.append([crossings[0], crossings[1]]); out.append([crossings[2], crossings[3]])
                    } else {
                        out.append([crossings[3], crossings[0]]); out.append([crossings[1], crossings[2]])
                    }
                }
            }
        }
        return out
    }

    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        let legendHeight = Double(levels.count + points.count) * style.fontSize * 1.3
        let frame = CartesianFrame(x: (xs.first ?? 0, xs.last ?? 1), exactX: true, y: (ys.first ?? 0, ys.last ?? 1), exactY: true,
                                   width: plotWidth, height: plotHeight, title: title, extraTop: legendHeight, style: style)
        var svg = SVGWriter()
        frame.drawTitle(&svg, title)
        let shades = levels.indices.map { n -> String in
            FunnelPlot.grey(170 - Int((150.0 * Double(n) / Double(max(1, levels.count - 1))).rounded()))
        }
        svg.group("plot-area") { svg in
            for (n, level) in levels.enumerated() {
                let lines = segments(at: level.value).map { $0.map { (frame.x.position($0.0), frame.y.position($0.1)) } }
                svg.path(lines, stroke: shades[n], width: 1.2, cssClass: "contour")
            }
            for p in points where frame.x.contains(p.x) && frame.y.contains(p.y) {
                svg.circle(cx: frame.x.position(p.x), cy: frame.y.position(p.y), r: 3, fill: style.prediction, cssClass: "point")
            }
        }
        frame.drawAxes(&svg, xLabel: xLabel, yLabel: yLabel)
        svg.group("legend") { svg in
            var y = frame.top - legendHeight + style.fontSize
            let x = frame.left + 4
            for (n, level) in levels.enumerated() {
                svg.line(x1: x, y1: y - style.fontSize * 0.35, x2: x + 22, y2: y - style.fontSize * 0.35, stroke: shades[n], width: 1.2)
                svg.text(level.label, x: x + 28, y: y)
                y += style.fontSize * 1.3
            }
            for p in points {
                svg.circle(cx: x + 11, cy: y - style.fontSize * 0.35, r: 3, fill: style.prediction)
                svg.text(p.label, x: x + 28, y: y)
                y += style.fontSize * 1.3
            }
        }
        return svg.document(width: frame.right + frame.margin, height: frame.bottom + frame.heightBelow,
                            title: title, description: levels.map(\.label).joined(separator: "; "), style: style)
    }
}
