/// A laid-out axis: its domain in data units, the pixel span it occupies, and its labelled ticks.
struct PlotAxis {
    struct Tick {
        /// Position in data units (log units on a log scale).
        let value: Double
        let label: String
    }

    let scale: PlotScale
    /// Data-unit range drawn; values outside are clipped (and marked with arrows where that matters).
    let lower: Double
    let upper: Double
    /// Pixel positions of `lower` and `upper` (for a vertical axis `start` may exceed `end`).
    let start: Double
    let end: Double
    let ticks: [Tick]

    /// Pixel position of a value in data units (not clamped).
    func position(_ value: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    func contains(_ value: Double) -> Bool {
        value >= lower - 1e-12 * Swift.max(1, Swift.abs(lower)) && value <= upper + 1e-12 * Swift.max(1, Swift.abs(upper))
    }

    func clamped(_ value: Double) -> Double {
        Swift.min(Swift.max(value, lower), upper)
    }

    /// Lays out an axis covering `lower...upper` (data units) between pixel positions `start` and `end`.
    ///
    /// - Parameters:
    ///   - exact: keep `lower...upper` as the domain (user-set limits) instead of extending to nice ticks.
    ///   - labelExtent: the space a label takes along the axis (its width on a horizontal axis,
    ///     its height on a vertical one); candidates whose labels would touch are skipped.
    ///   - integerTicks: only whole-number ticks (for counts).
    static func make(lower: Double, upper: Double, scale: PlotScale, start: Double, end: Double,
                     exact: Bool = false, maxTicks: Int = 9, integerTicks: Bool = false, labelExtent: (String) -> Double) -> PlotAxis {
        var (lower, upper) = (Swift.min(lower, upper), Swift.max(lower, upper))
        if !lower.isFinite || !upper.isFinite { (lower, upper) = (0, 1) }
        // Beyond ±700 log units exp() leaves the doubles; no real ratio gets near.
        if scale == .log { (lower, upper) = (Swift.max(lower, -700), Swift.min(upper, 700)) }
        if !(upper > lower) {
            let pad = scale == .log ? 0.5 : Swift.max(0.5, Swift.abs(lower) * 0.1)
            lower -= pad
            upper += pad
        }
        let displayed: [[Double]]
        switch scale {
        case .identity: displayed = NiceTicks.linear(lower: lower, upper: upper, maxCount: exact ? 24 : 14)
        case .log: displayed = NiceTicks.ratio(lower: scale.displayed(lower), upper: scale.displayed(upper))
        }
        let length = Swift.abs(end - start)
        var fallback: PlotAxis?
        for candidate in displayed where !integerTicks || candidate.allSatisfy({ $0 == $0.rounded() }) {
            var values = candidate.map(scale.dataUnits)
            var labels = candidate.map { PlotNumberFormat.shortest($0) }
            var (domainLower, domainUpper) = (values.first!, values.last!)
            if exact {
                let inside = values.indices.filter { values[$0] >= lower - 1e-9 && values[$0] <= upper + 1e-9 }
                values = inside.map { values[$0] }
                labels = inside.map { labels[$0] }
                (domainLower, domainUpper) = (lower, upper)
                if values.count < 2 { continue }
            }
            let axis = PlotAxis(scale: scale, lower: domainLower, upper: domainUpper, start: start, end: end,
                                ticks: zip(values, labels).map { Tick(value: $0, label: $1) })
            if fallback == nil || values.count >= 2 { fallback = axis }
            guard values.count <= maxTicks else { continue }
            let positions = values.map { Swift.abs(axis.position($0) - start) }
            let extents = labels.map(labelExtent)
            var fits = true
            for i in 1..<Swift.max(1, positions.count) where positions[i] - extents[i] / 2 - (positions[i - 1] + extents[i - 1] / 2) < 6 {
                fits = false
                break
            }
            if fits && positions.last ?? 0 <= length + 1e-6 { return axis }
        }
        // No candidate fits (a tiny plot): keep the two ends.
        let ends = [lower, upper]
        return fallback.map { axis in
            let kept = [axis.ticks.first!, axis.ticks.last!]
            return PlotAxis(scale: scale, lower: axis.lower, upper: axis.upper, start: start, end: end, ticks: kept)
        } ?? PlotAxis(scale: scale, lower: lower, upper: upper, start: start, end: end,
                      ticks: ends.map { Tick(value: $0, label: PlotNumberFormat.shortest(scale.displayed($0), maxDigits: 2)) })
    }
}
