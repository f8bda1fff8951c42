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

    /// Closed-form meta-regressions on an ill-conditioned design (κ₂(X) > `illConditionedThreshold`, e.g. raw
    /// calendar year beside an intercept; DESIGN.md §3 compares these at 1e-7). metafor solves the normal
    /// equations and forms the k × k projection P, so its fitted values, QE and all that follows from them
    /// (DL/HE/SJ τ², β, p-values) carry relative errors of order κ(X)²·ε. Measured on rma_mods/bcg_RR_ablat_year_*
    /// (κ₂(X) = 4.96e5): the largest relative difference is 9.8e-10 (EE fitted/predicted values near zero; QEp
    /// 6.3e-10, DL β₀ 4.4e-10); exact rational arithmetic on the same doubles agrees with MetaSwift to ~1e-14 and not with
    /// the reference (MetaRegressionTests, "ill-conditioned design against exact arithmetic").
    static let illConditionedDesign = Tolerance(relative: 1e-7, absolute: 1e-12, name: "closed form, ill-conditioned design")

    /// Above this κ₂(X), κ²·ε exceeds 2e-8 and the reference cannot be trusted to 1e-10. The well-conditioned
    /// designs of the bank have κ₂(X) ≤ 3.6e3 and pass at `closedForm`.
    static let illConditionedThreshold = 1e4

    /// GLMM fits: metafor's own optimiser (lme4 / optim) limits agreement (DESIGN.md §3).
    /// Also for the equal-effects UM.FS fits (`method = "EE"`), which metafor gets from `glm()`: the bank README
    /// expects ~1e-8 there, but glm's SE comes from the IRLS weights of its last iterate, not from the information
    /// at the optimum. Measured on glmm_extra/bcg_OR_UMFS_EE: β agrees with a Newton fit to 1e-15 at 1e-11, while
    /// the bank's se 0.04123188732 is 1.3e-6 from the converged 0.04123194275 (MetaSwift 0.04123194543, 6.5e-8).
    static let glmm = Tolerance(relative: 1e-5, absolute: 1e-7, name: "GLMM")

    /// Selection models (`selmodel`) against `expected_tight`: the bank's two optimizers agree on β, τ², δ and their
    /// SEs/CIs to ≤ ~4e-6 relative and its numerical Hessians to ~1e-5 (bank README, selmodel), so estimates, SEs,
    /// CIs and p-values are held to 1e-5; τ² near 0 absolutely (1e-8).
    static let selectionModel = Tolerance(relative: 1e-5, absolute: 1e-8, name: "selection model (tight reference)")

    /// Selection-model log-likelihoods and LRTs: the bank README compares them at ~1e-8 relative (its optimizers
    /// agree on ll to ~1e-14 and on LRT to ~1e-11).
    static let selectionModelLikelihood = Tolerance(relative: 1e-8, absolute: 1e-10, name: "selection model likelihood")

    func accepts(actual: Double, expected: Double) -> Bool {
        if actual == expected { return true }
        if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
        let diff = abs(actual - expected)
        return diff <= absolute || diff <= relative * abs(expected)
    }

    /// A τ² that is zero in exact arithmetic comes out as 0 on one side and ~1e-14 on the other (bank README,
    /// "Quantities that are zero in exact arithmetic: ... compare tau^2, tau, I^2 near zero absolutely"): τ² itself
    /// is held by the absolute floor, so τ = √τ² is compared through τ² at that floor, and I² (percent,
    /// 100·τ²/(τ² + ṽ)) within 100× the floor, which is what the floor on τ² allows for ṽ ≥ 1 and is far below
    /// any I² that a non-boundary fit reports (e.g. subgroup/molloy2014_ZCOR_by_design_REML_z: 3.6e-10 vs 0).
    /// Applies only when the reference itself is near zero (τ ≤ 1e-6, I² ≤ 1e-6).
    func acceptsNearZeroHeterogeneity(field: String, actual: Double, expected: Double) -> Bool {
        switch field {
        case "tau" where abs(expected) <= 1e-6 && abs(actual) <= 1e-6:
            return abs(actual * actual - expected * expected) <= absolute
        case "I2" where abs(expected) <= 1e-6:
            return abs(actual - expected) <= 100 * absolute
        default:
            return false
        }
    }

    var description: String { "\(name) (rel \(relative), abs \(absolute))" }
}
