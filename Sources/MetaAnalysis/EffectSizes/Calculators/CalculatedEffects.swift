/// What a family calculator returns: per-study yi and vi (NaN = NA) and its notes.
struct CalculatedEffects {
    var yi: [Double]
    var vi: [Double]
    var diagnostics: [EffectSizeDiagnostic]

    init(count: Int) {
        yi = Array(repeating: .nan, count: count)
        vi = Array(repeating: .nan, count: count)
        diagnostics = []
    }
}
