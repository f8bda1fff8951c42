import ArgumentParser
import MetaAnalysis
import MetaReport

extension AsymmetryRegressionModel: ExpressibleByArgument {}
extension AsymmetryPredictor: ExpressibleByArgument {}
extension MissingStudiesEstimator: ExpressibleByArgument {}
extension FunnelSide: ExpressibleByArgument {}
extension FailSafeMethod: ExpressibleByArgument {}

/// `metaswift bias`: tests and adjustments for small-study effects and publication bias.
struct BiasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bias",
        abstract: "Funnel-plot asymmetry tests and publication-bias adjustments (metafor's regtest, ranktest, trimfill, fsn).",
        discussion: """
        Each reads --data as `pool` does and fits the same model first (REML with Knapp-Hartung by default; \
        --preset metafor for metafor's defaults). With fewer than 10 studies the output says these tests lack \
        power (Cochrane Handbook 13.3.5.4).
        """,
        subcommands: [EggerCommand.self, BeggCommand.self, TrimFillCommand.self, FailSafeCommand.self, PETPEESECommand.self]
    )
}

struct EggerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "egger", abstract: "Egger's regression test with the limit (PET) estimate (metafor's regtest).",
        aliases: ["regtest"])

    @OptionGroup var input: ResamplingModelOptions
    @Option(help: "rma (meta-regression with the model's tau^2 estimator and test) or lm (weighted least squares, t test).")
    var model: AsymmetryRegressionModel = .rma
    @Option(help: "Predictor: sei, vi, ni, ninv or sqrtninv (the last three need --ni).")
    var predictor: AsymmetryPredictor = .sei
    @Option(help: ArgumentHelp("Column of total sample sizes for the ni, ninv and sqrtninv predictors.", valueName: "COLUMN"))
    var ni: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let d = try StudyModelInput(input, extraOptions: [("model", model.rawValue), ("predictor", predictor.rawValue)])
        var sizes: [Double]?
        if predictor.needsSampleSizes {
            guard let ni else {
                throw InputError.invalidOption(name: "--ni", value: "", expected: "a sample-size column for the \(predictor.rawValue) predictor")
            }
            sizes = try d.column(ni, neededBy: "--ni", path: input.data)
        }
        let test = try EggerRegressionTest(model: d.model, regression: model, predictor: predictor, sampleSizes: sizes)
        try output.emit(test.report(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances,
                                    method: d.model.estimator, notes: d.notes, provenance: d.provenance))
    }
}

struct BeggCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "begg", abstract: "Begg and Mazumdar's rank correlation test (metafor's ranktest).", aliases: ["ranktest"])

    @OptionGroup var input: ResamplingModelOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let d = try StudyModelInput(input)
        let test = try RankCorrelationTest(model: d.model)
        try output.emit(test.report(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances,
                                    notes: d.notes, provenance: d.provenance))
    }
}

struct TrimFillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trimfill", abstract: "Duval and Tweedie's trim-and-fill (metafor's trimfill).")

    @OptionGroup var input: ResamplingModelOptions
    @Option(help: "Estimator of the number of missing studies: L0 or R0.")
    var estimator: MissingStudiesEstimator = .L0
    @Option(help: "Side with the missing studies: left or right (default: estimated from the funnel's asymmetry).")
    var side: FunnelSide?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let d = try StudyModelInput(input, extraOptions: [("estimator", estimator.rawValue), ("side", side?.rawValue ?? "auto")])
        let result = try TrimAndFill(model: d.model, estimator: estimator, side: side)
        try output.emit(result.report(original: d.model, notes: d.notes, provenance: d.provenance))
    }
}

struct FailSafeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failsafe", abstract: "Fail-safe N by Rosenthal, Orwin or Rosenberg (metafor's fsn).", aliases: ["fsn"])

    @OptionGroup var input: ResamplingModelOptions
    @Option(help: "Method: Rosenthal, Orwin or Rosenberg.")
    var type: FailSafeMethod = .rosenthal
    @Option(help: "Significance level.")
    var alpha: Double = 0.05
    @Option(help: "Orwin's target effect (default: half the mean effect).")
    var target: Double?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let d = try StudyModelInput(input, extraOptions: [("type", type.rawValue), ("alpha", CSVDocument.field(alpha))])
        let result = try FailSafeN(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances, method: type,
                                   alpha: alpha, target: target)
        try output.emit(result.report(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances,
                                      notes: d.notes, provenance: d.provenance))
    }
}

struct PETPEESECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petpeese", abstract: "PET, PEESE and the conditional PET-PEESE estimate (Stanley & Doucouliagos 2014).")

    @OptionGroup var input: ResamplingModelOptions
    @Option(help: "Two-sided level at which PET's intercept selects PEESE (0.10 = one-sided 5%).")
    var alpha: Double = 0.10
    @OptionGroup var output: OutputOptions

    func run() throws {
        let d = try StudyModelInput(input, extraOptions: [("alpha", CSVDocument.field(alpha))])
        let result = try PETPEESE(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances, alpha: alpha,
                                  level: d.model.options.level)
        try output.emit(result.report(notes: d.notes, provenance: d.provenance))
    }
}
