import MetaData

/// A contrast-based network meta-analysis (Salanti 2012; metafor's `rma.mv` network examples): each contrast
/// t1 − t2 has mean d_t1 − d_t2 (d_reference = 0) and, in the random-effects models, heterogeneity δ with
/// Var δ = τ² and Cov = τ²/2 for two contrasts of one study (ρ = 1/2: the consistency model with a common τ²,
/// invariant to which arm is a study's base); the random-inconsistency model adds design-by-comparison effects
/// with variance γ² and the same correlation ½ (Jackson et al. 2014; Law et al. 2016). Fitted as an rma.mv model
/// (``MultilevelModel``): `mods = ~ 0 + <non-reference treatments>` with contrast coding, `random = ~ comp | study`
/// (and `~ comp | design`), struct CS with ρ (φ) fixed at ½.
public struct NetworkModel: Sendable {
    /// The heterogeneity model of a network.
    public enum Heterogeneity: String, CaseIterable, Sendable {
        /// No heterogeneity (equal effects; metafor's rma.mv without random effects).
        case commonEffect = "common"
        /// Consistency model with a common τ² (ρ = ½).
        case consistency = "consistency"
        /// Random-inconsistency model: τ² and an inconsistency variance γ² (ρ = φ = ½).
        case randomInconsistency = "inconsistency"
    }

    public let contrasts: NetworkContrasts
    /// The reference treatment (d = 0).
    public let reference: String
    /// Every treatment: the reference first, then the others sorted.
    public let treatments: [String]

    /// - Parameter reference: the reference treatment; nil = the first treatment in sorted order (as R's factor).
    /// - Throws: ``NetworkError`` for an unknown reference, fewer than two treatments, or a network that is not
    ///   connected.
    public init(contrasts: NetworkContrasts, reference: String? = nil) throws(NetworkError) {
        let sorted = contrasts.treatments
        guard sorted.count >= 2 else { throw .tooFewTreatments(sorted.count) }
        let ref = reference ?? sorted[0]
        guard sorted.contains(ref) else { throw .unknownReference(ref, treatments: sorted) }
        // Connectedness: every treatment reachable from the reference through the studies' comparisons.
        var neighbours: [String: Set<String>] = [:]
        for i in contrasts.effects.indices {
            neighbours[contrasts.firstTreatments[i], default: []].insert(contrasts.secondTreatments[i])
            neighbours[contrasts.secondTreatments[i], default: []].insert(contrasts.firstTreatments[i])
        }
        var reached: Set<String> = [ref], frontier = [ref]
        while let t = frontier.popLast() {
            for u in neighbours[t, default: []] where reached.insert(u).inserted { frontier.append(u) }
        }
        let unreached = sorted.filter { !reached.contains($0) }
        guard unreached.isEmpty else { throw .disconnected(treatments: unreached, reference: ref) }
        self.contrasts = contrasts
        self.reference = ref
        treatments = [ref] + sorted.filter { $0 != ref }
    }

    /// The non-reference treatments: the model's coefficients, in order.
    public var coefficientTreatments: [String] { Array(treatments.dropFirst()) }

    /// X: one column per non-reference treatment, +1 where it is a contrast's first treatment, −1 where second.
    public func designMatrix() throws -> DesignMatrix {
        let k = contrasts.effects.count
        let columns = coefficientTreatments.map { t in
            (name: t, values: (0..<k).map { i in
                (contrasts.firstTreatments[i] == t ? 1.0 : 0) - (contrasts.secondTreatments[i] == t ? 1.0 : 0)
            })
        }
        return try DesignMatrix(continuous: columns, intercept: false, studyCount: k)
    }

    /// Fits the network with ML or REML.
    /// - Throws: ``MultilevelModelError`` (a fit that fails, V not positive definite) or design errors.
    public func fit(heterogeneity: Heterogeneity = .consistency, method: TauSquaredEstimator = .restrictedMaximumLikelihood,
                    test: CoefficientTest = .z, dfs: MultilevelDegreesOfFreedom = .residual, level: Double = 0.95) throws -> NetworkFit {
        let design = try designMatrix()
        var terms: [CorrelatedRandomEffects] = []
        var fixed = MultilevelModel.FixedComponents()
        if heterogeneity != .commonEffect {
            terms.append(try CorrelatedRandomEffects(innerColumn: "comp", innerLabels: contrasts.comparisons, outerColumn: "study",
                                                     outerLabels: contrasts.studies, structure: .compoundSymmetry))
            fixed.rho = [0.5]
        }
        if heterogeneity == .randomInconsistency {
            terms.append(try CorrelatedRandomEffects(innerColumn: "comp", innerLabels: contrasts.comparisons, outerColumn: "design",
                                                     outerLabels: contrasts.designs, structure: .compoundSymmetry))
            fixed.phi = [0.5]
        }
        let model = try MultilevelModel(effects: contrasts.effects, samplingCovariance: contrasts.samplingCovariance,
                                        design: design, groupings: [], correlatedTerms: terms)
        let fit = try model.fit(method: method, test: test, dfs: dfs, level: level, fixed: fixed)
        return NetworkFit(fit: fit, heterogeneity: heterogeneity, reference: reference, treatments: treatments,
                          qDecomposition: try designDecomposition(total: fit.residualHeterogeneity))
    }

    /// The Q decomposition of the equal-effects network (Krahn, Binder & König 2013): Q within designs
    /// (heterogeneity: each design's contrasts around that design's own GLS estimates) and Q between designs
    /// (inconsistency: total − within, df = the network's residual df − the within-design df). `total` is
    /// e'V⁻¹e of the network's GLS residuals (metafor's QE, the same for every heterogeneity model).
    func designDecomposition(total: ChiSquareTest) throws -> NetworkFit.QDecomposition {
        let k = contrasts.effects.count
        let designs = contrasts.designs
        // Design-specific treatment effects: within each design, contrast coding against the design's first treatment.
        var columns: [(name: String, values: [Double])] = []
        for d in Set(designs).sorted() {
            let rows = (0..<k).filter { designs[$0] == d }
            let arms = Set(rows.flatMap { [contrasts.firstTreatments[$0], contrasts.secondTreatments[$0]] }).sorted()
            for t in arms.dropFirst() {
                columns.append((name: "\(d):\(t)", values: (0..<k).map { i in
                    guard designs[i] == d else { return 0 }
                    return (contrasts.firstTreatments[i] == t ? 1.0 : 0) - (contrasts.secondTreatments[i] == t ? 1.0 : 0)
                }))
            }
        }
        let within: ChiSquareTest
        if columns.count >= k {
            within = ChiSquareTest(statistic: 0, degreesOfFreedom: 0)   // one study per design: nothing varies within
        } else {
            let x = try DesignMatrix(continuous: columns, intercept: false, studyCount: k)
            within = try MultilevelModel(effects: contrasts.effects, samplingCovariance: contrasts.samplingCovariance,
                                         design: x, groupings: []).fit(method: .maximumLikelihood).residualHeterogeneity
        }
        let between = ChiSquareTest(statistic: max(total.statistic - within.statistic, 0),
                                    degreesOfFreedom: total.degreesOfFreedom - within.degreesOfFreedom)
        return NetworkFit.QDecomposition(total: total, withinDesigns: within, betweenDesigns: between)
    }
}
