/// Decides, study by study, which count-based studies are dropped (`drop00`) and which get `add`
/// (`to`), following metafor's rules for `escalc`, and records each decision as a diagnostic.
struct ContinuityCorrectionPlan {
    let add: Double
    /// Studies left out because of `drop00` (their yi/vi become NA).
    let dropped: [Bool]
    /// Studies whose counts get `add`.
    let corrected: [Bool]
    let diagnostics: [EffectSizeDiagnostic]

    /// - Parameters:
    ///   - hasZero: whether study i has a zero count (a zero cell, no events or only events, ...).
    ///   - doubleZero: for two-group measures, whether both groups have no events (or both only events); nil
    ///     for single-group measures, where `drop00` does not apply.
    init(hasZero: [Bool], doubleZero: [Bool]?, options: EscalcOptions, labels: [String]) {
        let k = hasZero.count
        add = options.add
        var dropped = Array(repeating: false, count: k)
        var notes: [[EffectSizeDiagnostic]] = Array(repeating: [], count: k)
        if let doubleZero {
            for i in 0..<k where doubleZero[i] {
                dropped[i] = options.drop00
                notes[i].append(.doubleZero(study: labels[i], row: i + 1, dropped: options.drop00))
            }
        }
        let anyZero = (0..<k).contains { hasZero[$0] && !dropped[$0] }
        var corrected = Array(repeating: false, count: k)
        for i in 0..<k where !dropped[i] {
            corrected[i] = Self.corrects(hasZero: hasZero[i], anyZero: anyZero, options: options)
            if corrected[i] { notes[i].append(.continuityCorrection(study: labels[i], row: i + 1, added: add)) }
        }
        self.dropped = dropped
        self.corrected = corrected
        diagnostics = notes.flatMap { $0 }
    }

    /// The amount to add to study i's counts (0 when it gets no correction).
    func amount(_ i: Int) -> Double { corrected[i] ? add : 0 }

    /// The `to` rule for one study: whether it gets `add`, given whether it has a zero count and whether any
    /// study kept has one. (The one statement of the rule, shared with the count bootstrap's replicates.)
    static func corrects(hasZero: Bool, anyZero: Bool, options: EscalcOptions) -> Bool {
        guard options.add != 0 else { return false }
        switch options.to {
        case .onlyZero: return hasZero
        case .all: return true
        case .allIfAnyZero: return anyZero
        case .none: return false
        }
    }
}
