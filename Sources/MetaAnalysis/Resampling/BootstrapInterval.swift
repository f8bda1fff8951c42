import MetaNumerics

/// Bootstrap confidence intervals for one statistic from its sorted replicate values.
///
/// Order statistics are read at non-integer ranks by interpolation on the normal quantile scale
/// (Davison & Hinkley 1997, eq. 5.8, as `boot::boot.ci` does): with R replicates and rank r = (R+1)α,
/// k = ⌊r⌋, θ*_α = θ*_(k) + [Φ⁻¹(α) − Φ⁻¹(k/(R+1))] / [Φ⁻¹((k+1)/(R+1)) − Φ⁻¹(k/(R+1))] · (θ*_(k+1) − θ*_(k)),
/// and the extreme order statistics when r < 1 or r > R.
public struct BootstrapInterval: Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The α-quantile of the bootstrap distribution (`sorted`: finite replicate values, ascending).
    public static func quantile(sorted t: [Double], _ alpha: Double) -> Double {
        let r = t.count
        precondition(r >= 1, "a quantile needs at least one replicate")
        let rank = Double(r + 1) * alpha
        let k = Int(rank.rounded(.towardZero))
        if k <= 0 { return t[0] }
        if k >= r { return t[r - 1] }
        if Double(k) == rank { return t[k - 1] }
        let zk = Normal.quantile(Double(k) / Double(r + 1))
        let zk1 = Normal.quantile(Double(k + 1) / Double(r + 1))
        return t[k - 1] + (Normal.quantile(alpha) - zk) / (zk1 - zk) * (t[k] - t[k - 1])
    }

    /// The percentile interval (θ*_{α/2}, θ*_{1−α/2}) (Efron & Tibshirani 1993, section 13.3).
    public static func percentile(sorted t: [Double], level: Double) -> BootstrapInterval {
        let alpha = 1 - level / 100
        return BootstrapInterval(lower: quantile(sorted: t, alpha / 2), upper: quantile(sorted: t, 1 - alpha / 2))
    }

    /// The basic interval (2θ̂ − θ*_{1−α/2}, 2θ̂ − θ*_{α/2}) (Davison & Hinkley 1997, eq. 5.6).
    public static func basic(sorted t: [Double], estimate: Double, level: Double) -> BootstrapInterval {
        let alpha = 1 - level / 100
        return BootstrapInterval(lower: 2 * estimate - quantile(sorted: t, 1 - alpha / 2),
                                 upper: 2 * estimate - quantile(sorted: t, alpha / 2))
    }

    /// The bias-corrected and accelerated interval (Efron 1987, JASA 82:171; Davison & Hinkley 1997, section 5.3.2).
    ///
    ///     z₀ = Φ⁻¹(#{θ*_b < θ̂}/R),  a = Σ L_i³ / (6 (Σ L_i²)^{3/2}),  L_i = θ̄₍.₎ − θ̂₍ᵢ₎ (jackknife),
    ///     α̃ = Φ(z₀ + (z₀ + z_α)/(1 − a(z₀ + z_α))),  interval (θ*_{α̃(α/2)}, θ*_{α̃(1−α/2)}).
    ///
    /// Returns nil when z₀ or a is not finite (every replicate on one side of θ̂, or a jackknife with no
    /// spread), as `boot.ci` stops there.
    public static func bca(sorted t: [Double], estimate: Double, jackknife: [Double], level: Double) -> BootstrapInterval? {
        let below = t.firstIndex { !($0 < estimate) } ?? t.count
        let z0 = Normal.quantile(Double(below) / Double(t.count))
        guard z0.isFinite else { return nil }
        let a = acceleration(jackknife: jackknife)
        guard a.isFinite else { return nil }
        let alpha = 1 - level / 100
        func adjusted(_ p: Double) -> Double {
            let z = z0 + Normal.quantile(p)
            return Normal.cdf(z0 + z / (1 - a * z))
        }
        return BootstrapInterval(lower: quantile(sorted: t, adjusted(alpha / 2)), upper: quantile(sorted: t, adjusted(1 - alpha / 2)))
    }

    /// The jackknife acceleration a = Σ L_i³ / (6 (Σ L_i²)^{3/2}) with L_i = θ̄₍.₎ − θ̂₍ᵢ₎ (Efron 1987, eq. 6.6;
    /// the factor (n − 1) of the empirical influence values cancels).
    public static func acceleration(jackknife: [Double]) -> Double {
        let n = Double(jackknife.count)
        let mean = jackknife.reduce(0, +) / n
        var s2 = 0.0, s3 = 0.0
        for value in jackknife {
            let l = mean - value
            s2 += l * l
            s3 += l * l * l
        }
        return s3 / (6 * (s2 * s2 * s2).squareRoot())
    }
}
