/// How closely a computed value must match the reference. One place, with the reasons (DESIGN.md §3).
struct Tolerance: Sendable, CustomStringConvertible {
    let relative: Double
    let absolute: Double
    let name: String

    /// Closed-form quantities (escalc, EE/DL/HE/HS/HSk/SJ/GENQ fits, MH, Peto, Egger, Begg, FSN): both sides
    /// evaluate the same formula in double precision, so only rounding separates them.
    static let closedForm = Tolerance(relative: 1e-10, absolute: 1e-12, name: "closed form")

    /// Iterative quantities (ML/REML/EB/PM/PMM/GENQM/DLIT/SJIT τ², Q-profile bounds, trim-and-fill) against
    /// `expected_tight` (metafor with threshold = tol = 1e-13): both sides are converged well past 1e-7.
    static let iterative = Tolerance(relative: 1e-7, absolute: 1e-10, name: "iterative (tight reference)")

    /// Iterative fits for which the bank holds only metafor's default convergence (threshold 1e-5 on τ²,
    /// uniroot tol 1.22e-4): the reference itself is only that accurate (tolerance.md; issue 7 sets 1e-4).
    static let iterativeDefault = Tolerance(relative: 1e-4, absolute: 1e-6, name: "iterative (default reference)")

    /// GLMM fits: metafor's own optimiser (lme4 / optim) limits agreement (DESIGN.md §3).
    static let glmm = Tolerance(relative: 1e-5, absolute: 1e-7, name: "GLMM")

    func accepts(actual: Double, expected: Double) -> Bool {
        if actual == expected { return true }
        if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
        let diff = abs(actual - expected)
        return diff <= absolute || diff <= relative * abs(expected)
    }

    var description: String { "\(name) (rel \(relative), abs \(absolute))" }
}
