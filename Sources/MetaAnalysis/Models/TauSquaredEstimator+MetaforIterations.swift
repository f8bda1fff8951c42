extension TauSquaredEstimator {
    /// Fisher scoring for ML/REML/EB exactly as metafor iterates (Viechtbauer 2005, eqs. 8–12): from the
    /// Hedges estimate truncated at 0, τ² += score/information with the step halved until τ² stays ≥ 0, until
    /// a step is smaller than `control.tolerance` (absolute). Used only with `followsMetaforIterations`, to
    /// reproduce metafor's default-convergence results; the safeguarded solver is the default.
    func metaforFisherScoring<K: RandomEffectsKernel>(_ kernel: K, control: SolverControl)
        throws(EstimationError) -> (Double, Int)
    {
        let k = Double(kernel.studyCount)
        let dfResidual = Double(kernel.studyCount - kernel.coefficientCount)
        var t = max(0, kernel.generalizedQ(weights: .equal, sigmaTauSquared: 0).momentEstimate)
        var step = Double.infinity
        for iteration in 1...control.maxIterations {
            let f = kernel.fit(tauSquared: t, includingLikelihoodTerms: false)
            switch self {
            case .maximumLikelihood: step = (f.residualQPP - f.sumOfWeights) / f.sumOfSquaredWeights
            case .restrictedMaximumLikelihood: step = (f.residualQPP - f.traceP) / f.tracePP
            default: step = (f.residualQ * k / dfResidual - k) / f.sumOfWeights
            }
            guard step.isFinite else {
                throw .nonFiniteValue(estimator: self, quantity: "Fisher scoring step", tauSquared: t)
            }
            var halvings = 0
            while t + step < 0 && halvings < 2200 { step /= 2; halvings += 1 }
            if t + step < 0 { step = -t }
            t += step
            if abs(step) < control.tolerance { return (t, iteration) }
        }
        throw .didNotConverge(estimator: self, iterations: control.maxIterations, lastStep: abs(step))
    }
}
