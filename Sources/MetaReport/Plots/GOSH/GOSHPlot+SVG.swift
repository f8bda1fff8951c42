#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GOSHPlot {
    /// Sequential shades for the density cells, light to dark (ColorBrewer "Blues").
    static let shades = ["#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]

    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        var xMin = Double.infinity, xMax = -Double.infinity, yMin = Double.infinity, yMax = -Double.infinity
        var count = 0
        for i in estimates.indices where estimates[i].isFinite && iSquared[i].isFinite {
            xMin = Swift.min(xMin, estimates[i]); xMax = Swift.max(xMax, estimates[i])
            yMin = Swift.min(yMin, iSquared[i]); yMax = Swift.max(yMax, iSquared[i])
            count += 1
        }
        if count == 0 { (xMin, xMax, yMin, yMax) = (0, 1, 0, 100) }
        let style = self.style
        let small = style.smallFontSize
        let marginal = showMarginals ? 54.0 : 0
        // The estimate axis hugs the data (4 % padding, ticks inside): subsets rarely reach nice bounds.
        let pad = Swift.max((xMax - xMin) * 0.04, 1e-9)
        let frame = CartesianFrame(x: (xMin - pad, xMax + pad), xScale: scale, exactX: true, y: (Swift.max(0, yMin), Swift.min(100, Swift.max(yMax, yMin + 1))),
                                   width: plotWidth, height: plotHeight, title: title, extraTop: marginal, style: style)

        // Cell counts over the whole plotting rectangle (also feeding the marginal histograms).
        let nx = columns, ny = rows
        var cells = [Int](repeating: 0, count: nx * ny)
        let xSpan = frame.x.upper - frame.x.lower, ySpan = frame.y.upper - frame.y.lower
        for i in estimates.indices where estimates[i].isFinite && iSquared[i].isFinite {
            let cx = Swift.min(nx - 1, Swift.max(0, Int((estimates[i] - frame.x.lower) / xSpan * Double(nx))))
            let cy = Swift.min(ny - 1, Swift.max(0, Int((iSquared[i] - frame.y.lower) / ySpan * Double(ny))))
            cells[cy * nx + cx] += 1
        }
        let maxCell = cells.max() ?? 0
        let cellWidth = frame.width / Double(nx), cellHeight = frame.height / Double(ny)
        let binned = count > pointLimit
        // Shade k holds the counts up to upperCounts[k]: equal steps of log(1 + count), so sparse
        // outskirts and the dense core both stay visible.
        let logMax = log(1 + Double(Swift.max(1, maxCell)))
        let upperCounts = Self.shades.indices.map { k in
            k == Self.shades.count - 1 ? maxCell
                : Int((exp(logMax * Double(k + 1) / Double(Self.shades.count)) - 1 + 1e-9).rounded(.down))
        }
        func shade(_ c: Int) -> Int { upperCounts.firstIndex { c <= $0 } ?? Self.shades.count - 1 }

        var svg = SVGWriter()
        frame.drawTitle(&svg, title)
        if binned {
            svg.group("density") { svg in
                for row in 0..<ny {
                    var column = 0
                    while column < nx {
                        let c = cells[row * nx + column]
                        guard c > 0 else { column += 1; continue }
                        let level = shade(c)
                        var end = column + 1
                        while end < nx, cells[row * nx + end] > 0, shade(cells[row * nx + end]) == level { end += 1 }
                        // Cells overlap by a hair so anti-aliasing leaves no seams between them.
                        svg.rect(x: frame.left + Double(column) * cellWidth, y: frame.bottom - Double(row + 1) * cellHeight - 0.3,
                                 width: Double(end - column) * cellWidth + 0.3, height: cellHeight + 0.3,
                                 fill: Self.shades[level], cssClass: "cell")
                        column = end
                    }
                }
            }
        } else {
            svg.group("points") { svg in
                for i in estimates.indices where estimates[i].isFinite && iSquared[i].isFinite {
                    svg.circle(cx: frame.x.position(estimates[i]), cy: frame.y.position(iSquared[i]), r: 2,
                               fill: style.marker, opacity: 0.35, cssClass: "subset-point")
                }
            }
        }

        if showMarginals && count > 0 {
            var columnTotals = [Int](repeating: 0, count: nx), rowTotals = [Int](repeating: 0, count: ny)
            for row in 0..<ny { for column in 0..<nx { columnTotals[column] += cells[row * nx + column]; rowTotals[row] += cells[row * nx + column] } }
            let topMax = Double(columnTotals.max() ?? 1), sideMax = Double(rowTotals.max() ?? 1)
            svg.group("marginal marginal-estimate") { svg in
                for (column, total) in columnTotals.enumerated() where total > 0 {
                    let h = (marginal - 8) * Double(total) / topMax
                    svg.rect(x: frame.left + Double(column) * cellWidth, y: frame.top - 4 - h, width: cellWidth, height: h, fill: "#a6a6a6")
                }
            }
            svg.group("marginal marginal-i2") { svg in
                for (row, total) in rowTotals.enumerated() where total > 0 {
                    let w = (marginal - 8) * Double(total) / sideMax
                    svg.rect(x: frame.right + 4, y: frame.bottom - Double(row + 1) * cellHeight, width: w, height: cellHeight, fill: "#a6a6a6")
                }
            }
        }
        frame.drawAxes(&svg, xLabel: estimateLabel, yLabel: iSquaredLabel)

        // Legend: subsets per cell for each shade that occurs.
        let legendX = frame.right + marginal + 16
        var legendWidth = TextMetrics.width(PlotNumberFormat.grouped(count) + " subsets", size: small)
        svg.group("legend") { svg in
            var ly = frame.top + small
            svg.text(PlotNumberFormat.grouped(count) + " subsets", x: legendX, y: ly, size: small)
            if binned {
                ly += small * 1.6
                svg.text("Subsets per cell", x: legendX, y: ly, size: small)
                legendWidth = Swift.max(legendWidth, TextMetrics.width("Subsets per cell", size: small))
                var lower = 1
                for (level, upper) in upperCounts.enumerated() {
                    guard upper >= lower else { continue }
                    ly += 16
                    svg.rect(x: legendX, y: ly - 10, width: 14, height: 12, fill: Self.shades[level], cssClass: "legend-key")
                    let text = lower == upper ? "\(lower)" : "\(lower)–\(upper)"
                    svg.text(text, x: legendX + 20, y: ly, size: small)
                    legendWidth = Swift.max(legendWidth, 20 + TextMetrics.width(text, size: small))
                    lower = upper + 1
                }
            }
        }
        let width = legendX + legendWidth + frame.margin
        let height = frame.bottom + frame.heightBelow
        return svg.document(width: width, height: height, title: title ?? "GOSH plot",
                            description: "GOSH plot of \(count) subsets", style: style)
    }
}
