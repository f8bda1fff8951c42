import MetaNumerics

extension FunnelPlot {
    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        let studies = zip(effectSizes, standardErrors).filter { $0.0.isFinite && $0.1.isFinite && $0.1 >= 0 }
        let filled = zip(filledEffectSizes, filledStandardErrors).filter { $0.0.isFinite && $0.1.isFinite && $0.1 >= 0 }
        let seMax = Swift.max((studies + filled).map(\.1).max() ?? 1, 1e-12)

        // Contours, widest last; critical values from the levels unless the caller passed them.
        var contours = contourLevels.enumerated().compactMap { index, level -> (level: Double, z: Double)? in
            guard level > 0 && level < 1 else { return nil }
            let z = criticalValues.flatMap { index < $0.count ? $0[index] : nil } ?? Normal.quantile(1 - (1 - level) / 2)
            return z.isFinite && z > 0 ? (level, z) : nil
        }
        contours.sort { $0.level < $1.level }
        let pseudoZ = Normal.quantile(0.975)

        let contourCentre = scale.dataUnits(nullValue ?? scale.defaultNullValue)
        var xs = (studies + filled).map(\.0)
        if let pooled = pooledEstimate, pooled.isFinite {
            xs.append(pooled)
            if showPseudoConfidenceRegion { xs += [pooled - pseudoZ * seMax, pooled + pseudoZ * seMax] }
        }
        if let widest = contours.last, contourCentre.isFinite { xs += [contourCentre - widest.z * seMax, contourCentre + widest.z * seMax] }
        if xs.isEmpty { xs = [contourCentre.isFinite ? contourCentre : 0] }

        let style = self.style
        let frame = CartesianFrame(x: (xs.min()!, xs.max()!), xScale: scale, y: (0, seMax), yDownward: true,
                                   width: plotWidth, height: plotHeight, title: title, style: style)
        let seBottom = frame.y.upper
        let shades = contours.indices.map { k -> String in
            let grey = 255 - Int((80.0 * Double(k + 1) / Double(contours.count)).rounded())
            return Self.grey(grey)
        }

        var svg = SVGWriter()
        frame.drawTitle(&svg, title)

        // Regions of significance: outermost shade as the background, then each triangle inside it.
        svg.group("plot-area") { svg in
            svg.rect(x: frame.left, y: frame.top, width: frame.width, height: frame.height,
                     fill: shades.last ?? "#ffffff", cssClass: "plot-background")
            for k in contours.indices.reversed() where contourCentre.isFinite {
                let z = contours[k].z
                let apex = frame.x.position(contourCentre)
                let triangle = [(apex, frame.top), (frame.x.position(contourCentre + z * seBottom), frame.bottom),
                                (frame.x.position(contourCentre - z * seBottom), frame.bottom)]
                let clipped = PlotGeometry.clip(triangle, left: frame.left, right: frame.right)
                if clipped.count >= 3 {
                    svg.polygon(clipped, fill: k == 0 ? "#ffffff" : shades[k - 1], cssClass: "contour")
                }
            }
        }

        if let pooled = pooledEstimate, pooled.isFinite, frame.x.contains(pooled) {
            let px = frame.x.position(pooled)
            svg.group("pooled") { svg in
                svg.line(x1: px, y1: frame.top, x2: px, y2: frame.bottom, stroke: style.ink, width: 1, cssClass: "pooled-line")
                if showPseudoConfidenceRegion {
                    for side in [-1.0, 1.0] {
                        let end = (frame.x.position(pooled + side * pseudoZ * seBottom), frame.bottom)
                        let (x2, y2) = Self.clipSegment(from: (px, frame.top), to: end, left: frame.left, right: frame.right)
                        svg.line(x1: px, y1: frame.top, x2: x2, y2: y2, stroke: style.ink, width: 0.9, dash: "4 3",
                                 cssClass: "pseudo-ci")
                    }
                }
            }
        }

        svg.group("studies") { svg in
            for (yi, se) in studies {
                svg.circle(cx: frame.x.position(frame.x.clamped(yi)), cy: frame.y.position(se), r: 3.3,
                           fill: style.ink, cssClass: "study-point")
            }
            for (yi, se) in filled {
                svg.circle(cx: frame.x.position(frame.x.clamped(yi)), cy: frame.y.position(se), r: 3.3,
                           fill: "#ffffff", stroke: style.ink, strokeWidth: 1.1, cssClass: "filled-point")
            }
        }
        frame.drawAxes(&svg, xLabel: axisLabel, yLabel: standardErrorLabel)

        // Legend to the right of the plot.
        let small = style.smallFontSize
        var legend: [(kind: String, fill: String, text: String)] = []
        if !contours.isEmpty {
            let alphas = contours.map { PlotNumberFormat.shortest(1 - $0.level, maxDigits: 4, minus: "-") }
            legend.append(("box", "#ffffff", "p > " + alphas[0]))
            for k in 1..<contours.count { legend.append(("box", shades[k - 1], alphas[k] + " < p ≤ " + alphas[k - 1])) }
            legend.append(("box", shades.last!, "p ≤ " + alphas.last!))
        }
        legend.append(("point", style.ink, "Studies"))
        if !filled.isEmpty { legend.append(("open", "#ffffff", "Imputed (trim-and-fill)")) }
        if pooledEstimate != nil { legend.append(("line", style.ink, "Pooled estimate")) }
        if pooledEstimate != nil && showPseudoConfidenceRegion { legend.append(("dash", style.ink, "Pseudo 95% CI")) }

        let legendX = frame.right + 18
        var legendWidth = 0.0
        svg.group("legend") { svg in
            var ly = frame.top + 6
            for item in legend {
                let cy = ly + 6
                switch item.kind {
                case "box": svg.rect(x: legendX, y: ly, width: 14, height: 12, fill: item.fill, stroke: style.muted, strokeWidth: 0.6)
                case "point": svg.circle(cx: legendX + 7, cy: cy, r: 3.3, fill: item.fill)
                case "open": svg.circle(cx: legendX + 7, cy: cy, r: 3.3, fill: item.fill, stroke: style.ink, strokeWidth: 1.1)
                case "line": svg.line(x1: legendX, y1: cy, x2: legendX + 14, y2: cy, stroke: item.fill, width: 1)
                default: svg.line(x1: legendX, y1: cy, x2: legendX + 14, y2: cy, stroke: item.fill, width: 0.9, dash: "4 3")
                }
                svg.text(item.text, x: legendX + 20, y: cy + small * 0.35, size: small)
                legendWidth = Swift.max(legendWidth, 20 + TextMetrics.width(item.text, size: small))
                ly += 18
            }
        }

        let width = legendX + legendWidth + frame.margin
        let height = frame.bottom + frame.heightBelow
        let description = "Funnel plot of \(studies.count) studies" + (filled.isEmpty ? "" : " and \(filled.count) imputed")
        return svg.document(width: width, height: height, title: title ?? "Funnel plot", description: description, style: style)
    }

    static func grey(_ value: Int) -> String {
        let digits = Array("0123456789abcdef")
        let v = Swift.max(0, Swift.min(255, value))
        let pair = String([digits[v / 16], digits[v % 16]])
        return "#" + pair + pair + pair
    }

    /// The end of the segment from `start` to `end` cut at the vertical lines `left` and `right`.
    static func clipSegment(from start: (Double, Double), to end: (Double, Double), left: Double, right: Double) -> (Double, Double) {
        var (x, y) = end
        for boundary in [left, right] where (boundary == left ? x < left : x > right) && end.0 != start.0 {
            let t = (boundary - start.0) / (end.0 - start.0)
            (x, y) = (boundary, start.1 + t * (end.1 - start.1))
        }
        return (x, y)
    }
}
