/// A subgroup analysis: a separate model in each level of a grouping column, and the tests for subgroup
/// differences (Borenstein, Hedges, Higgins & Rothstein 2009, ch. 19; Cochrane Handbook §10.11.3.1).
///
/// - With separate τ² (RevMan, meta): Q_between is Cochran's Q of the G subgroup estimates around their
///   inverse-variance mean, with the subgroup SEs as sampling SEs, referred to χ²(G − 1).
/// - With a common τ²: the omnibus QM of the meta-regression on the grouping factor (treatment contrasts),
///   fitted with the same estimator and test (Raudenbush 2009, section 16.4; metafor's `mods = ~ group`).
/// - The common-effect version of both: EE fits per subgroup and QM of the EE meta-regression, which is the
///   classical Q-between (= Q_total − Σ Q_within).
public struct SubgroupAnalysis: Sendable {
    /// One level of the grouping column with its separate fits.
    public struct Subgroup: Sendable {
        public let level: String
        /// Row indices (into the studies passed to `fit`) of this subgroup.
        public let rows: [Int]
        /// The model with the analysis' estimator and test.
        public let model: RandomEffectsModel
        /// The common-effect model with the analysis' test.
        public let commonEffectModel: RandomEffectsModel
    }

    /// The grouping column.
    public let groupColumn: String
    public let options: RandomEffectsOptions
    /// Levels in byte order (the first is the reference of the moderator models).
    public let levels: [String]
    public let subgroups: [Subgroup]
    /// The test with separate τ²: the common-effect model (z test) over the subgroup estimates; its Cochran Q
    /// is Q_between with G − 1 df.
    public let separateTauSquaredTest: RandomEffectsModel
    /// The meta-regression on the grouping factor with the analysis' estimator and test (common τ²).
    public let commonTauSquaredModel: MetaRegressionModel
    /// The common-effect meta-regression on the grouping factor with the analysis' test.
    public let commonEffectModel: MetaRegressionModel

    /// Fits every subgroup and the three tests.
    ///
    /// - Parameters:
    ///   - groups: the grouping label of each study.
    ///   - groupColumn: the grouping column's name; `factorName` (default: the same) prefixes the coefficient names
    ///     of the moderator models (`<factorName><level>`).
    /// - Throws: `MetaRegressionError.singleLevel` when all studies share one level; the errors of
    ///   `RandomEffectsModel.fit` and `MetaRegressionModel.fit`.
    public static func fit(effectSizes y: [Double], samplingVariances v: [Double], groups: [String], groupColumn: String,
                           factorName: String? = nil, studies: [String] = [],
                           options: RandomEffectsOptions = RandomEffectsOptions()) throws -> SubgroupAnalysis {
        precondition(y.count == v.count && groups.count == y.count, "one group label per study")
        let labels = studies.count == y.count ? studies : (0..<y.count).map { String($0 + 1) }
        let levels = DesignMatrix.sortedLevels(groups)
        guard levels.count >= 2 else { throw MetaRegressionError.singleLevel(column: groupColumn, level: levels.first ?? "") }
        // Before any fit: the common-τ² test fits one coefficient per subgroup (a level per study built k × k).
        guard levels.count < y.count, DesignMatrix.sizeIsAllowed(coefficients: levels.count, studies: y.count) else {
            throw MetaRegressionError.tooManySubgroups(column: groupColumn, levels: levels.count, studies: y.count)
        }
        var commonEffectOptions = options
        commonEffectOptions.estimator = .commonEffect

        let position = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        var rowsOf = [[Int]](repeating: [], count: levels.count)
        for (i, group) in groups.enumerated() { rowsOf[position[group]!].append(i) }
        let subgroups = try zip(levels, rowsOf).map { level, rows -> Subgroup in
            let ys = rows.map { y[$0] }, vs = rows.map { v[$0] }, names = rows.map { labels[$0] }
            return Subgroup(
                level: level, rows: rows,
                model: try RandomEffectsModel.fit(effectSizes: ys, samplingVariances: vs, studies: names, options: options),
                commonEffectModel: try RandomEffectsModel.fit(effectSizes: ys, samplingVariances: vs, studies: names,
                                                              options: commonEffectOptions))
        }
        let betweenOptions = RandomEffectsOptions(estimator: .commonEffect, test: .z, level: options.level, control: options.control)
        let separate = try RandomEffectsModel.fit(
            effectSizes: subgroups.map(\.model.estimate),
            samplingVariances: subgroups.map { $0.model.standardError * $0.model.standardError },
            studies: levels, options: betweenOptions)
        let design = try DesignMatrix(categorical: [(factorName ?? groupColumn, groups)])
        let common = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, studies: labels, options: options)
        let commonEffect = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, studies: labels,
                                                       options: commonEffectOptions)
        return SubgroupAnalysis(groupColumn: groupColumn, options: options, levels: levels, subgroups: subgroups,
                                separateTauSquaredTest: separate, commonTauSquaredModel: common, commonEffectModel: commonEffect)
    }

    /// Q_between of the test with separate τ² (Cochran's Q of the subgroup estimates).
    public var betweenGroupsQ: Double { separateTauSquaredTest.cochranQ ?? 0 }
    /// G − 1.
    public var betweenGroupsDegreesOfFreedom: Int { levels.count - 1 }
    /// P(χ²(G − 1) > Q_between).
    public var betweenGroupsPValue: Double { separateTauSquaredTest.cochranQPValue ?? 1 }
}
