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
    public var pval: [Double] { zi.map { $0.isNaN ? .nan : Normal.twoSidedPValue($0) } }

    /// Normal-theory confidence limits at `level` percent (default: the level the sizes were computed with).
    public func confidenceInterval(level: Double? = nil) -> (lower: [Double], upper: [Double]) {
        let fraction = (level ?? self.level) > 1 ? (level ?? self.level) / 100 : (level ?? self.level)
        let crit = Normal.quantile(1 - (1 - fraction) / 2)
        let se = sei
        return (zip(yi, se).map { $0 - crit * $1 }, zip(yi, se).map { $0 + crit * $1 })
    }
}
