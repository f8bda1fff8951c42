import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import MetaData
import MetaAnalysis
import MetaReport


/// `metaswift pool` (alias `rma`): a common-effect or random-effects model without moderators, as metafor's
/// `rma()`, `predict()` and `confint()` give it. Parses, reads data, calls the library, renders.
struct PoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Pool effect sizes with a common-effect or random-effects model (metafor's rma, predict, confint).",
        discussion: """
        Defaults follow current guidance: REML tau^2, Knapp-Hartung test and CI, a prediction interval, Q-profile \
        CIs for tau^2, I^2 and H^2. --preset metafor gives metafor's defaults (REML, z test); the other presets \
        reproduce another tool's conventions, and explicit flags (--method, --test, --pi) override a preset's. \
        The output names the preset and every choice made. Methods: \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: " ")) (FE and CE are \
        accepted for EE); GENQ and GENQM need --weights COLUMN.

        Presets (--preset NAME):
        \(ModelPreset.helpLines)
        """,
        aliases: ["rma"]
    )

    @OptionGroup var input: ModelInputOptions

    @Option(help: ArgumentHelp("tau^2 estimator: \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: ", ")) (default REML); or MH, PETO, GLMM for sparse binary data.", valueName: "METHOD"))
    var method: PoolMethod?

    @Option(name: .customLong("model"), help: "GLMM model: UM.FS (default), CM.EL or CM.AL (conditional, approximate likelihood).")
    var glmmModel: GLMMModel?

    @Option(name: .customLong("glmm-method"), help: ArgumentHelp("GLMM estimation: ML (default; random effects) or EE (equal effects, tau^2 = 0).", valueName: "METHOD"))
    var glmmMethod: GLMMMethodArgument?
    var glmmEstimator: TauSquaredEstimator? { glmmMethod?.estimator }

    @Option(name: .customLong("quadrature-points"), help: "GLMM adaptive Gauss-Hermite points (default 7 for UM.FS, 41 for CM.EL; 1 = Laplace).")
    var quadraturePoints: Int?

    @Flag(name: .customLong("no-correct"), help: "MH: no continuity correction in the Cochran-Mantel-Haenszel test.")
    var noContinuityCorrection = false

    @OptionGroup var intervals: IntervalOptions
    var extraIntervals: [HeterogeneityConfidenceIntervals.Method] { intervals.extraIntervals }
    var predictionInterval: PredictionIntervalDistribution? { intervals.predictionInterval }

    @Option(name: .customLong("tau2"),
            help: ArgumentHelp("Fix tau^2 at this value (>= 0) instead of estimating it (metafor's tau2 = VALUE); no tau^2 CI then.", valueName: "VALUE"))
    var fixedTauSquared: Double?

    @Flag(help: "Unweighted estimation (metafor's weighted = FALSE): tau^2 as usual, then the plain mean with Var = sum(vi + tau^2)/k^2.")
    var unweighted = false

    @Option(name: .customLong("tau2-init"),
            help: ArgumentHelp("SJ/SJIT: the a-priori tau^2 (> 0) instead of var(yi)(k-1)/k (metafor's control tau2.init).", valueName: "VALUE"))
    var initialTauSquared: Double?

    @OptionGroup var moderatorOptions: ModeratorOptions

    @OptionGroup var multilevel: MultilevelOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var robust: RobustOptions

    var data: String { input.data }
    var effectSize: EffectSizeOptions { input.effectSize }

    /// The model options: explicit flags over the preset's defaults.
    var modelOptions: RandomEffectsOptions {
        var options = input.modelOptions(estimator: method?.estimator)
        if let predictionInterval { options.predictionInterval = predictionInterval }
        options.fixedTauSquared = fixedTauSquared
        options.weighted = !unweighted
        options.control.initialTauSquared = initialTauSquared
        return options
    }

    /// Provenance options of a random-effects fit: the shared ones and the prediction interval's distribution.
    func provenanceOptions(measure: String, options: RandomEffectsOptions) -> [(String, String)] {
        input.poolProvenanceOptions(measure: measure, options: options)
            + (robust.cluster.map { [("robust", $0), ("small_sample", (robust.correction ?? .cr1).rawValue)] } ?? [])
    }

    /// The flags only the intercept-only random-effects fit honours, as typed on the command line.
    var interceptOnlyFlags: [String] {
        (fixedTauSquared == nil ? [] : ["--tau2"]) + (unweighted ? ["--unweighted"] : []) + (initialTauSquared == nil ? [] : ["--tau2-init"])
    }

    func run() throws {
        if let quadraturePoints {
            // Checked before the data are read: out of range it crashed (0, -3) or asked for 80 GB (100000).
            guard method == .glmm else {
                throw InputError.invalidOption(name: "--quadrature-points", value: String(quadraturePoints), expected: "--method GLMM (it sets the GLMM's quadrature)")
            }
            try GLMMOptions(quadraturePoints: quadraturePoints).validate()
        }
        if let glmmEstimator {
            guard method == .glmm else {
                throw InputError.invalidOption(name: "--glmm-method", value: glmmEstimator.rawValue, expected: "--method GLMM (it sets the GLMM's estimation)")
            }
            try GLMMOptions(estimator: glmmEstimator).validate()
        }
        if !interceptOnlyFlags.isEmpty {
            if let method, method.estimator == nil {
                let name = method == .mantelHaenszel ? "MH" : method == .peto ? "PETO" : "GLMM"
                throw ValidationError("\(interceptOnlyFlags.joined(separator: ", ")) apply to a random-effects fit, not to --method \(name).")
            }
            if moderatorOptions.isRequested {
                throw ValidationError("\(interceptOnlyFlags.joined(separator: ", ")) are not implemented with moderators or subgroups yet; drop them or the moderators.")
            }
        }
        try refuseIgnoredOptions()
        if let conventions = input.preset.conventions {
            var other: [String] = []
            if method == .peto { other.append("--method PETO") }
            if method == .glmm && effectSize.measure != .logitProportion {
                other.append("--method GLMM for --measure \(effectSize.measure.rawValue)")
            }
            if glmmModel != nil || quadraturePoints != nil || glmmEstimator != nil { other.append("--model/--glmm-method/--quadrature-points") }
            if effectSize.to != .onlyZero { other.append("--to") }
            if effectSize.drop00Choice != nil { other.append("--drop00") }
            if effectSize.vtype != .largeSample { other.append("--vtype") }
            if moderatorOptions.isRequested { other.append("moderators/subgroups") }
            if multilevel.isRequested { other.append("--random") }
            if robust.cluster != nil { other.append("--robust") }
            other += interceptOnlyFlags + extraIntervals.map { "--tau2-ci \($0.rawValue)" }
            if input.weights != nil { other.append("--weights") }
            guard other.isEmpty else {
                throw ValidationError("--preset \(conventions.name) applies to pooling without moderators (inverse variance, --method MH, or --method GLMM with PLO); it does not combine with \(other.joined(separator: ", ")) yet (use --preset guidance or metafor).")
            }
            return try runWithConventions(conventions, input: try input.studyInput())
        }
        if let method, method.estimator == nil { return try runSparseMethod(method) }
        let d = try input.studyInput()
        if multilevel.isRequested { return try runMultilevel(d) }
        let options = modelOptions
        if moderatorOptions.isRequested { return try runModeratorAnalysis(d, options: options) }
        let analysis = try input.pooled(d, options: options, intervals: true, extraIntervals: extraIntervals)
        let provenance = input.provenance(
            provenanceOptions(measure: d.measure.rawValue, options: options)
                + [("confint_tolerance", NumberFormat.shortest(input.intervalOptions.tolerance))], file: d.file)
        let report = RandomEffectsReport(analysis, measureCode: d.measure.rawValue, provenance: provenance)
        try emit(report, model: analysis.model, modelSummary: RandomEffectsReport.metaforHeterogeneity(analysis.model),
                 input: d, notes: analysis.inputNotes + analysis.model.diagnostics.map(\.description))
    }
}

extension PoolCommand {
    /// Options that the chosen path would ignore are refused (issue 16: they were dropped while provenance recorded them).
    func refuseIgnoredOptions() throws {
        if let glmmModel, method != .glmm {
            throw InputError.invalidOption(name: "--model", value: glmmModel.rawValue, expected: "--method GLMM (it chooses the GLMM's model)")
        }
        if let method, method.estimator == nil {
            let name = method == .mantelHaenszel ? "MH" : method == .peto ? "PETO" : "GLMM"
            if moderatorOptions.isRequested {
                let flag = moderatorOptions.mods != nil ? "--mods" : "--subgroup"
                let value = moderatorOptions.mods ?? moderatorOptions.subgroup ?? ""
                throw InputError.invalidOption(name: flag, value: value, expected: method == .glmm
                    ? "no moderators with --method GLMM (its meta-regression is not implemented yet; use a tau^2 method)"
                    : "no moderators with --method \(name) (a common-effect method without meta-regression, as metafor's rma.\(name.lowercased())); use a tau^2 method")
            }
            let ignored = (input.weights == nil ? [] : ["--weights"]) + (input.test == nil ? [] : ["--test"])
                + (extraIntervals.isEmpty ? [] : ["--tau2-ci"]) + (predictionInterval == nil ? [] : ["--pi"])
                + (multilevel.isRequested ? ["--random"] : [])
            if let first = ignored.first {
                throw OptionConflictError("\(ignored.joined(separator: ", ")) \(ignored.count == 1 ? "applies" : "apply") to the inverse-variance models of the tau^2 methods, not to --method \(name); drop \(ignored.count == 1 ? first : "them").")
            }
        }
        if let weights = input.weights, unweighted {
            throw OptionConflictError("--weights \(weights) and --unweighted contradict each other (user weights define a weighted estimate); drop one.")
        }
        if let weights = input.weights, multilevel.isRequested || robust.isRequested {
            throw InputError.invalidOption(name: "--weights", value: weights, expected: "no user weights with \(multilevel.isRequested ? "--random" : "--robust") (not implemented there yet; they would be ignored)")
        }
        // With --random, runMultilevel takes --tau2-ci PL (the variance components' profile CIs) and refuses the rest.
        if !extraIntervals.isEmpty && moderatorOptions.isRequested && !multilevel.isRequested {
            throw OptionConflictError("--tau2-ci applies to the model without moderators; drop it or the \(moderatorOptions.mods != nil ? "--mods" : "--subgroup").")
        }
    }
}

extension EstimationError: UserFacingError {}

/// `--glmm-method`: the two estimators `rma.glmm` offers.
enum GLMMMethodArgument: String, CaseIterable, ExpressibleByArgument {
    case ML, EE
    var estimator: TauSquaredEstimator { self == .EE ? .commonEffect : .maximumLikelihood }
}
