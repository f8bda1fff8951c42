/// Options of the Mantel–Haenszel and Peto fits, with metafor's `rma.mh`/`rma.peto` defaults.
public struct MantelHaenszelOptions: Sendable, Equatable {
    /// The effect-size step that gives the per-study `yi`/`vi` for Q (`add = 1/2`, `to = only0`,
    /// `drop00 = true` — the pooled estimate itself never uses corrected counts).
    public var escalc: EscalcOptions
    /// Continuity correction (½) in the Cochran–Mantel–Haenszel test (`correct`).
    public var correct: Bool

    public init(escalc: EscalcOptions = EscalcOptions(drop00: true), correct: Bool = true) {
        self.escalc = escalc
        self.correct = correct
    }

    /// Confidence level in percent.
    public var level: Double { escalc.level }
}
