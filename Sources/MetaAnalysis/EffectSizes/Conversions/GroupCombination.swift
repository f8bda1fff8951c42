import MetaData

/// Combining two arms of a multi-arm trial into one group, so that a shared control is not counted twice
/// (Cochrane Handbook v6.4, §6.5.2.10, Table 6.5.a; §23.3.4):
///
///     N = N₁ + N₂,   M = (N₁M₁ + N₂M₂)/N,
///     SD = √( ((N₁ − 1)SD₁² + (N₂ − 1)SD₂² + N₁N₂/N · (M₁² + M₂² − 2M₁M₂)) / (N − 1) )
///
/// which is exactly the mean and SD of the pooled individual observations. Binary arms combine by adding
/// events and sizes.
public enum GroupCombination {
    /// Combined size, mean and SD of two continuous-outcome groups.
    /// - Throws: `InputError.invalidOption` for sizes < 1, N < 2, negative SDs or non-finite values.
    public static func continuous(n1: Double, mean1: Double, sd1: Double,
                                  n2: Double, mean2: Double, sd2: Double) throws(InputError) -> (n: Double, mean: Double, sd: Double) {
        guard [n1, mean1, sd1, n2, mean2, sd2].allSatisfy(\.isFinite), n1 >= 1, n2 >= 1, sd1 >= 0, sd2 >= 0 else {
            throw .invalidOption(name: "groups", value: "n \(n1), \(n2); SD \(sd1), \(sd2)",
                                 expected: "finite values, sizes ≥ 1 and SDs ≥ 0")
        }
        let n = n1 + n2
        let mean = (n1 * mean1 + n2 * mean2) / n
        let difference = mean1 - mean2
        // (M₁² + M₂² − 2M₁M₂) written as (M₁ − M₂)² to avoid cancellation.
        let ss = (n1 - 1) * sd1 * sd1 + (n2 - 1) * sd2 * sd2 + n1 * n2 / n * difference * difference
        return (n, mean, (ss / (n - 1)).squareRoot())
    }

    /// Combined events and size of two binary-outcome groups.
    public static func binary(events1: Double, n1: Double, events2: Double, n2: Double) throws(InputError) -> (events: Double, n: Double) {
        guard events1 >= 0, events2 >= 0, events1 <= n1, events2 <= n2, n1.isFinite, n2.isFinite else {
            throw .invalidOption(name: "groups", value: "\(events1)/\(n1), \(events2)/\(n2)", expected: "0 ≤ events ≤ n in each group")
        }
        return (events1 + events2, n1 + n2)
    }
}
