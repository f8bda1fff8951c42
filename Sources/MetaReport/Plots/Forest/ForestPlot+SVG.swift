extension ForestPlot {
    /// The plot as a standalone SVG 1.1 document (same input, same bytes).
    public func svg() -> String {
        ForestPlotRenderer(plot: self).render()
    }
}

/// Lays out and draws a `ForestPlot`. Rows are stacked top to bottom; columns left of the plotting
/// region hold labels and extra values, columns right of it the weight and the estimate [CI].
private struct ForestPlotRenderer {
    enum Line {
        case study(ForestPlot.Row)
        case subgroupTitle(String)
        case summary(ForestPlot.Summary, overall: Bool)
        case prediction(ForestPlot.Summary)
        case note(String)
        case gap
    }

    let plot: ForestPlot
    let style: PlotStyle
    let font: Double
    let small: Double
    let rowHeight: Double
    let margin = 14.0
    let columnGap = 16.0
    let lines: [Line]
    /// The line of no effect in data units.
    let null: Double

    init(plot: ForestPlot) {
        self.plot = plot
        null = plot.scale.dataUnits(plot.nullValue ?? plot.scale.defaultNullValue)
        style = plot.style
        font = plot.style.fontSize
        small = plot.style.smallFontSize
        rowHeight = (plot.style.fontSize * 1.7).rounded()
        var lines: [Line] = plot.rows.map { .study($0) }
        for (index, subgroup) in plot.subgroups.enumerated() {
            if index > 0 || !plot.rows.isEmpty { lines.append(.gap) }
            lines.append(.subgroupTitle(subgroup.title))
            lines += subgroup.rows.map { .study($0) }
            if let summary = subgroup.summary { lines += Self.summaryLines(summary, overall: false) }
            if let note = subgroup.note, !note.isEmpty { lines.append(.note(note)) }
        }
        if let overall = plot.overall {
            if !lines.isEmpty { lines.append(.gap) }
            lines += Self.summaryLines(overall, overall: true)
        }
        self.lines = lines
    }

    static func summaryLines(_ summary: ForestPlot.Summary, overall: Bool) -> [Line] {
        var lines: [Line] = [.summary(summary, overall: overall)]
        if summary.predictionLower != nil, summary.predictionUpper != nil { lines.append(.prediction(summary)) }
        if let text = summary.heterogeneity, !text.isEmpty { lines.append(.note(text)) }
        if let text = summary.overallTest, !text.isEmpty { lines.append(.note(text)) }
        return lines
    }

    func height(of line: Line) -> Double {
        switch line {
        case .gap: return (rowHeight * 0.5).rounded()
        case .note: return (rowHeight * 0.9).rounded()
        case let .study(row): return rowHeight + Double(labelLines(row.label).count - 1) * lineStep
        case let .subgroupTitle(title): return rowHeight + Double(labelLines(title, bold: true).count - 1) * lineStep
        case let .summary(summary, _): return rowHeight + Double(labelLines(summary.label, bold: true).count - 1) * lineStep
        case .prediction: return rowHeight
        }
    }

    /// Distance between the baselines of a wrapped label's lines.
    var lineStep: Double { (font * 1.2).rounded() }

    // MARK: Text of the estimate column

    struct IntervalText {
        var estimate: String
        var lower: String
        var upper: String
    }

    func intervalText(estimate: Double?, lower: Double, upper: Double) -> IntervalText? {
        guard lower.isFinite, upper.isFinite, estimate?.isFinite ?? true else { return nil }
        let shown = { PlotNumberFormat.fixed(plot.scale.displayed($0), digits: plot.digits) }
        return IntervalText(estimate: estimate.map(shown) ?? "", lower: "[" + shown(lower) + ",", upper: shown(upper) + "]")
    }

    // MARK: Axis range

    /// The data range the axis must show: every estimate, pooled CI and the null value, plus intervals
    /// clipped to one core span beyond the core, so one very wide interval cannot squash the rest.
    func dataRange() -> (Double, Double) {
        if let limits = plot.axisLimits {
            return (plot.scale.dataUnits(limits.lowerBound), plot.scale.dataUnits(limits.upperBound))
        }
        var core: [Double] = [null]
        var intervals: [Double] = []
        for line in lines {
            switch line {
            case let .study(row):
                if row.estimate.isFinite { core.append(row.estimate) }
                intervals += [row.lower, row.upper]
                if let s = row.secondary {
                    if s.estimate.isFinite { core.append(s.estimate) }
                    intervals += [s.lower, s.upper]
                }
            case let .summary(summary, _):
                core += [summary.estimate, summary.lower, summary.upper]
                intervals += [summary.predictionLower, summary.predictionUpper].compactMap { $0 }
            default: break
            }
        }
        core = core.filter(\.isFinite)
        if core.isEmpty { core = [plot.scale == .log ? -1 : 0, 1] }
        var low = core.min()!, high = core.max()!
        let span = high > low ? high - low : (plot.scale == .log ? 1.4 : 1)
        let allowed = (low - span)...(high + span)
        for value in intervals where value.isFinite {
            let v = Swift.min(Swift.max(value, allowed.lowerBound), allowed.upperBound)
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        // The line of no effect lies inside the axis, never on its end, so both "favours" labels sit under
        // a stretch of axis of their own (an axis starting at RR = 1 leaves one hanging under empty space).
        if null.isFinite {
            let room = 0.15 * Swift.max(high - low, plot.scale == .log ? 0.7 : 0.5)
            low = Swift.min(low, null - room)
            high = Swift.max(high, null + room)
        }
        return (low, high)
    }

    // MARK: Rendering

    func render() -> String {
        let labelHeaderWidth = TextMetrics.width(plot.labelHeader, size: font, bold: true)

        // Label column.
        var labelWidth = labelHeaderWidth
        for line in lines {
            switch line {
            case let .study(row):
                for text in labelLines(row.label) { labelWidth = Swift.max(labelWidth, TextMetrics.width(text, size: font)) }
            case let .subgroupTitle(title):
                for text in labelLines(title, bold: true) { labelWidth = Swift.max(labelWidth, TextMetrics.width(text, size: font, bold: true)) }
            case let .summary(summary, _):
                for text in labelLines(summary.label, bold: true) { labelWidth = Swift.max(labelWidth, TextMetrics.width(text, size: font, bold: true)) }
            case .prediction: labelWidth = Swift.max(labelWidth, TextMetrics.width(plot.predictionLabel, size: font))
            default: break
            }
        }

        // Extra columns.
        var columnWidths = plot.columns.map { TextMetrics.width($0.header, size: font, bold: true) }
        for line in lines {
            let (values, bold): ([String], Bool)
            switch line {
            case let .study(row): (values, bold) = (row.values, false)
            case let .summary(summary, _): (values, bold) = (summary.values, true)
            default: continue
            }
            for (i, value) in values.prefix(columnWidths.count).enumerated() {
                columnWidths[i] = Swift.max(columnWidths[i], TextMetrics.width(value, size: font, bold: bold))
            }
        }

        for group in columnGroups() {
            let span = group.columns.map { columnWidths[$0] }.reduce(0, +) + Double(group.columns.count - 1) * columnGap
            let needed = TextMetrics.width(group.title, size: font, bold: true)
            if needed > span { columnWidths[group.columns.upperBound] += needed - span }
        }

        // Estimate column: estimate, "[lower," and "upper]" each right-aligned, so brackets line up.
        var estimateWidth = 0.0, lowerWidth = 0.0, upperWidth = 0.0
        var missingWidth = 0.0
        var hasWeights = false
        for line in lines {
            let text: IntervalText?, bold: Bool
            switch line {
            case let .study(row):
                text = intervalText(estimate: row.estimate, lower: row.lower, upper: row.upper)
                bold = false
                hasWeights = hasWeights || row.weightPercent != nil
            case let .summary(summary, _):
                text = intervalText(estimate: summary.estimate, lower: summary.lower, upper: summary.upper)
                bold = true
                hasWeights = hasWeights || summary.weightPercent != nil
            case let .prediction(summary):
                text = intervalText(estimate: nil, lower: summary.predictionLower!, upper: summary.predictionUpper!)
                bold = false
            default: continue
            }
            guard let text else {
                missingWidth = TextMetrics.width("not estimable", size: font)
                continue
            }
            estimateWidth = Swift.max(estimateWidth, TextMetrics.width(text.estimate, size: font, bold: bold))
            lowerWidth = Swift.max(lowerWidth, TextMetrics.width(text.lower, size: font, bold: bold))
            upperWidth = Swift.max(upperWidth, TextMetrics.width(text.upper, size: font, bold: bold))
        }
        let partGap = font * 0.45
        let intervalWidth = estimateWidth + partGap + lowerWidth + partGap + upperWidth
        let estimateColumnWidth = Swift.max(intervalWidth, missingWidth, TextMetrics.width(plot.estimateHeader, size: font, bold: true))
        let weightWidth = hasWeights
            ? Swift.max(TextMetrics.width(plot.weightHeader, size: font, bold: true), TextMetrics.width("100.0%", size: font, bold: true))
            : 0

        // Horizontal positions.
        let labelX = margin
        var x = labelX + labelWidth + columnGap
        var columnX: [Double] = []
        for (i, column) in plot.columns.enumerated() {
            columnX.append(column.alignment == .right ? x + columnWidths[i] : x)
            x += columnWidths[i] + columnGap
        }
        let plotLeft = x + 4
        let plotRight = plotLeft + plot.plotWidth
        x = plotRight + columnGap + 4
        let weightRight = x + weightWidth
        if hasWeights { x = weightRight + columnGap }
        let estimateRight = x + estimateColumnWidth
        let upperRight = estimateRight
        let lowerRight = upperRight - upperWidth - partGap
        let estimateRightEdge = lowerRight - lowerWidth - partGap
        var width = estimateRight + margin

        // Axis.
        let (low, high) = dataRange()
        let axis = PlotAxis.make(lower: low, upper: high, scale: plot.scale, start: plotLeft, end: plotRight,
                                 exact: plot.axisLimits != nil, maxTicks: 9,
                                 labelExtent: { TextMetrics.width($0, size: small) })

        var svg = SVGWriter()
        var y = margin

        // Long titles and footnotes wrap at the width of the columns rather than widening the figure (which a page
        // would then shrink as a whole).
        let textWidth = Swift.max(width - 2 * margin, 480)
        if let title = plot.title, !title.isEmpty {
            let lines = TextMetrics.wrapped(title, size: style.titleFontSize, maxWidth: textWidth, maxLines: 3, bold: true)
            for (i, line) in lines.enumerated() {
                svg.text(line, x: labelX, y: y + style.titleFontSize * (1 + 1.25 * Double(i)), size: style.titleFontSize, bold: true,
                         cssClass: "title", title: lines.joined(separator: " ") == title ? nil : title)
            }
            y += style.titleFontSize * (1.6 + 1.25 * Double(lines.count - 1)) + 4
        }

        // Column headers (under the headers of column groups, each over its columns with a rule) and the rule under them.
        let groups = columnGroups()
        if !groups.isEmpty {
            svg.group("column-group-headers") { svg in
                for group in groups {
                    let first = group.columns.lowerBound, last = group.columns.upperBound
                    let left = columnX[first] - (plot.columns[first].alignment == .right ? columnWidths[first] : 0)
                    let right = columnX[last] + (plot.columns[last].alignment == .right ? 0 : columnWidths[last])
                    svg.text(group.title, x: (left + right) / 2, y: y + font, anchor: .middle, bold: true)
                    svg.line(x1: left, y1: y + font + 4, x2: right, y2: y + font + 4, stroke: style.ink, width: 0.6,
                             cssClass: "column-group-rule")
                }
            }
            y += font + 8
        }
        svg.group("column-headers") { svg in
            let baseline = y + font
            svg.text(plot.labelHeader, x: labelX, y: baseline, bold: true)
            for (i, column) in plot.columns.enumerated() {
                svg.text(column.header, x: columnX[i], y: baseline, anchor: column.alignment == .right ? .end : .start, bold: true)
            }
            if hasWeights { svg.text(plot.weightHeader, x: weightRight, y: baseline, anchor: .end, bold: true) }
            svg.text(plot.estimateHeader, x: estimateRight, y: baseline, anchor: .end, bold: true)
        }
        y += font + 6
        let ruleY = y
        y += 4

        // Rows.
        let maxWeight = lines.compactMap { line -> Double? in
            if case let .study(row) = line { return row.weightPercent } else { return nil }
        }.filter(\.isFinite).max() ?? 0
        let nullX = null.isFinite && axis.contains(null) ? axis.position(null) : nil
        var nullBreaks: [(Double, Double)] = []

        /// A confidence interval as a line, or a prediction interval as a bar of `barHeight`; ends beyond
        /// the axis become arrowheads at the plot's edge.
        func drawInterval(_ svg: inout SVGWriter, lower: Double, upper: Double, centre: Double, colour: String,
                          barHeight: Double? = nil, cssClass: String) {
            let (lo, hi) = (Swift.min(lower, upper), Swift.max(lower, upper))
            var x1 = axis.position(axis.clamped(lo)), x2 = axis.position(axis.clamped(hi))
            if lo < axis.lower {
                x1 += 5
                svg.polygon(PlotGeometry.arrowhead(tipX: plotLeft, y: centre, direction: -1), fill: colour, cssClass: "arrow")
            }
            if hi > axis.upper {
                x2 -= 5
                svg.polygon(PlotGeometry.arrowhead(tipX: plotRight, y: centre, direction: 1), fill: colour, cssClass: "arrow")
            }
            guard x2 > x1 else { return }
            if let barHeight {
                svg.rect(x: x1, y: centre - barHeight / 2, width: x2 - x1, height: barHeight, fill: colour, cssClass: cssClass)
            } else {
                svg.line(x1: x1, y1: centre, x2: x2, y2: centre, stroke: colour, width: 1.1, cssClass: cssClass)
            }
        }

        func drawIntervalText(_ svg: inout SVGWriter, _ text: IntervalText?, baseline: Double, bold: Bool) {
            guard let text else {
                svg.text("not estimable", x: upperRight, y: baseline, anchor: .end, italic: true, fill: style.muted)
                return
            }
            if !text.estimate.isEmpty { svg.text(text.estimate, x: estimateRightEdge, y: baseline, anchor: .end, bold: bold) }
            svg.text(text.lower, x: lowerRight, y: baseline, anchor: .end, bold: bold)
            svg.text(text.upper, x: upperRight, y: baseline, anchor: .end, bold: bold)
        }

        func drawValues(_ svg: inout SVGWriter, _ values: [String], baseline: Double, bold: Bool) {
            for (i, value) in values.prefix(plot.columns.count).enumerated() where !value.isEmpty {
                svg.text(value, x: columnX[i], y: baseline, anchor: plot.columns[i].alignment == .right ? .end : .start, bold: bold)
            }
        }

        /// The label's lines centred on the row; the full text becomes a tooltip when something was cut.
        func drawLabel(_ svg: inout SVGWriter, _ label: String, baseline: Double, bold: Bool) {
            let lines = labelLines(label, bold: bold)
            let complete = lines.joined(separator: " ") == label.split(separator: " ").joined(separator: " ")
            let first = baseline - Double(lines.count - 1) * lineStep / 2
            for (i, text) in lines.enumerated() {
                svg.text(text, x: labelX, y: first + Double(i) * lineStep, bold: bold, cssClass: "label",
                         title: complete ? nil : label)
            }
        }

        for line in lines {
            let h = height(of: line)
            let centre = y + h / 2
            let baseline = centre + font * 0.36
            switch line {
            case let .study(row):
                svg.group("study-row") { svg in
                    drawLabel(&svg, row.label, baseline: baseline, bold: false)
                    drawValues(&svg, row.values, baseline: baseline, bold: false)
                    let text = intervalText(estimate: row.estimate, lower: row.lower, upper: row.upper)
                    if let s = row.secondary, s.estimate.isFinite, s.lower.isFinite, s.upper.isFinite {
                        let below = centre + rowHeight * 0.3
                        drawInterval(&svg, lower: s.lower, upper: s.upper, centre: below, colour: style.muted, cssClass: "secondary-ci")
                        if axis.contains(s.estimate) {
                            svg.circle(cx: axis.position(s.estimate), cy: below, r: 2.5, fill: style.muted, cssClass: "secondary-estimate")
                        }
                    }
                    if text != nil {
                        drawInterval(&svg, lower: row.lower, upper: row.upper, centre: centre, colour: style.ink, cssClass: "ci")
                        if axis.contains(row.estimate) {
                            let ex = axis.position(row.estimate)
                            if let weight = row.weightPercent, weight.isFinite, maxWeight > 0 {
                                if weight > 0 {
                                    let side = Swift.max(4, rowHeight * 0.72 * (weight / maxWeight).squareRoot())
                                    svg.rect(x: ex - side / 2, y: centre - side / 2, width: side, height: side,
                                             fill: style.marker, cssClass: "weight-square")
                                } else {
                                    svg.rect(x: ex - 2.5, y: centre - 2.5, width: 5, height: 5, fill: "#ffffff",
                                             stroke: style.marker, strokeWidth: 1, cssClass: "weight-square")
                                }
                            } else {
                                let side = rowHeight * 0.4
                                svg.rect(x: ex - side / 2, y: centre - side / 2, width: side, height: side,
                                         fill: style.marker, cssClass: "weight-square")
                            }
                        }
                    }
                    if let weight = row.weightPercent, weight.isFinite {
                        svg.text(PlotNumberFormat.percent(weight), x: weightRight, y: baseline, anchor: .end)
                    }
                    drawIntervalText(&svg, text, baseline: baseline, bold: false)
                }
            case let .subgroupTitle(title):
                drawLabel(&svg, title, baseline: baseline, bold: true)
            case let .summary(summary, overall):
                svg.group(overall ? "summary-row overall" : "summary-row subgroup") { svg in
                    drawLabel(&svg, summary.label, baseline: baseline, bold: true)
                    drawValues(&svg, summary.values, baseline: baseline, bold: true)
                    let text = intervalText(estimate: summary.estimate, lower: summary.lower, upper: summary.upper)
                    if text != nil {
                        let half = rowHeight * 0.32
                        let diamond = [
                            (axis.position(summary.lower), centre), (axis.position(summary.estimate), centre - half),
                            (axis.position(summary.upper), centre), (axis.position(summary.estimate), centre + half),
                        ]
                        let clipped = PlotGeometry.clip(diamond, left: plotLeft, right: plotRight)
                        if clipped.count >= 3 {
                            svg.polygon(clipped, fill: overall ? style.summary : "#ffffff", stroke: style.summary,
                                        strokeWidth: 1, cssClass: overall ? "pooled-diamond" : "subgroup-diamond")
                        }
                    }
                    if let weight = summary.weightPercent, weight.isFinite {
                        svg.text(PlotNumberFormat.percent(weight), x: weightRight, y: baseline, anchor: .end, bold: true)
                    }
                    drawIntervalText(&svg, text, baseline: baseline, bold: true)
                }
            case let .prediction(summary):
                svg.group("prediction-row") { svg in
                    svg.text(plot.predictionLabel, x: labelX, y: baseline)
                    let lower = summary.predictionLower!, upper = summary.predictionUpper!
                    let text = intervalText(estimate: nil, lower: lower, upper: upper)
                    if text != nil {
                        drawInterval(&svg, lower: lower, upper: upper, centre: centre, colour: style.prediction,
                                     barHeight: (rowHeight * 0.2).rounded(), cssClass: "prediction-interval")
                    }
                    drawIntervalText(&svg, text, baseline: baseline, bold: false)
                }
            case let .note(text):
                svg.text(text, x: labelX, y: baseline, size: small, fill: style.ink, cssClass: "note")
                if let nullX, labelX + TextMetrics.width(text, size: small) > nullX - 4 { nullBreaks.append((y, y + h)) }
            case .gap:
                break
            }
            y += h
        }
        let rowsBottom = y

        // Line of no effect, interrupted where a note runs across it; drawn under nothing else important.
        var nullSegments: [(Double, Double)] = []
        if nullX != nil {
            var top = ruleY
            for (breakTop, breakBottom) in nullBreaks {
                if breakTop > top { nullSegments.append((top, breakTop)) }
                top = breakBottom
            }
            nullSegments.append((top, rowsBottom + 4))
        }

        // Axis.
        let axisY = rowsBottom + 4
        var belowAxis = axisY + 4 + small + 3
        var axisBody = SVGWriter()
        axisBody.group("axis") { svg in
            svg.line(x1: plotLeft, y1: axisY, x2: plotRight, y2: axisY, stroke: style.ink, width: 1)
            for tick in axis.ticks {
                let tx = axis.position(tick.value)
                svg.line(x1: tx, y1: axisY, x2: tx, y2: axisY + 4, stroke: style.ink, width: 1, cssClass: "tick")
                svg.text(tick.label, x: tx, y: belowAxis, anchor: .middle, size: small, cssClass: "tick-label")
            }
            if plot.favoursLeft != nil || plot.favoursRight != nil {
                belowAxis += small * 1.45
                let centre = nullX ?? (plotLeft + plotRight) / 2
                // Kept on the canvas when the line of no effect sits near an edge.
                if let text = plot.favoursLeft {
                    let x = Swift.max(centre - 6, margin + TextMetrics.width(text, size: small))
                    svg.text(text, x: x, y: belowAxis, anchor: .end, size: small, cssClass: "favours")
                }
                if let text = plot.favoursRight {
                    let x = centre + 6
                    svg.text(text, x: x, y: belowAxis, size: small, cssClass: "favours")
                    width = Swift.max(width, x + TextMetrics.width(text, size: small) + margin)
                }
            }
            if !plot.axisLabel.isEmpty {
                belowAxis += font * 1.45
                svg.text(plot.axisLabel, x: (plotLeft + plotRight) / 2, y: belowAxis, anchor: .middle, cssClass: "axis-label")
            }
        }

        // Notes under the plot.
        var footY = belowAxis + 6
        var footBody = SVGWriter()
        let footLines = ((plot.subgroupTest.map { [$0] } ?? []) + plot.footnotes).flatMap {
            TextMetrics.wrapped($0, size: small, maxWidth: textWidth, maxLines: 8)
        }
        if !footLines.isEmpty {
            footBody.group("footnotes") { svg in
                for text in footLines {
                    footY += small * 1.45
                    svg.text(text, x: labelX, y: footY, size: small, cssClass: "footnote")
                    width = Swift.max(width, labelX + TextMetrics.width(text, size: small) + margin)
                }
            }
        }
        for line in lines {
            if case let .note(text) = line { width = Swift.max(width, labelX + TextMetrics.width(text, size: small) + margin) }
        }

        // Assemble: rule and null line first so markers draw over them.
        var document = SVGWriter()
        document.line(x1: margin, y1: ruleY, x2: estimateRight, y2: ruleY, stroke: style.ink, width: 0.8, cssClass: "header-rule")
        if let nullX {
            document.group("null-line") { svg in
                for (top, bottom) in nullSegments {
                    svg.line(x1: nullX, y1: top, x2: nullX, y2: bottom, stroke: style.muted, width: 0.8)
                }
            }
        }
        let height = footY + margin
        let description = "Forest plot with \(lines.filter { if case .study = $0 { true } else { false } }.count) studies"
        document.append(svg)
        document.append(axisBody)
        document.append(footBody)
        return document.document(width: width, height: height, title: plot.title ?? "Forest plot", description: description, style: style)
    }

    /// Runs of neighbouring columns that share a group header.
    func columnGroups() -> [(title: String, columns: ClosedRange<Int>)] {
        var groups: [(title: String, columns: ClosedRange<Int>)] = []
        for (i, column) in plot.columns.enumerated() {
            guard let title = column.group, !title.isEmpty else { continue }
            if let last = groups.last, last.title == title, last.columns.upperBound == i - 1 {
                groups[groups.count - 1].columns = last.columns.lowerBound...i
            } else {
                groups.append((title, i...i))
            }
        }
        return groups
    }

    func labelLines(_ label: String, bold: Bool = false) -> [String] {
        TextMetrics.wrapped(label, size: font, maxWidth: plot.maxLabelWidth, maxLines: plot.maxLabelLines, bold: bold)
    }
}
