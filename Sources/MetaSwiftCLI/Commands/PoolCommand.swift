import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import MetaAnalysis
import MetaReport

extension TauSquaredEstimator: ExpressibleByArgument {
    public init?(argument: String) { self.init(code: argument) }
}
extension CoefficientTest: ExpressibleByArgument {}

/// Named sets of defaults (`--preset`).
enum ModelPreset: String, CaseIterable, ExpressibleByArgument {
    /// Current guidance (DESIGN.md §3): REML, Knapp–Hartung.
    case guidance
    /// metafor's `rma()` defaults: REML, z test.
    case metafor
}

/// Extra heterogeneity intervals (`--tau2-ci`).
enum ExtraInterval: String, CaseIterable, ExpressibleByArgument {
    /// Profile likelihood (ML/REML).
    case PL
    /// Biggerstaff–Jackson (exact distribution of the DL Q).
    case BJ
}

/// `metaswift pool` (alias `rma`): a common-effect or random-effects model without moderators, as metafor's
/// `rma()`, `predict()` and `confint()` give it. Parses, reads data, calls the library, renders.
struct PoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Pool effect sizes with a common-effect or random-effects model (metafor's rma, predict, confint).",
        discussion: """
        Defaults follow current guidance: REML tau^2, Knapp-Hartung test and CI, a prediction interval, Q-profile \
        CIs for tau^2, I^2 and H^2. --preset metafor gives metafor's defaults (REML, z test). The output names every \
        choice made. Methods: \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: " ")) (FE and CE are \
        accepted for EE); GENQ and GENQM need --weights COLUMN.
        """,
        aliases: ["rma"]
    )

    @Option(help: ArgumentHelp("CSV file with one row per study.", valueName: "FILE"))
    var data: String

    @OptionGroup var effectSize: EffectSizeOptions

    @Option(help: ArgumentHelp("tau^2 estimator: \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: ", ")) (default REML); or MH, PETO, GLMM for sparse binary data.", valueName: "METHOD"))
    var method: PoolMethod?

    @Option(name: .customLong("model"), help: "GLMM model: UM.FS (default) or CM.EL.")
    var glmmModel: GLMMModel?

    @Option(name: .customLong("quadrature-points"), help: "GLMM adaptive Gauss-Hermite points (default 7 for UM.FS, 41 for CM.EL; 1 = Laplace).")
    var quadraturePoints: Int?

    @Flag(name: .customLong("no-correct"), help: "MH: no continuity correction in the Cochran-Mantel-Haenszel test.")
    var noContinuityCorrection = false

    @Option(help: ArgumentHelp("Test and CI for the pooled estimate: z, t, knha, adhoc (default knha; z with --preset metafor).", valueName: "TEST"))
    var test: CoefficientTest?

    @Option(help: ArgumentHelp("Column of user weights (needed by GENQ and GENQM).", valueName: "COLUMN"))
    var weights: String?

    @Option(help: "Defaults to start from: guidance (REML, knha) or metafor (REML, z).")
    var preset: ModelPreset = .guidance

    @Option(name: .customLong("tau2-ci"), parsing: .singleValue,
            help: "Also report this heterogeneity CI: PL (profile likelihood) or BJ (Biggerstaff-Jackson); repeatable.")
    var extraIntervals: [ExtraInterval] = []

    @OptionGroup var moderatorOptions: ModeratorOptions

    @OptionGroup var output: OutputOptions

    /// The model options: explicit flags over the preset's defaults.
    var modelOptions: RandomEffectsOptions {
        var options = preset == .metafor ? RandomEffectsOptions.metafor : RandomEffectsOptions()
        if let estimator = method?.estimator { options.estimator = estimator }
        if let test { options.test = test }
        options.level = effectSize.level
        return options
    }

    func run() throws {
        if let method, method.estimator == nil { return try runSparseMethod(method) }
        let (table, sizes) = try effectSize.effectSizes(dataPath: data)
        let options = modelOptions
        var notes = sizes.diagnostics.map(\.description)
        let rows = sizes.availableIndices
        for row in sizes.yi.indices where !rows.contains(row) {
            notes.append(ModelDiagnostic.studyOmitted(study: sizes.studies[row], row: row + 1).description)
        }
        var userWeights: [Double]?
        if let weights {
            do {
                let all = try table.numbers(weights, neededBy: "--weights")
                userWeights = rows.map { all[$0] }
            } catch {
                throw DataFileError.input(path: data, error)
            }
        }
        if moderatorOptions.isRequested {
            return try runModeratorAnalysis(table: table, sizes: sizes, rows: rows, notes: notes, userWeights: userWeights, options: options)
        }
        let model = try RandomEffectsModel.fit(
            effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] },
            studies: rows.map { sizes.studies[$0] }, userWeights: userWeights, options: options)

        var harmonicMeanN: Double?
        if sizes.measure == .freemanTukeyProportion {
            let n = try table.numbers(try effectSize.columns()[.ni] ?? "ni", neededBy: "the Freeman-Tukey back-transformation")
            harmonicMeanN = Double(n.count) / n.reduce(0) { $0 + 1 / $1 }
        }
        // metafor's confint stops its root search at uniroot's default tolerance (2^-13 on tau^2); the preset
        // reproduces those bounds exactly, the guidance defaults converge them to 1e-13.
        let loose = HeterogeneityIntervalOptions.metaforUnirootTolerance
        let intervalOptions = preset == .metafor
            ? HeterogeneityIntervalOptions(tolerance: loose, generalizedTolerance: loose) : HeterogeneityIntervalOptions()
        let intervals = try model.heterogeneityConfidenceIntervals(options: intervalOptions)
        let qProfile = options.estimator.needsUserWeights
            ? try model.heterogeneityConfidenceIntervals(method: .qProfile, options: intervalOptions) : nil
        var extras: [HeterogeneityConfidenceIntervals] = []
        for extra in extraIntervals {
            let method: HeterogeneityConfidenceIntervals.Method = extra == .PL ? .profileLikelihood : .biggerstaffJackson
            if let i = try model.heterogeneityConfidenceIntervals(method: method, options: intervalOptions) { extras.append(i) }
        }
        let provenance = Provenance(
            toolVersion: MetaSwiftCommand.version,
            commandLine: ["metaswift"] + CommandLine.arguments.dropFirst(),
            options: [
                ("measure", sizes.measure.rawValue), ("method", options.estimator.rawValue), ("test", options.test.rawValue),
                ("level", CSVDocument.field(options.level)), ("preset", preset.rawValue), ("weights", weights ?? "none"),
                ("add", CSVDocument.field(effectSize.add)), ("to", effectSize.to.rawValue), ("drop00", String(effectSize.drop00)),
                ("tau2_tolerance", CSVDocument.field(options.control.tolerance)),
                ("confint_tolerance", CSVDocument.field(intervalOptions.tolerance)),
            ],
            inputPath: data, inputSHA256: try fileSHA256(data))
        let report = RandomEffectsReport(
            model: model, measureCode: sizes.measure.rawValue,
            backTransformation: sizes.measure.backTransformation(harmonicMeanSampleSize: harmonicMeanN),
            intervals: intervals, qProfileIntervals: qProfile, extraIntervals: extras,
            includesStudyValues: true, inputNotes: notes, provenance: provenance)
        switch output.format {
        case .json: try output.emit(report.jsonValue().serialized() + "\n")
        case .csv: try output.emit(report.csvDocument().serialized())
        case .table: try output.emit(report.textReport())
        }
    }
}

extension EstimationError: UserFacingError {}

/// SHA-256 of a file's bytes, for provenance.
func fileSHA256(_ path: String) throws(DataFileError) -> String {
    guard let file = fopen(path, "rb") else { throw DataFileError.unreadable(path: path, reason: String(cString: strerror(errno))) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n <= 0 { break }
        bytes += buffer.prefix(n)
    }
    return SHA256.hexDigest(bytes)
}
