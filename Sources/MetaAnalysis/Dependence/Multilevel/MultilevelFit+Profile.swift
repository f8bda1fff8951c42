import MetaNumerics

extension MultilevelFit {
    /// A variance or correlation component of the model, as metafor names them.
    public enum Component: Sendable, Equatable, Hashable {
        case sigma2(Int), tau2(Int), rho(Int), gamma2(Int), phi(Int)

        public var name: String {
            switch self {
            case .sigma2: return "sigma2"
            case .tau2: return "tau2"
            case .rho: return "rho"
            case .gamma2: return "gamma2"
            case .phi: return "phi"
            }
        }

        /// The component as metafor prints it and the profile plot labels it, 1-based: "sigma2[2]".
        public var label: String { "\(name)[\(index + 1)]" }

        /// 0-based index within its kind.
        public var index: Int {
            switch self { case let .sigma2(i), let .tau2(i), let .rho(i), let .gamma2(i), let .phi(i): return i }
        }

        /// Whether the component is a correlation (ρ, φ) rather than a variance.
        public var isCorrelationComponent: Bool { if case .rho = self { return true }; if case .phi = self { return true }; return false }
    }

    /// Every component estimated (not held fixed), in metafor's order: σ², τ², ρ, γ², φ.
    public var estimatedComponents: [Component] {
        var out: [Component] = components.enumerated().filter { !$0.element.isFixed }.map { .sigma2($0.offset) }
        for (t, e) in correlatedEstimates.enumerated() {
            out += e.tau2Fixed.enumerated().filter { !$0.element }.map { t == 0 ? .tau2($0.offset) : .gamma2($0.offset) }
            out += e.rhoFixed.enumerated().filter { !$0.element }.map { t == 0 ? .rho($0.offset) : .phi($0.offset) }
        }
        return out
    }

    /// The estimate of a component.
    public func estimate(of c: Component) -> Double {
        switch c {
        case let .sigma2(i): return components[i].estimate
        case let .tau2(i): return correlatedEstimates[0].tau2[i]
        case let .rho(i): return correlatedEstimates[0].rho[i]
        case let .gamma2(i): return correlatedEstimates[1].tau2[i]
        case let .phi(i): return correlatedEstimates[1].rho[i]
        }
    }

    /// The fit's own (RE)ML log-likelihood.
    public var logLikelihood: Double {
        method == .restrictedMaximumLikelihood ? fitStatisticsREML.logLikelihood : fitStatisticsML.logLikelihood
    }

    /// The profile log-likelihood at `value` of `component`: the (RE)ML log-likelihood maximized over the other
    /// components with this one held at `value` (warm-started at the estimate).
    /// - Throws: ``MultilevelModelError`` when the refit fails (e.g. M not positive definite at `value`).
    public func profileLogLikelihood(_ component: Component, at value: Double) throws(MultilevelModelError) -> Double {
        var fixed = fixedComponents
        func set(_ array: inout [Double?], count: Int, _ i: Int) {
            if array.count != count { array = array.count == 1 ? Array(repeating: array[0], count: count) : Array(repeating: nil, count: count) }
            array[i] = value
        }
        switch component {
        case let .sigma2(i): set(&fixed.sigma2, count: components.count, i)
        case let .tau2(i): set(&fixed.tau2, count: correlatedEstimates[0].tau2.count, i)
        case let .rho(i): set(&fixed.rho, count: correlatedEstimates[0].rho.count, i)
        case let .gamma2(i): set(&fixed.gamma2, count: correlatedEstimates[1].tau2.count, i)
        case let .phi(i): set(&fixed.phi, count: correlatedEstimates[1].rho.count, i)
        }
        let refit = try model.fit(method: method, test: test, dfs: dfs, level: level, fixed: fixed, maxIterations: 300,
                                  start: evaluation.theta)
        return refit.logLikelihood
    }

    /// A profile-likelihood confidence interval of one component (metafor's `confint.rma.mv`).
    public struct ComponentInterval: Sendable, Equatable {
        public let component: Component
        public let estimate: Double
        /// nil when no bound could be found.
        public let lower: Double?
        public let upper: Double?
        /// The bound is the search limit (metafor's `"<"` / `">"`): the true bound lies beyond it.
        public let lowerAtLimit: Bool
        public let upperAtLimit: Bool
    }

    /// The profile-likelihood CI of `component`: the values b with 2(ℓ̂ − ℓ_profile(b)) = χ²₁(level), searched in
    /// [0, max(10, 100·estimate)] for variances and [−1, 1] ([min(0, ρ̂), 1] for AR/HAR) for correlations; where the
    /// profile cannot be evaluated at a limit, the limit moves toward the estimate in 10 equal steps; a limit whose
    /// profile is already inside the interval is returned as the bound, flagged when it had moved (as metafor does).
    public func profileConfidenceInterval(_ component: Component, tolerance: Double = 1e-12) -> ComponentInterval {
        let est = estimate(of: component)
        let target = ChiSquared(degreesOfFreedom: 1).quantile(level)
        let llMax = logLikelihood
        func f(_ b: Double) throws -> Double { 2 * (llMax - (try profileLogLikelihood(component, at: b))) - target }
        let limits: (Double, Double)
        if component.isCorrelationComponent {
            let ar: Bool = {
                let term = component.name == "rho" ? 0 : 1
                let s = correlatedEstimates[term].structure
                return s == .autoregressive || s == .heteroscedasticAutoregressive
            }()
            limits = (ar ? min(0, est) : -1, 1)
        } else {
            limits = (0, est < 1e-10 ? 10 : max(10, 100 * est))
        }
        func bound(from limit: Double) -> (Double?, Bool) {
            // The first limit (moving toward the estimate) where the profile can be evaluated.
            var at = limit
            var value: Double?
            var moved = false
            for step in 0...10 {
                at = limit + (est - limit) * Double(step) / 10
                if let v = try? f(at) { value = v; moved = step > 0; break }
            }
            guard let value else { return (nil, false) }
            // Inside the interval already at the limit: the limit is the bound, flagged only when it had to move
            // (the true bound then lies beyond it), as metafor's "<" / ">".
            if value <= 0 { return (at, moved) }
            guard at != est else { return (nil, false) }
            let (lo, hi) = at < est ? (at, est) : (est, at)
            guard let root = try? Brent.root(lower: lo, upper: hi, absoluteTolerance: tolerance, relativeTolerance: 0, f) else { return (nil, false) }
            return (root.x, false)
        }
        let (lower, lowerFlag) = est <= limits.0 ? (limits.0, false) : bound(from: limits.0)
        let (upper, upperFlag) = bound(from: limits.1)
        return ComponentInterval(component: component, estimate: est, lower: lower, upper: upper,
                                 lowerAtLimit: lowerFlag, upperAtLimit: upperFlag)
    }

    /// The profile-likelihood CI of every estimated component, in metafor's order (`confint(res)` of an rma.mv fit).
    public func profileConfidenceIntervals() -> [ComponentInterval] {
        estimatedComponents.map { profileConfidenceInterval($0) }
    }
}

extension MultilevelFit {
    /// The profile log-likelihood of `component` at each of `values` (sorted ascending in the result; metafor's
    /// `profile.rma.mv`): NaN where the refit with the component held there failed (e.g. the marginal covariance is
    /// not positive definite at that value), so a plot leaves a gap there.
    public func profile(_ component: Component, values: [Double]) -> ProfileLikelihoodCurve {
        let grid = values.sorted()
        return ProfileLikelihoodCurve(parameter: component.label, values: grid,
                                      logLikelihoods: grid.map { (try? profileLogLikelihood(component, at: $0)) ?? .nan },
                                      estimate: estimate(of: component), maximum: logLikelihood,
                                      restricted: method == .restrictedMaximumLikelihood, level: level)
    }

    /// The profile of `component` over `steps` equally spaced values (at least 3) spanning its profile-likelihood
    /// CI widened by a tenth on each side (clipped to the parameter space: variances ≥ 0, correlations in
    /// [−1, 1]); where a bound is not found, the search limit stands in; the estimate itself and each bound found
    /// are added, so the curve passes through its maximum and where it crosses the likelihood-ratio bound (a steep
    /// curve near a boundary would otherwise cross it between two grid points, not where the CI says).
    public func profile(_ component: Component, steps: Int = 20) -> ProfileLikelihoodCurve {
        let ci = profileConfidenceInterval(component)
        let est = ci.estimate
        let low = ci.lower ?? (component.isCorrelationComponent ? -1 : 0)
        let high = ci.upper ?? (component.isCorrelationComponent ? 1 : max(10, 100 * est))
        let pad = (high - low) / 10
        let (a, b) = component.isCorrelationComponent ? (max(-1, low - pad), min(1, high + pad)) : (max(0, low - pad), high + pad)
        let n = max(steps, 3)
        var grid = (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
        let found = [ci.lowerAtLimit ? nil : ci.lower, ci.upperAtLimit ? nil : ci.upper].compactMap { $0 }
        // A value within rounding of a grid point is that point: whether a bound lands exactly on the grid's end (ρ = 1)
        // depends on the BLAS kernel's last bits, and must not change how many points the curve has.
        let same = 1e-9 * (b - a)
        for value in [est] + found where !grid.contains(where: { abs($0 - value) <= same }) { grid.append(value) }
        return profile(component, values: grid)
    }
}
