extension BarChart {
    /// The chart as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        let style = self.style
        let font = style.fontSize, small = style.smallFontSize
        let margin = 14.0
        let rowHeight = (font * 2.1).rounded(), barHeight = (font * 1.4).rounded()
        let value = { (s: Int, c: Int) -> Double in
            let v = self.series[s].values[c]
            return v.isFinite && v > 0 ? v : 0
        }
        let totals = categories.indices.map { c in series.indices.reduce(0) { $0 + value($1, c) } }

        let labels = categories.map { TextMetrics.truncated($0, size: font, maxWidth: maxLabelWidth) }
        let labelWidth = labels.map { TextMetrics.width($0, size: font) }.max() ?? 0
        let plotLeft = margin + labelWidth + 10
        let plotRight = plotLeft + plotWidth
        var y = margin
        var svg = SVGWriter()
        if let title, !title.isEmpty {
            svg.text(title, x: margin, y: y + style.titleFontSize, size: style.titleFontSize, bold: true, cssClass: "title")
            y += style.titleFontSize * 1.6 + 4
        }

        // Legend above the bars, wrapped to the width of the chart.
        var width = plotRight + margin + 40
        if series.count > 1 {
            svg.group("legend") { svg in
                var lx = plotLeft
                y += 2
                for (s, item) in series.enumerated() {
                    let itemWidth = 20 + TextMetrics.width(item.name, size: small) + 16
                    if lx > plotLeft && lx + itemWidth > plotRight + 40 {
                        lx = plotLeft
                        y += small * 1.7
                    }
                    svg.rect(x: lx, y: y, width: 14, height: 12, fill: Self.palette[s % Self.palette.count], cssClass: "legend-key")
                    svg.text(item.name, x: lx + 20, y: y + 10, size: small)
                    lx += itemWidth
                    width = Swift.max(width, lx + margin)
                }
            }
            y += 12 + small * 1.2
        }

        let axis = PlotAxis.make(lower: 0, upper: Swift.max(totals.max() ?? 1, 1e-9), scale: .identity, start: plotLeft,
                                 end: plotRight, maxTicks: 9, integerTicks: digits == 0, labelExtent: { TextMetrics.width($0, size: small) })
        let top = y
        let bottom = top + rowHeight * Double(categories.count)
        svg.group("grid") { svg in
            for tick in axis.ticks {
                let x = axis.position(tick.value)
                svg.line(x1: x, y1: top, x2: x, y2: bottom, stroke: tick.value == 0 ? style.ink : "#e6e6e6", width: tick.value == 0 ? 1 : 0.8)
            }
        }
        for (c, label) in labels.enumerated() {
            let centre = top + rowHeight * (Double(c) + 0.5)
            svg.group("bar-row") { svg in
                svg.text(label, x: plotLeft - 8, y: centre + font * 0.36, anchor: .end,
                         title: label == categories[c] ? nil : categories[c])
                var start = 0.0
                for s in series.indices {
                    let v = value(s, c)
                    guard v > 0 else { continue }
                    let x1 = axis.position(start), x2 = axis.position(start + v)
                    let colour = Self.palette[s % Self.palette.count]
                    svg.rect(x: x1, y: centre - barHeight / 2, width: x2 - x1, height: barHeight, fill: colour,
                             stroke: "#ffffff", strokeWidth: 0.8, cssClass: "bar")
                    let text = PlotNumberFormat.fixed(v, digits: digits)
                    if series.count > 1 && TextMetrics.width(text, size: small) + 6 < x2 - x1 {
                        svg.text(text, x: (x1 + x2) / 2, y: centre + small * 0.36, anchor: .middle, size: small,
                                 fill: Self.isLight(colour) ? style.ink : "#ffffff", cssClass: "bar-value")
                    }
                    start += v
                }
                if showTotals {
                    svg.text(PlotNumberFormat.fixed(totals[c], digits: digits), x: axis.position(totals[c]) + 5,
                             y: centre + font * 0.36, bold: series.count > 1, cssClass: "bar-total")
                }
            }
        }
        svg.group("axis") { svg in
            svg.line(x1: plotLeft, y1: bottom, x2: plotRight, y2: bottom, stroke: style.ink, width: 1)
            for tick in axis.ticks {
                let x = axis.position(tick.value)
                svg.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: style.ink, width: 1, cssClass: "tick")
                svg.text(tick.label, x: x, y: bottom + 6 + small, anchor: .middle, size: small, cssClass: "tick-label")
            }
            if !valueLabel.isEmpty {
                svg.text(valueLabel, x: (plotLeft + plotRight) / 2, y: bottom + 8 + small + font * 1.35, anchor: .middle,
                         cssClass: "axis-label")
            }
        }
        let height = bottom + 8 + small + font * 1.35 + margin
        return svg.document(width: width, height: height, title: title ?? "Bar chart",
                            description: "Bar chart of \(categories.count) categories", style: style)
    }

    /// Whether dark text reads better than white on `colour` (#rrggbb), by relative luminance.
    static func isLight(_ colour: String) -> Bool {
        let hex = Array(colour.utf8.dropFirst())
        guard hex.count == 6 else { return true }
        func component(_ i: Int) -> Double {
            func digit(_ c: UInt8) -> Int { c <= 57 ? Int(c) - 48 : (Int(c) | 32) - 87 }
            return Double(digit(hex[i]) * 16 + digit(hex[i + 1])) / 255
        }
        return 0.299 * component(0) + 0.587 * component(2) + 0.114 * component(4) > 0.6
    }
}
