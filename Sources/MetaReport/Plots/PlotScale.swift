#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func logarithm(_ x: Double) -> Double { log(x) }

/// How values map to positions along a plot axis.
///
/// Ratio measures (risk, odds, hazard, incidence rate ratios) are analysed on the log scale; their plots
/// keep the data in log units and label the axis with the back-transformed ratios (`exp`), so that equal
/// ratios in either direction (0.5 and 2) sit equally far from the line of no effect.
public enum PlotScale: String, CaseIterable, Sendable {
    /// Values are plotted and labelled as given.
    case identity
    /// Values are natural logarithms; the axis and text columns show `exp(value)`.
    case log

    /// The value a reader sees for a value in data units.
    func displayed(_ x: Double) -> Double {
        switch self {
        case .identity: return x
        case .log: return exp(x)
        }
    }

    /// The value in data units of a value a reader sees (the inverse of `displayed`).
    func dataUnits(_ x: Double) -> Double {
        switch self {
        case .identity: return x
        case .log: return logarithm(x)
        }
    }

    /// The value of no effect as a reader sees it: 0 for differences, 1 for ratios.
    public var defaultNullValue: Double { self == .log ? 1 : 0 }
}
