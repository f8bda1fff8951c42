/// What a family calculator returns: per-study yi and vi (NaN = NA), which studies `drop00` left out, and
/// the notes.
struct CalculatedEffects {
    var yi: [Double]
    var vi: [Double]
    var dropped: [Bool]
    var diagnostics: [EffectSizeDiagnostic]

    init(count: Int) {
        yi = Array(repeating: .nan, count: count)
        vi = Array(repeating: .nan, count: count)
        dropped = Array(repeating: false, count: count)
        diagnostics = []
    }

    /// Starts from a continuity-correction plan: its drops and its notes.
    init(plan: ContinuityCorrectionPlan) {
        self.init(count: plan.dropped.count)
        dropped = plan.dropped
        diagnostics = plan.diagnostics
    }
}
