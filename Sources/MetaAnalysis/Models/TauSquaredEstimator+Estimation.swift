#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

extension TauSquaredEstimator {
    /// Estimates τ² on `kernel` (k ≥ 2 studies with positive variances; user weights for GENQ/GENQM).
    ///
    /// Closed forms are truncated at 0 (the raw value is kept in `truncatedFrom`); iterative estimators are
    /// constrained to τ² ≥ 0 and converge to `control.tolerance`.
    ///
    /// - Throws: `EstimationError.didNotConverge` when a solver stops without converging,
    ///   `.userWeightsRequired` for GENQ/GENQM without weights.
    public func estimate<K: RandomEffectsKernel>(on kernel: K, control: SolverControl = SolverControl())
        throws(EstimationError) -> TauSquaredEstimate
    {
        let k = Double(kernel.studyCount)
        let dfResidual = Double(kernel.studyCount - kernel.coefficientCount)
        precondition(dfResidual >= 1, "τ² needs k > p")
        if needsUserWeights && !kernel.hasUserWeights { throw .userWeightsRequired(estimator: self) }

        func truncated(_ raw: Double, se: (Double) -> Double) -> TauSquaredEstimate {
            let t = max(0, raw)
            return TauSquaredEstimate(tauSquared: t, truncatedFrom: raw < 0 ? raw : nil, standardError: se(t), iterations: 0)
        }
        /// Var(Q) = 2 tr((PΣ)²) written with the weights' own P as if W = Σ⁻¹ (DerSimonian–Laird, Viechtbauer 2005).
        func dlVarianceOfQ(_ f: WeightedFit, _ t: Double) -> Double {
            2 * dfResidual + 4 * t * f.traceP + 2 * t * t * f.tracePP
        }
        /// The Paule–Mandel / empirical-Bayes standard error (Morris 1983): √(2/(k−p)) · k / Σw.
        func ebStandardError(_ t: Double) -> Double {
            (2 / dfResidual).squareRoot() * k / kernel.fit(tauSquared: t, includingLikelihoodTerms: false).sumOfWeights
        }

        switch self {
        case .commonEffect:
            return TauSquaredEstimate(tauSquared: 0, standardError: nil, iterations: 0)

        case .derSimonianLaird:
            let f = kernel.fit(tauSquared: 0, includingLikelihoodTerms: false)
            return truncated((f.residualQ - dfResidual) / f.traceP) { t in dlVarianceOfQ(f, t).squareRoot() / f.traceP }

        case .hedges:
            let m = kernel.generalizedQ(weights: .equal, sigmaTauSquared: 0)
            return truncated(m.momentEstimate) { t in
                let mt = kernel.generalizedQ(weights: .equal, sigmaTauSquared: t)
                return (2 * mt.tracePSigmaPSigma).squareRoot() / mt.traceP
            }

        case .hunterSchmidt, .hunterSchmidtCorrected:
            let f = kernel.fit(tauSquared: 0, includingLikelihoodTerms: false)
            let factor = self == .hunterSchmidt ? 1 : k / dfResidual
            return truncated((factor * f.residualQ - k) / f.sumOfWeights) { t in
                factor * dlVarianceOfQ(f, t).squareRoot() / f.sumOfWeights
            }

        case .sidikJonkman:
            let start = control.initialTauSquared ?? sidikJonkmanStart(kernel)
            let m = kernel.generalizedQ(weights: .inverseVariance(tauSquared: start), sigmaTauSquared: 0)
            return truncated(start * m.q / dfResidual) { t in
                let mt = kernel.generalizedQ(weights: .inverseVariance(tauSquared: start), sigmaTauSquared: t)
                return start / dfResidual * (2 * mt.tracePSigmaPSigma).squareRoot()
            }

        case .generalizedQ:
            let m = kernel.generalizedQ(weights: .user, sigmaTauSquared: 0)
            return truncated(m.momentEstimate) { t in generalizedQStandardError(kernel, t) }

        case .maximumLikelihood, .restrictedMaximumLikelihood, .empiricalBayes:
            var (t, n) = try control.followsMetaforIterations
                ? metaforFisherScoring(kernel, control: control) : fisherScoring(kernel, control: control)
            if self != .empiricalBayes && t > 0 && !scoreIsPositiveAtZero(kernel) {
                // Fisher scoring from the HE start can stop at a local maximum; the boundary wins if its
                // likelihood is higher by more than the tolerance (metafor's ll0check). With a positive score at 0 the likelihood rises
                // away from the boundary, so 0 cannot win and the k logarithms are skipped.
                func profile(_ f: WeightedFit) -> Double {
                    -0.5 * (f.sumLogVariances + f.residualQ + (self == .restrictedMaximumLikelihood ? f.logDetInformation : 0))
                }
                let atZero = kernel.fit(tauSquared: 0, includingLikelihoodTerms: true)
                if profile(atZero) - profile(kernel.fit(tauSquared: t, includingLikelihoodTerms: true)) > control.boundaryTolerance { t = 0 }
            }
            if !control.computesStandardError { return TauSquaredEstimate(tauSquared: t, standardError: nil, iterations: n) }
            let f = kernel.fit(tauSquared: t, includingLikelihoodTerms: false)
            let se: Double
            switch self {
            case .maximumLikelihood: se = (2 / f.sumOfSquaredWeights).squareRoot()
            case .restrictedMaximumLikelihood: se = (2 / f.tracePP).squareRoot()
            default: se = ebStandardError(t)
            }
            return TauSquaredEstimate(tauSquared: t, standardError: se, iterations: n)

        case .pauleMandel, .pauleMandelMedian:
            let target = self == .pauleMandel ? dfResidual : ChiSquared(degreesOfFreedom: dfResidual).quantile(0.5)
            let (t, n) = try TauSquaredRootFinder.decreasingRoot(estimator: self, control: control) { x in
                let f = kernel.fit(tauSquared: x, includingLikelihoodTerms: false)
                return (f.residualQ - target, -f.residualQPP)
            }
            return TauSquaredEstimate(tauSquared: t, standardError: ebStandardError(t), iterations: n)

        case .generalizedQMedian:
            let q = kernel.generalizedQ(weights: .user, sigmaTauSquared: 0).q
            var lambdas = [Double]()
            var failure: EstimationError?
            let (t, n) = try TauSquaredRootFinder.decreasingRoot(estimator: self, control: control) { x in
                kernel.generalizedQEigenvalues(weights: .user, tauSquared: x, into: &lambdas)
                do {
                    return (try WeightedChiSquaredSum(weights: lambdas).cdf(q) - 0.5, nil)
                } catch {
                    failure = .distributionNotComputable(detail: "\(error)")
                    return (0, nil)
                }
            }
            if let failure { throw failure }
            return TauSquaredEstimate(tauSquared: t, standardError: generalizedQStandardError(kernel, t), iterations: n)

        case .iteratedDerSimonianLaird:
            // metafor ≥ 4.5-7: τ² ← (Q(τ²) − tr(P V))/tr(P), P and Q at the weights 1/(v_i + τ²), V = diag(v_i),
            // truncated at 0, from 0 (DerSimonian & Kacker 2007, section 4, the generalized-Q form). As
            // tr(P V) = (k − p) − τ² tr(P), the step is (Q(τ²) − (k − p))/tr(P) and the fixed point is the
            // Paule–Mandel estimate; its standard error is the PM/EB one, as metafor reports it.
            let (t, n) = try fixedPoint(start: 0, control: control) { x in
                let f = kernel.fit(tauSquared: x, includingLikelihoodTerms: false)
                return max(0, x + (f.residualQ - dfResidual) / f.traceP)
            }
            return TauSquaredEstimate(tauSquared: t, standardError: ebStandardError(t), iterations: n)

        case .iteratedSidikJonkman:
            // τ² ← τ² · Q(τ²)/(k − p) from the SJ start value (Sidik & Jonkman 2005, section 2.2).
            let (t, n) = try fixedPoint(start: control.initialTauSquared ?? sidikJonkmanStart(kernel), control: control) { x in
                x * kernel.fit(tauSquared: x, includingLikelihoodTerms: false).residualQ / dfResidual
            }
            return TauSquaredEstimate(tauSquared: t, standardError: ebStandardError(t), iterations: n)
        }
    }

    /// The standard error metafor reports for a τ² fixed by the user: the ML or REML formula at that value (the
    /// estimator names which); nil for the other estimators.
    public func standardErrorOfFixed<K: RandomEffectsKernel>(_ t: Double, on kernel: K) -> Double? {
        let f = kernel.fit(tauSquared: t, includingLikelihoodTerms: false)
        switch self {
        case .maximumLikelihood: return (2 / f.sumOfSquaredWeights).squareRoot()
        case .restrictedMaximumLikelihood: return (2 / f.tracePP).squareRoot()
        default: return nil
        }
    }

    /// Whether the ML/REML score is positive at τ² = 0.
    private func scoreIsPositiveAtZero<K: RandomEffectsKernel>(_ kernel: K) -> Bool {
        let f = kernel.fit(tauSquared: 0, includingLikelihoodTerms: false)
        return (self == .maximumLikelihood ? f.residualQPP - f.sumOfWeights : f.residualQPP - f.traceP) > 0
    }

    /// Sidik & Jonkman's (2005) crude start τ̂²₀ = Σ (y_i − ȳ)²/k = var(y)·(k−1)/k. With moderators it stays the
    /// spread around the unweighted mean, not around the OLS fit, as metafor starts SJ and SJIT (bank README).
    private func sidikJonkmanStart<K: RandomEffectsKernel>(_ kernel: K) -> Double {
        let y = kernel.effects
        let mean = y.reduce(0, +) / Double(y.count)
        return y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(y.count)
    }

    /// √(2 tr(P_A Σ P_A Σ)) / tr(P_A): the delta-method SE of the generalized method of moments.
    private func generalizedQStandardError<K: RandomEffectsKernel>(_ kernel: K, _ t: Double) -> Double {
        let m = kernel.generalizedQ(weights: .user, sigmaTauSquared: t)
        return (2 * m.tracePSigmaPSigma).squareRoot() / m.traceP
    }

    /// Fisher scoring for ML, REML and EB (Viechtbauer 2005, eqs. 8–12), from the Hedges estimate truncated at
    /// 0 as metafor starts (or `control.start`), switching to Newton steps with the exact derivative where the
    /// likelihood is locally concave, with steps halved to keep τ² ≥ 0. Once the root of the score is bracketed, a step
    /// that leaves the bracket, or two steps that fail to halve it (Fisher scoring can zigzag slowly when some
    /// v_i ≪ τ²), are replaced by an Illinois regula falsi step inside the bracket, so convergence is guaranteed.
    private func fisherScoring<K: RandomEffectsKernel>(_ kernel: K, control: SolverControl)
        throws(EstimationError) -> (Double, Int)
    {
        let (t, n) = try fisherScoring(kernel, control: control, newtonSteps: true)
        // Near the boundary the score is nearly flat and any τ² within the tolerance of 0 is a root; there the
        // resting point is reproduced only by Fisher scoring's own path from the Hedges start, as metafor takes
        // it (e.g. τ² ≈ 6e-15 rather than 6e-14), so such results are recomputed on that path.
        if t > 0 && t < 1e-8 {
            let (fisher, more) = try fisherScoring(kernel, control: SolverControl(
                tolerance: control.tolerance, maxIterations: control.maxIterations), newtonSteps: false)
            return (fisher, n + more)
        }
        return (t, n)
    }

    private func fisherScoring<K: RandomEffectsKernel>(_ kernel: K, control: SolverControl, newtonSteps: Bool)
        throws(EstimationError) -> (Double, Int)
    {
        let k = Double(kernel.studyCount)
        let dfResidual = Double(kernel.studyCount - kernel.coefficientCount)
        /// The score, the expected information (Fisher scoring, metafor's update) and the observed information
        /// −dscore/dτ² from the exact derivative (d YᵀPPY/dτ² = −2 YᵀPPPY, d tr P/dτ² = −tr PP, d YᵀPY/dτ² = −YᵀPPY).
        func scoreAndInformation(_ t: Double) -> (score: Double, information: Double, observed: Double) {
            let f = kernel.fit(tauSquared: t, includingLikelihoodTerms: false)
            switch self {
            case .maximumLikelihood:
                return (f.residualQPP - f.sumOfWeights, f.sumOfSquaredWeights, 2 * f.residualQPPP - f.sumOfSquaredWeights)
            case .restrictedMaximumLikelihood:
                return (f.residualQPP - f.traceP, f.tracePP, 2 * f.residualQPPP - f.tracePP)
            default: return (f.residualQ * k / dfResidual - k, f.sumOfWeights, f.residualQPP * k / dfResidual)
            }
        }
        var t = control.start.map { max(0, $0) } ?? max(0, kernel.generalizedQ(weights: .equal, sigmaTauSquared: 0).momentEstimate)
        var lower = 0.0, upper = Double.infinity
        var scoreLower = Double.nan, scoreUpper = Double.nan
        var widthBefore = Double.infinity, widthBeforeThat = Double.infinity
        var side = 0
        var lastStep = Double.infinity
        for iteration in 1...control.maxIterations {
            let (score, information, observed) = scoreAndInformation(t)
            // Finite-value guard: with sampling variances many orders of magnitude apart the sums lose every digit
            // (tr P, a difference of nearly equal sums, can come out ≤ 0), and a step of ±∞ or NaN would never end.
            guard score.isFinite, information.isFinite, information > 0 else {
                throw .nonFiniteValue(estimator: self, quantity: score.isFinite ? "information" : "score", tauSquared: t)
            }
            if score == 0 { return (t, iteration) }
            if score > 0 {
                if t >= lower { lower = t; scoreLower = score }
                if side == 1 { scoreUpper /= 2 }
                side = 1
            } else {
                if t <= upper { upper = t; scoreUpper = score }
                if side == -1 { scoreLower /= 2 }
                side = -1
                if t == 0 { return (0, iteration) }
            }
            // Newton's step where the likelihood is locally concave and it agrees in direction with Fisher's
            // (quadratic convergence: 3–5 steps instead of 8–15); Fisher's otherwise. The bracket below keeps
            // either safe.
            var step = score / information
            var newtonStep = false
            if newtonSteps && observed > 0 && t > 0 {
                let newton = score / observed
                if newton.isFinite && (newton > 0) == (step > 0) {
                    step = newton
                    newtonStep = true
                }
            }
            // Halve a step that would leave τ² ≥ 0 (a finite step needs at most ~2100 halvings to reach 0 or below
            // the smallest double); the cap keeps a corrupted value from looping.
            var halvings = 0
            while t + step < 0 && halvings < 2200 { step /= 2; halvings += 1 }
            if t + step < 0 { step = -t }
            var next = t + step
            let width = upper - lower
            if upper.isFinite {
                // Newton converges from one side, so a bracket that does not halve is slow only for Fisher steps.
                let slow = !newtonStep && width > 0.5 * widthBeforeThat
                if slow || !(next > lower && next < upper) || !next.isFinite {
                    next = scoreLower.isNaN ? 0.5 * (lower + upper)
                        : (lower * scoreUpper - upper * scoreLower) / (scoreUpper - scoreLower)
                    if !(next > lower && next < upper) || !next.isFinite { next = 0.5 * (lower + upper) }
                }
            } else if !next.isFinite {
                next = 2 * t + 1
            }
            widthBeforeThat = widthBefore
            widthBefore = width
            lastStep = next - t
            t = next
            if abs(lastStep) <= control.tolerance * max(1, t) || (upper.isFinite && upper - lower <= control.tolerance * max(1, t)) {
                return (t, iteration)
            }
        }
        throw .didNotConverge(estimator: self, iterations: control.maxIterations, lastStep: lastStep)
    }

    /// Iterates τ² ← update(τ²) until a step is below tolerance. A sequence whose steps have not shrunk over a
    /// window of 1000 iterations is cycling (metafor's DLIT alternates between two values forever on some data
    /// sets; with k = 2 DLIT is τ ← c − τ, a 2-cycle around its fixed point) and ends in `didNotConverge`.
    private func fixedPoint(start: Double, control: SolverControl, _ update: (Double) -> Double)
        throws(EstimationError) -> (Double, Int)
    {
        var t = start
        var lastStep = Double.infinity
        var checkpointStep = Double.infinity
        let window = 1000
        for iteration in 1...control.maxFixedPointIterations {
            let next = update(t)
            guard next.isFinite else { throw .nonFiniteValue(estimator: self, quantity: "update", tauSquared: t) }
            lastStep = next - t
            t = next
            if abs(lastStep) <= control.tolerance * max(1, t) { return (t, iteration) }
            if iteration % window == 0 {
                if abs(lastStep) >= 0.999 * checkpointStep {
                    throw .didNotConverge(estimator: self, iterations: iteration, lastStep: abs(lastStep))
                }
                checkpointStep = abs(lastStep)
            }
        }
        throw .didNotConverge(estimator: self, iterations: control.maxFixedPointIterations, lastStep: abs(lastStep))
    }
}
