import ArgumentParser
import MetaAnalysis

/// `--robust COLUMN` and `--small-sample CR0|CR1|CR2`: cluster-robust inference for `metaswift pool`.
struct RobustOptions: ParsableArguments {
    @Option(name: .customLong("robust"),
            help: ArgumentHelp("Cluster-robust (sandwich) tests and CIs, clustering the effects by COLUMN (e.g. study), as metafor's robust().", valueName: "COLUMN"))
    var cluster: String?

    @Option(name: .customLong("small-sample"),
            help: ArgumentHelp("Small-sample correction with --robust: CR1 (default; metafor's adjust=TRUE), CR0 (none) or CR2 (clubSandwich: bias-reduced, Satterthwaite df, HTZ test).", valueName: "CR"))
    var correction: SmallSampleCorrection?

    func validate() throws {
        if correction != nil && cluster == nil { throw ValidationError("--small-sample needs --robust COLUMN.") }
    }

    var isRequested: Bool { cluster != nil }
}

extension SmallSampleCorrection: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
extension ClusterRobustError: UserFacingError {}
