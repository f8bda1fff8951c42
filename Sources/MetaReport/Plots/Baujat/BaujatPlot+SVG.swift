extension BaujatPlot {
    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    ///
    /// Labels go beside their points at the first free place among right, left, above and below,
    /// so that labels neither overlap each other nor leave the plotting area where avoidable.
    public func svg() -> String {
        let indices = contributions.indices.filter { contributions[$0].isFinite && influences[$0].isFinite }
        let xs = indices.map { contributions[$0] }, ys = indices.map { influences[$0] }
        let style = self.style
        let small = style.smallFontSize
        // Exact limits padded by 6 % (ticks inside), so points at zero or at the maximum clear the axes.
        func padded(_ values: [Double]) -> (Double, Double) {
            let low = Swift.min(0, values.min() ?? 0), high = Swift.max(values.max() ?? 1, low + 1e-12)
            return (low - 0.06 * (high - low), high + 0.06 * (high - low))
        }
        let frame = CartesianFrame(x: padded(xs), exactX: true, y: padded(ys), exactY: true,
                                   width: plotWidth, height: plotHeight, title: title, style: style)

        var svg = SVGWriter()
        frame.drawTitle(&svg, title)
        svg.group("grid") { svg in
            for tick in frame.x.ticks {
                let x = frame.x.position(tick.value)
                svg.line(x1: x, y1: frame.top, x2: x, y2: frame.bottom, stroke: "#e6e6e6", width: 0.8)
            }
            for tick in frame.y.ticks {
                let y = frame.y.position(tick.value)
                svg.line(x1: frame.left, y1: y, x2: frame.right, y2: y, stroke: "#e6e6e6", width: 0.8)
            }
        }

        // Place labels largest-influence first: those are the studies a reader looks for.
        let order = indices.sorted { (influences[$0], contributions[$0]) > (influences[$1], contributions[$1]) }
        var occupied: [(Double, Double, Double, Double)] = indices.map {
            let (px, py) = (frame.x.position(contributions[$0]), frame.y.position(influences[$0]))
            return (px - 3.5, py - 3.5, px + 3.5, py + 3.5)
        }
        var placements: [Int: (x: Double, y: Double, anchor: SVGWriter.Anchor)] = [:]
        var leaders: [Int: (Double, Double, Double, Double)] = [:]
        for i in order {
            let px = frame.x.position(contributions[i]), py = frame.y.position(influences[i])
            let w = TextMetrics.width(labels[i], size: small), h = small
            // Rings of candidate places around the point; farther rings get a leader line.
            var candidates: [(x: Double, y: Double, anchor: SVGWriter.Anchor, ring: Int)] = []
            for (ring, r) in [6.0, 17, 30].enumerated() {
                let d = r * 0.72
                candidates += [
                    (px + r, py + h * 0.35, .start, ring), (px - r, py + h * 0.35, .end, ring),
                    (px, py - r, .middle, ring), (px, py + r + h * 0.8, .middle, ring),
                    (px + d, py - d, .start, ring), (px - d, py - d, .end, ring),
                    (px + d, py + d + h * 0.8, .start, ring), (px - d, py + d + h * 0.8, .end, ring),
                ]
            }
            func box(_ c: (x: Double, y: Double, anchor: SVGWriter.Anchor, ring: Int)) -> (Double, Double, Double, Double) {
                let x0 = c.anchor == .start ? c.x : (c.anchor == .end ? c.x - w : c.x - w / 2)
                return (x0 - 1, c.y - h * 0.8, x0 + w + 1, c.y + h * 0.25)
            }
            func overlaps(_ a: (Double, Double, Double, Double), _ b: (Double, Double, Double, Double)) -> Bool {
                a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
            }
            func inside(_ b: (Double, Double, Double, Double)) -> Bool {
                b.0 >= frame.left + 2 && b.2 <= frame.right - 2 && b.1 >= frame.top && b.3 <= frame.bottom - 2
            }
            // Fewest collisions, then inside the plot, then nearest; ties keep the preferred order.
            func cost(_ index: Int) -> Int {
                let b = box(candidates[index])
                return occupied.filter { overlaps($0, b) }.count * 100 + (inside(b) ? 0 : 50) + candidates[index].ring * 10
            }
            let best = candidates.indices.min { (cost($0), $0) < (cost($1), $1) }!
            let choice = candidates[best]
            if choice.ring > 0 {
                let b = box(choice)
                leaders[i] = (px, py, Swift.min(Swift.max(px, b.0), b.2), Swift.min(Swift.max(py, b.1), b.3))
            }
            occupied.append(box(choice))
            placements[i] = (choice.x, choice.y, choice.anchor)
        }

        svg.group("studies") { svg in
            for i in indices {
                let px = frame.x.position(contributions[i]), py = frame.y.position(influences[i])
                svg.group("study-point") { svg in
                    if let (x1, y1, x2, y2) = leaders[i] {
                        svg.line(x1: x1, y1: y1, x2: x2, y2: y2, stroke: style.muted, width: 0.6, cssClass: "leader")
                    }
                    svg.circle(cx: px, cy: py, r: 3, fill: style.marker, cssClass: "point")
                    let place = placements[i]!
                    svg.text(labels[i], x: place.x, y: place.y, anchor: place.anchor, size: small, cssClass: "point-label")
                }
            }
        }
        frame.drawAxes(&svg, xLabel: xLabel, yLabel: yLabel)
        let width = frame.right + frame.margin + 10
        let height = frame.bottom + frame.heightBelow
        return svg.document(width: width, height: height, title: title ?? "Baujat plot",
                            description: "Baujat plot of \(indices.count) studies", style: style)
    }
}
