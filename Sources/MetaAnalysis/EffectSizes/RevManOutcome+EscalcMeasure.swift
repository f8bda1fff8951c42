import MetaData

extension RevManOutcome {
    /// The escalc measure that computes RevMan's per-study effects from the columns of `table()`, when there is one:
    /// OR, RR, RD (PETO under the Peto method), MD, SMD; GEN for generic inverse variance. (RevMan's SMD is Hedges'
    /// g with its own variance approximation, which differs slightly from escalc's.)
    public var escalcMeasure: EffectMeasure? {
        switch dataType {
        case .genericInverseVariance: return .generic
        case .dichotomous:
            if settings.method == .peto { return .petoLogOddsRatio }
            switch settings.effectMeasure.uppercased() {
            case "OR": return .logOddsRatio
            case "RR": return .logRiskRatio
            case "RD": return .riskDifference
            case "PETO_OR": return .petoLogOddsRatio
            default: return nil
            }
        case .continuous:
            switch settings.effectMeasure.uppercased() {
            case "MD": return .meanDifference
            case "SMD": return .standardizedMeanDifference
            default: return nil
            }
        }
    }
}
