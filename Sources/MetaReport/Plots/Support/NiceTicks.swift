#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Candidate tick sets for an axis, densest first ("nice numbers": Heckbert 1990, Graphics Gems I).
///
/// Each candidate covers the requested range and ends on ticks, so the axis line runs from the
/// first to the last tick. The axis keeps the densest candidate whose labels do not collide.
enum NiceTicks {
    /// Linear ticks at multiples of 1, 2, 2.5 or 5 × 10^e.
    static func linear(lower: Double, upper: Double, maxCount: Int = 12) -> [[Double]] {
        var (lower, upper) = (lower, upper)
        if !(upper > lower) {
            let pad = Swift.max(1, Swift.abs(lower) * 0.1)
            lower -= pad
            upper += pad
        }
        let span = upper - lower
        let top = Int((log10(span)).rounded(.down)) + 1
        var candidates: [[Double]] = []
        for exponent in (top - 3)...top {
            for (mantissa, shift) in [(1, 0), (2, 0), (25, -1), (5, 0)] {
                let e = exponent + shift
                let step = Double(mantissa) * pow(10, Double(e))
                let first = (lower / step + 1e-9).rounded(.down)
                let last = (upper / step - 1e-9).rounded(.up)
                guard last - first + 1 <= Double(maxCount), last - first >= 1 else { continue }
                candidates.append(stride(from: first, through: last, by: 1).map { k in
                    value(multiple: Int(k) * mantissa, exponent: e)
                })
            }
        }
        return candidates
    }

    /// Ticks for ratios (`lower`, `upper` > 0) placed on a log axis: the symmetric series
    /// … 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20, 40 … and every 2nd, 3rd (decades), 6th … member
    /// of it (every 2nd gives 0.05, 0.25, 1, 4, 20). Narrow ranges also get linear ticks (0.8, 0.9, 1, 1.1).
    static func ratio(lower: Double, upper: Double) -> [[Double]] {
        precondition(lower > 0 && upper > 0, "ratio ticks need positive bounds")
        var candidates: [[Double]] = []
        if upper / lower < 6 {
            candidates += linear(lower: lower, upper: upper, maxCount: 9).filter { $0.count >= 3 && $0[0] > 0 }
        }
        let low = lattice(below: lower), high = lattice(above: upper)
        for every in [1, 2, 3, 6, 9, 12, 15, 18, 24, 30] {
            let first = Int((Double(low) / Double(every)).rounded(.down)) * every
            let last = Int((Double(high) / Double(every)).rounded(.up)) * every
            if last - first >= every {
                candidates.append(stride(from: first, through: last, by: every).map(latticeValue))
            }
        }
        return candidates
    }

    /// Member i of the series 1, 2, 4, 10, 20, 40, … (i ≥ 0) and its reciprocals (i < 0).
    static func latticeValue(_ i: Int) -> Double {
        let magnitude = Swift.abs(i)
        let mantissa = [1.0, 2, 4][magnitude % 3] * pow(10, Double(magnitude / 3))
        return i >= 0 ? mantissa : 1 / mantissa
    }

    private static func lattice(below x: Double) -> Int {
        var i = Int((log10(x) * 3).rounded(.down)) + 2
        while latticeValue(i) > x * (1 + 1e-12) { i -= 1 }
        return i
    }

    private static func lattice(above x: Double) -> Int {
        var i = Int((log10(x) * 3).rounded(.up)) - 2
        while latticeValue(i) < x * (1 - 1e-12) { i += 1 }
        return i
    }

    /// `multiple` × 10^exponent, computed so decimal values (0.3, 0.05) are the nearest doubles.
    private static func value(multiple: Int, exponent: Int) -> Double {
        exponent >= 0 ? Double(multiple) * pow(10, Double(exponent)) : Double(multiple) / pow(10, Double(-exponent))
    }
}
