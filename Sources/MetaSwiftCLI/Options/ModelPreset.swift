import MetaAnalysis

/// Named sets of defaults (`--preset`): MetaSwift's guidance, metafor's defaults, and other tools' conventions
/// (meta 8.3's `settings.meta()` names, Cochrane/RevMan 2025, Stata), whose choices live in the library's
/// `ToolConventions`.
enum ModelPreset: String, CaseIterable {
    /// Current guidance (DESIGN.md §3): REML, Knapp–Hartung.
    case guidance
    /// metafor's `rma()` defaults: REML, z test.
    case metafor
    case meta, revman5, iqwig5, iqwig6, jama, bmj, ivhet, meta4, meta7, geneexpr, cochrane, stata

    /// Another tool's conventions (nil for guidance and metafor).
    var conventions: ToolConventions? {
        ToolConventions.all.first { $0.name == rawValue }
    }

    /// One line per preset for `pool --help`: name and conventions.
    static var helpLines: String {
        let lines = [("guidance", "REML tau^2, Knapp-Hartung CI, PI with the test's quantile (the default)"),
                     ("metafor", "REML tau^2, z CI, PI with the z quantile (metafor's rma defaults)")]
            + ToolConventions.all.map { ($0.name, $0.summary) }
        return lines.map { "  " + $0.0 + String(repeating: " ", count: max(1, 10 - $0.0.count)) + $0.1 }.joined(separator: "\n")
    }
}

extension ToolConventions {
    /// The nearest plain random-effects options (τ² estimator, test, PI quantile), for the commands other than `pool`
    /// (which applies every convention).
    var randomEffectsOptions: RandomEffectsOptions {
        RandomEffectsOptions(estimator: estimator, test: randomEffectsInterval == .classic ? .z : .knha,
                             predictionInterval: predictionQuantile == .tWithKMinus1 ? .t : .riley)
    }
}
