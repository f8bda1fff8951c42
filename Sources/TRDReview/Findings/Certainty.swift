import MetaAnalysis

/// The GRADE certainty of a key finding, with the domains that lowered it (Guyatt et al. 2011, J Clin Epidemiol
/// 64:383–394 and the series it opens). The rules are fixed and stated in the report (`KeyFindings.gradeRules`):
/// the level is computed from the data, never typed in.
public struct Certainty: Sendable, Equatable {
    public enum Level: Int, CaseIterable, Sendable, Comparable {
        case veryLow = 1, low, moderate, high

        public var displayName: String {
            switch self {
            case .veryLow: return "very low"
            case .low: return "low"
            case .moderate: return "moderate"
            case .high: return "high"
            }
        }

        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// One GRADE domain: how many levels it lowered the certainty (0–2) and why.
    public struct Domain: Sendable, Equatable {
        public enum Name: String, CaseIterable, Sendable {
            case riskOfBias = "risk of bias"
            case inconsistency
            case imprecision
            case indirectness
        }

        public var name: Name
        public var downgrade: Int
        public var reason: String
    }

    /// Randomised comparisons start high; single-arm rates and non-randomised comparisons start low.
    public var start: Level
    public var domains: [Domain]

    public var level: Level {
        Level(rawValue: max(Level.veryLow.rawValue, start.rawValue - domains.reduce(0) { $0 + $1.downgrade }))!
    }

    /// "low (risk of bias −1: open-label; imprecision −1: CI includes no effect)".
    public var description: String {
        let lowered = domains.filter { $0.downgrade > 0 }.map { "\($0.name.rawValue) -\($0.downgrade): \($0.reason)" }
        let kept = domains.filter { $0.downgrade == 0 && !$0.reason.isEmpty }.map { "\($0.name.rawValue): \($0.reason)" }
        let parts = lowered + kept
        return level.displayName + " (start \(start.displayName)" + (parts.isEmpty ? ")" : "; " + parts.joined(separator: "; ") + ")")
    }
}
