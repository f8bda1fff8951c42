extension TauSquaredEstimator {
    /// Fisher scoring for ML, REML and EB along metafor's own path (Viechtbauer 2005, eqs. 8–12): start at the
    /// Hedges estimate truncated at 0, τ² ← τ² + score/information with the step halved until τ² stays ≥ 0, stop
    /// once |Δτ²| < `control.tolerance` (absolute). Unlike `fisherScoring` it has no bracketing safeguard, so it
    /// stops where metafor stops — useful only to reproduce output metafor computed with its default threshold.
    func metaforFisherScoring<K: RandomEffectsKernel>(_ kernel: K, control: SolverControl)
        throws(EstimationError) -> (Double, Int)
    {
        let k = Double(kernel.studyCount)
        let dfResidual = Double(kernel.studyCount - kernel.coefficientCount)
        var t = max(0, kernel.generalizedQ(weights: .equal, sigmaTauSquared: 0).momentEstimate)
        var change = Double.infinity
        var iteration = 0
        while change >= control.tolerance {
            iteration += 1
            if iteration > control.maxIterations {
                throw .didNotConverge(estimator: self, iterations: control.maxIterations, lastStep: change)
            }
            let f = kernel.fit(tauSquared: t, includingLikelihoodTerms: false)
            var step: Double
            switch self {
            case .maximumLikelihood: step = (f.residualQPP - f.sumOfWeights) / f.sumOfSquaredWeights
            case .restrictedMaximumLikelihood: step = (f.residualQPP - f.traceP) / f.tracePP
            default: step = (f.residualQ * k / dfResidual - k) / f.sumOfWeights
            }
            guard step.isFinite else { throw .didNotConverge(estimator: self, iterations: iteration, lastStep: step) }
            while t + step < 0 { step /= 2 }
            let previous = t
            t += step
            change = abs(previous - t)
        }
        return (t, iteration)
    }
}
