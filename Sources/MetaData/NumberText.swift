/// Numbers written into sentences and data: whole numbers as integers ("12", not "12.0"), others as the shortest
/// decimal that reads back as the same double. The one definition; the reports' `NumberFormat` builds on it.
public enum NumberText {
    /// `x` as an integer when it is whole and below `limit` in magnitude (every such double is exact), else nil.
    public static func whole(_ x: Double, below limit: Double = 1e15) -> String? {
        guard x.isFinite, x == x.rounded(), abs(x) < limit else { return nil }
        return String(Int64(x))
    }

    /// `x` as an integer when whole, else its shortest round-trip decimal (`nan`, `inf` for the non-finite).
    public static func plain(_ x: Double) -> String { whole(x) ?? x.description }
}
