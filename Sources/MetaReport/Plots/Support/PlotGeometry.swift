/// Small geometric helpers shared by the plots.
enum PlotGeometry {
    /// The part of a convex polygon between the vertical lines `x = left` and `x = right`
    /// (Sutherland–Hodgman clipping against two half-planes).
    static func clip(_ polygon: [(Double, Double)], left: Double, right: Double) -> [(Double, Double)] {
        func clipped(_ points: [(Double, Double)], inside: (Double) -> Bool, edge: Double) -> [(Double, Double)] {
            guard !points.isEmpty else { return [] }
            var out: [(Double, Double)] = []
            for i in points.indices {
                let current = points[i], previous = points[(i + points.count - 1) % points.count]
                let currentIn = inside(current.0), previousIn = inside(previous.0)
                if currentIn != previousIn {
                    let t = (edge - previous.0) / (current.0 - previous.0)
                    out.append((edge, previous.1 + t * (current.1 - previous.1)))
                }
                if currentIn { out.append(current) }
            }
            return out
        }
        let leftClipped = clipped(polygon, inside: { $0 >= left }, edge: left)
        return clipped(leftClipped, inside: { $0 <= right }, edge: right)
    }

    /// The pieces of a polyline that lie at or above `y = lower` (in the points' own units): a segment that crosses
    /// the line is cut where it crosses, and a run of points below it is left out, so one polyline may become several.
    static func runs(_ points: [(Double, Double)], above lower: Double) -> [[(Double, Double)]] {
        var runs: [[(Double, Double)]] = [], run: [(Double, Double)] = []
        for (i, p) in points.enumerated() {
            if i > 0 {
                let q = points[i - 1]
                if (q.1 < lower) != (p.1 < lower) {
                    let t = (lower - q.1) / (p.1 - q.1)
                    run.append((q.0 + t * (p.0 - q.0), lower))
                }
            }
            if p.1 >= lower {
                run.append(p)
            } else if !run.isEmpty {
                runs.append(run)
                run = []
            }
        }
        if !run.isEmpty { runs.append(run) }
        return runs
    }

    /// A small filled triangle whose tip is at (`x`, `y`), pointing left (`direction` = −1) or right (+1):
    /// marks an interval that continues beyond the axis.
    static func arrowhead(tipX x: Double, y: Double, direction: Double, size: Double = 6) -> [(Double, Double)] {
        [(x, y), (x - direction * size, y - size * 0.5), (x - direction * size, y + size * 0.5)]
    }
}
