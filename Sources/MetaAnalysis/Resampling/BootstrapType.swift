/// How bootstrap samples are drawn.
public enum BootstrapType: String, CaseIterable, Sendable {
    /// Case resampling: k studies drawn with replacement, each keeping its own (y_i, v_i) (Davison & Hinkley
    /// 1997, section 2.3; `boot::boot` with `sim = "ordinary"`).
    case nonparametric
    /// Parametric resampling from the fitted model: y*_i ~ N(μ̂, v_i + τ̂²) with v_i kept (Davison & Hinkley
    /// 1997, section 2.2; the random-effects model's own sampling distribution).
    case parametric
    /// Parametric resampling of the counts: each arm's events redrawn from Binomial(n, observed proportion)
    /// (Poisson(observed events) for person-time) and `yi`/`vi` recomputed with the escalc settings (see
    /// ``ArmCounts``). Count measures only.
    case arms
}
