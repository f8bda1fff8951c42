/// I² and H² of a fitted model, as metafor defines them (Higgins & Thompson 2002): from τ̂² and the typical
/// sampling variance ṽ = (k − p)/tr(P) at τ² = 0 (I² = τ̂²/(τ̂² + ṽ), H² = 1 + τ̂²/ṽ), or from Q for the
/// common-effect model (I² = max(0, (Q − df)/Q), H² = Q/df). One definition for the models and their refits in the
/// resampling loops, so that a refit reproduces its model bit for bit.
struct HeterogeneityShares {
    let typicalSamplingVariance: Double
    /// In percent.
    let iSquared: Double
    let hSquared: Double

    /// - Parameters: `zeroTauFit` is the kernel's fit at τ² = 0 (Q = its residual Q); `degreesOfFreedom` is k − p.
    init(zeroTauFit f0: WeightedFit, tauSquared t2: Double, degreesOfFreedom df: Double, commonEffect: Bool) {
        let q = f0.residualQ
        typicalSamplingVariance = df / f0.traceP
        if commonEffect {
            iSquared = max(0, 100 * (q - df) / q)
            hSquared = q / df
        } else {
            iSquared = 100 * t2 / (t2 + typicalSamplingVariance)
            hSquared = 1 + t2 / typicalSamplingVariance
        }
    }
}
