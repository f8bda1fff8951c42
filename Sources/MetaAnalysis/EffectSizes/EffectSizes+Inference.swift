import MetaNumerics

/// Per-study standard errors, Wald tests and confidence intervals — metafor's `summary(escalc(...))`:
///
///     sei = √vi,  zi = yi/sei,  pval = 2(1 − Φ(|zi|)),  ci = yi ∓ Φ⁻¹(1 − α/2)·sei
///
/// NA studies give NaN throughout.
extension EffectSizes {
    /// Standard errors √vi.
    public var sei: [Double] { vi.map { $0.squareRoot() } }

    /// Wald statistics yi/sei.
    public var zi: [Double] { zip(yi, sei).map { $0 / $1 } }

    /// Two-sided normal p-values of `zi`.
    public var pval: [Double] { zi.map(Normal.twoSidedPValue) }

    /// Normal-theory confidence limits at `level` percent (default: the level the sizes were computed with).
    public func confidenceInterval(level: Double? = nil) -> (lower: [Double], upper: [Double]) {
        let percent = level ?? self.level
        let fraction = percent > 1 ? percent / 100 : percent
        let crit = Normal.quantile(1 - (1 - fraction) / 2)
        let se = sei
        return (zip(yi, se).map { $0 - crit * $1 }, zip(yi, se).map { $0 + crit * $1 })
    }
}
