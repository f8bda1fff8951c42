import MetaAnalysis
import MetaReport

/// An analysis the runner cannot perform yet.
struct NotImplemented: Error, CustomStringConvertible {
    let analysis: String
    var description: String { "analysis '\(analysis)' is not implemented yet" }
}

/// Runs one reference case through the library and renders the result with MetaReport's JSON, so the
/// comparison also pins the JSON field names the CLI prints.
enum CaseRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        switch c.analysis {
        case "escalc": return try EscalcRunner.run(c)
        case "rma.uni": return try RandomEffectsRunner.run(c)
        case "rma.uni.mods": return try MetaRegressionRunner.run(c)
        case "subgroup": return try SubgroupRunner.run(c)
        case "rma.mh": return try MantelHaenszelRunner.run(c)
        case "rma.peto": return try PetoRunner.run(c)
        case "rma.glmm": return try GLMMRunner.run(c)
        case "leave1out", "cumul", "influence", "baujat": return try DiagnosticsRunner.run(c)
        case "regtest", "ranktest", "trimfill", "fsn": return try PublicationBiasRunner.run(c)
        case "tes": return try ExcessSignificanceRunner.run(c)
        case "selmodel": return try SelectionModelRunner.run(c)
        case "hc":
            let model = try DiagnosticsRunner.model(c)
            return try HenmiCopasInterval(effectSizes: model.effectSizes, samplingVariances: model.samplingVariances,
                                          level: model.options.level).report(model: model).jsonValue()
        default: throw NotImplemented(analysis: c.analysis)
        }
    }
}
