import MetaData

/// GEN: effect sizes given directly, `yi` with `vi`, or `yi` with `sei` (`vi = sei²`). `vi` is preferred
/// when both columns exist.
enum PrecomputedCalculator {
    static func compute(_ input: EscalcInput) throws(InputError) -> CalculatedEffects {
        let y = try input.column(.yi)
        let v = try input.either(.vi, or: .sei)
        try input.requireNonNegative(v, v.argument == .vi ? "a sampling variance ≥ 0" : "a standard error ≥ 0")
        var out = CalculatedEffects(count: input.rowCount)
        out.yi = y.values
        out.vi = v.argument == .vi ? v.values : v.values.map { $0 * $0 }
        return out
    }
}
