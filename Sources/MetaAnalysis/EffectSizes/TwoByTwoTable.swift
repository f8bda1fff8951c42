/// One study's 2×2 table: `a`, `b` events and non-events in group 1, `c`, `d` in group 2.
///
/// The stratified methods (Mantel–Haenszel, Peto, the conditional GLMM) work on the raw counts, never on
/// continuity-corrected ones.
public struct TwoByTwoTable: Sendable, Equatable {
    public var a: Double
    public var b: Double
    public var c: Double
    public var d: Double

    public init(a: Double, b: Double, c: Double, d: Double) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    /// Group sizes n₁ = a + b, n₂ = c + d and the total N.
    public var n1: Double { a + b }
    public var n2: Double { c + d }
    public var total: Double { a + b + c + d }
    /// Margins: all events m₁ = a + c and all non-events m₀ = b + d.
    public var events: Double { a + c }
    public var nonEvents: Double { b + d }

    /// Hypergeometric mean and variance of `a` given all margins (the null of no association):
    /// E = n₁m₁/N, V = n₁n₂m₁m₀ / (N²(N − 1)) (Mantel & Haenszel 1959).
    var nullExpectation: Double { n1 * events / total }
    var nullVariance: Double {
        let n = total
        return n > 1 ? n1 * n2 * events * nonEvents / (n * n * (n - 1)) : 0
    }
}

/// One study's events and person-time in two groups.
public struct PersonTimeTable: Sendable, Equatable {
    public var x1: Double
    public var t1: Double
    public var x2: Double
    public var t2: Double

    public init(x1: Double, t1: Double, x2: Double, t2: Double) {
        self.x1 = x1
        self.t1 = t1
        self.x2 = x2
        self.t2 = t2
    }

    /// Total person-time T = t₁ + t₂ and all events.
    public var totalTime: Double { t1 + t2 }
    public var events: Double { x1 + x2 }
}
