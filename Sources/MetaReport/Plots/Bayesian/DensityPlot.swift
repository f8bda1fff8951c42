/// Density curves over one parameter (a marginal posterior with its prior overlaid): the first curve is drawn
/// solid with its credible interval shaded underneath, the others dashed; vertical marks (e.g. the posterior
/// median) as thin lines.
///
/// No statistics inside: the caller evaluates the densities on `xs`.
public struct DensityPlot: Sendable {
    public struct Curve: Sendable {
        public var label: String
        public var values: [Double]
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    public var title: String?
    public var xs: [Double]
    /// The first curve is the main one (solid, shaded interval); the others are overlays (dashed).
    public var curves: [Curve]
    /// The interval shaded under the first curve (e.g. the shortest 95 % credible interval).
    public var shaded: (lower: Double, upper: Double)?
    public var shadedLabel: String?
    /// Vertical reference lines with labels (e.g. the posterior median).
    public var marks: [(label: String, value: Double)]
    public var axisLabel: String
    public var plotWidth: Double
    public var plotHeight: Double
    public var style: PlotStyle

    public init(title: String? = nil, xs: [Double], curves: [Curve], shaded: (lower: Double, upper: Double)? = nil,
                shadedLabel: String? = nil, marks: [(label: String, value: Double)] = [], axisLabel: String,
                plotWidth: Double = 400, plotHeight: Double = 260, style: PlotStyle = PlotStyle()) {
        precondition(curves.allSatisfy { $0.values.count == xs.count }, "DensityPlot: one value per x in every curve")
        self.title = title
        self.xs = xs
        self.curves = curves
        self.shaded = shaded
        self.shadedLabel = shadedLabel
        self.marks = marks
        self.axisLabel = axisLabel
        self.plotWidth = plotWidth
        self.plotHeight = plotHeight
        self.style = style
    }

    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        let finite = xs.filter(\.isFinite)
        let xRange = (finite.min() ?? 0, finite.max() ?? 1)
        let top = curves.flatMap(\.values).filter(\.isFinite).max() ?? 1
        let legendHeight = Double(curves.count + (shaded == nil ? 0 : 1) + marks.count) * style.fontSize * 1.3
        let frame = CartesianFrame(x: xRange, exactX: true, y: (0, top > 0 ? top * 1.05 : 1), width: plotWidth,
                                   height: plotHeight, title: title, extraTop: legendHeight, style: style)
        var svg = SVGWriter()
        frame.drawTitle(&svg, title)
        func point(_ i: Int, _ v: Double) -> (Double, Double) {
            (frame.x.position(xs[i]), frame.y.position(frame.y.clamped(v)))
        }
        let colours = [style.marker, style.prediction, style.muted]
        svg.group("plot-area") { svg in
            if let shaded, let main = curves.first {
                let inside = xs.indices.filter { xs[$0] >= shaded.lower && xs[$0] <= shaded.upper && main.values[$0].isFinite }
                if let first = inside.first, let last = inside.last {
                    let outline = [(frame.x.position(xs[first]), frame.bottom)] + inside.map { point($0, main.values[$0]) }
                        + [(frame.x.position(xs[last]), frame.bottom)]
                    svg.path([outline], stroke: "none", width: 0, fill: style.marker, opacity: 0.18, closed: true, cssClass: "credible-interval")
                }
            }
            for (n, curve) in curves.enumerated() {
                var pieces: [[(Double, Double)]] = [[]]
                for i in xs.indices {
                    if curve.values[i].isFinite { pieces[pieces.count - 1].append(point(i, curve.values[i])) } else { pieces.append([]) }
                }
                svg.path(pieces, stroke: colours[min(n, colours.count - 1)], width: n == 0 ? 1.6 : 1.2,
                         dash: n == 0 ? nil : "5 3", cssClass: n == 0 ? "density posterior" : "density overlay")
            }
            for mark in marks where frame.x.contains(mark.value) {
                let x = frame.x.position(mark.value)
                svg.line(x1: x, y1: frame.top, x2: x, y2: frame.bottom, stroke: style.ink, width: 0.8, dash: "2 2", cssClass: "mark")
            }
        }
        frame.drawAxes(&svg, xLabel: axisLabel, yLabel: "Density")
        svg.group("legend") { svg in
            var y = frame.top - legendHeight + style.fontSize
            let x = frame.left + 4
            for (n, curve) in curves.enumerated() {
                svg.line(x1: x, y1: y - style.fontSize * 0.35, x2: x + 22, y2: y - style.fontSize * 0.35,
                         stroke: colours[min(n, colours.count - 1)], width: n == 0 ? 1.6 : 1.2, dash: n == 0 ? nil : "5 3")
                svg.text(curve.label, x: x + 28, y: y)
                y += style.fontSize * 1.3
            }
            if shaded != nil, let label = shadedLabel {
                svg.rect(x: x, y: y - style.fontSize * 0.8, width: 22, height: style.fontSize * 0.8, fill: style.marker, opacity: 0.18)
                svg.text(label, x: x + 28, y: y)
                y += style.fontSize * 1.3
            }
            for mark in marks {
                svg.line(x1: x + 11, y1: y - style.fontSize * 0.9, x2: x + 11, y2: y + style.fontSize * 0.1, stroke: style.ink,
                         width: 0.8, dash: "2 2")
                svg.text("\(mark.label) \(PlotNumberFormat.shortest(mark.value, maxDigits: 4))", x: x + 28, y: y)
                y += style.fontSize * 1.3
            }
        }
        let marksText = marks.map { "\($0.label) \(PlotNumberFormat.shortest($0.value))" }.joined(separator: "; ")
        return svg.document(width: frame.right + frame.margin, height: frame.bottom + frame.heightBelow,
                            title: title, description: marksText.isEmpty ? nil : marksText, style: style)
    }
}
