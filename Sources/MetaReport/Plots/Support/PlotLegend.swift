/// A legend of symbols and labels to the right of a plot's frame (the diagnostic plots' shared key).
struct PlotLegend {
    enum Symbol {
        case point(fill: String, stroke: String?)
        case line(stroke: String, width: Double, dash: String?)
        case box(fill: String)
    }

    var items: [(symbol: Symbol, text: String)] = []

    mutating func add(_ symbol: Symbol, _ text: String) { items.append((symbol, text)) }

    /// Draws the items from (`x`, `top`) down; returns the width taken.
    func draw(_ svg: inout SVGWriter, x: Double, top: Double, style: PlotStyle) -> Double {
        let small = style.smallFontSize
        var width = 0.0
        svg.group("legend") { svg in
            var y = top + 6
            for item in items {
                let cy = y + 6
                switch item.symbol {
                case let .point(fill, stroke):
                    svg.circle(cx: x + 7, cy: cy, r: 3.5, fill: fill, stroke: stroke, strokeWidth: stroke == nil ? nil : 1)
                case let .line(stroke, lineWidth, dash):
                    svg.line(x1: x, y1: cy, x2: x + 14, y2: cy, stroke: stroke, width: lineWidth, dash: dash)
                case let .box(fill):
                    svg.rect(x: x, y: y, width: 14, height: 12, fill: fill, stroke: style.muted, strokeWidth: 0.6)
                }
                svg.text(item.text, x: x + 20, y: cy + small * 0.35, size: small, cssClass: "legend")
                width = Swift.max(width, 20 + TextMetrics.width(item.text, size: small))
                y += 18
            }
        }
        return width
    }
}

/// Circle radii whose areas are proportional to the weights (largest `maxRadius`), as forest-plot boxes are.
enum WeightedMarkers {
    static func radii(_ weights: [Double], maxRadius: Double = 12, minRadius: Double = 1.5) -> [Double] {
        let top = weights.filter { $0.isFinite && $0 > 0 }.max() ?? 1
        return weights.map { w in
            guard w.isFinite, w > 0 else { return minRadius }
            return Swift.max(minRadius, maxRadius * (w / top).squareRoot())
        }
    }
}
