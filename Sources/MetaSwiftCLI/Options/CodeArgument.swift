import ArgumentParser
import MetaAnalysis
import MetaReport
import TRDReview

/// Option values are the field's codes (`REML`, `RR`, `knha`), read case-insensitively: `reml` is REML and `rr`
/// is RR. No two codes of one vocabulary differ only in case (a test checks every vocabulary); were they to, the
/// exact spelling would be required.
protocol CaseInsensitiveArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension CaseInsensitiveArgument {
    /// The case whose code is `argument`, or the only one equal to it ignoring case.
    static func matching(_ argument: String) -> Self? { matchingCode(argument) }
}

extension EffectMeasure: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension ContinuityCorrectionScope: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension VarianceType: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension OutputFormat: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension RateOutcome: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension RateGrouping: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension RateModel: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension ForestPlotTransform: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension GLMMModel: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension CoefficientTest: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension PredictionIntervalDistribution: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension AsymmetryRegressionModel: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension AsymmetryPredictor: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension MissingStudiesEstimator: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension FunnelSide: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension FailSafeMethod: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension FailSafePool: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension BootstrapType: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension ModelPreset: CaseInsensitiveArgument { init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
/// `--tau2-ci`'s codes: the intervals besides the default (Q-profile, or generalized Q-profile for GENQ/GENQM), which
/// every fit reports anyway and the option therefore does not take.
extension HeterogeneityConfidenceIntervals.Method: CaseInsensitiveArgument {
    static let extraIntervals: [Self] = allCases.filter { $0 != .qProfile && $0 != .generalizedQProfile }

    public init?(argument: String) {
        guard let v = Self.matching(argument), Self.extraIntervals.contains(v) else { return nil }
        self = v
    }

    public static var allValueStrings: [String] { extraIntervals.map(\.rawValue) }
}

extension TauSquaredEstimator: CaseInsensitiveArgument {
    /// metafor's codes, FE and CE for EE, any case.
    public init?(argument: String) {
        if let exact = Self(code: argument) { self = exact; return }
        guard let folded = Self.matching(argument) ?? Self(code: argument.uppercased()) else { return nil }
        self = folded
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
extension ForestPlotOrder: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension MultilevelDegreesOfFreedom: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension NetworkModel.Heterogeneity: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension CovarianceStructure: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
