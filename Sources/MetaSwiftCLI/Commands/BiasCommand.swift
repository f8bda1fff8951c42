import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// `metaswift bias`: tests and adjustments for small-study effects and publication bias.
struct BiasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bias",
        abstract: "Funnel-plot asymmetry tests and publication-bias adjustments (metafor's regtest, ranktest, trimfill, fsn, tes, hc, selmodel).",
        discussion: """
        Each reads --data as `pool` does and fits the same model first (REML with Knapp-Hartung by default; \
        --preset metafor for metafor's defaults). With fewer than 10 studies the output says these tests lack \
        power (Cochrane Handbook 13.3.5.4).
        """,
        subcommands: [EggerCommand.self, BeggCommand.self, TrimFillCommand.self, FailSafeCommand.self, PETPEESECommand.self,
                      ExcessSignificanceCommand.self, HenmiCopasCommand.self, SelectionModelCommand.self]
    )
}

struct EggerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "egger", abstract: "Egger's regression test with the limit (PET) estimate (metafor's regtest).",
        aliases: ["regtest"])

    @OptionGroup var input: ResamplingModelOptions
    @Option(help: "rma (meta-regression with the model's tau^2 estimator and test) or lm (weighted least squares, t test).")
    var model: AsymmetryRegressionModel = .rma
    @Option(help: "Predictor: sei, vi, ni, ninv or sqrtninv (the last three use total sample sizes).")
    var predictor: AsymmetryPredictor = .sei
    @Option(help: ArgumentHelp("Column of total sample sizes for the ni, ninv and sqrtninv predictors (default: n1i + n2i, ai + bi + ci + di, or ni of the data, as escalc records them).",
                               valueName: "COLUMN"))
    var ni: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let d = try StudyModelInput(input, extraOptions: [("model", model.rawValue), ("predictor", predictor.rawValue)])
        var sizes: [Double]?
        if predictor.needsSampleSizes {
            sizes = try ni.map { try d.column($0, neededBy: "--ni", path: input.data) } ?? escalcSampleSizes(d)
        }
        let test = try EggerRegressionTest(model: d.model, regression: model, predictor: predictor, sampleSizes: sizes)
        try output.emit(test.report(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances,
                                    method: d.model.estimator, backTransformation: d.backTransformation, notes: d.notes,
                                    provenance: d.provenance))
    }
}

extension EggerCommand {
    /// The total sample sizes escalc records with the effect sizes (the library's `totalSampleSizes`), for the
    /// model's studies.
    private func escalcSampleSizes(_ d: StudyModelInput) throws -> [Double] {
        let mapped = try input.effectSize.columns()
        let sizes: [Double]?
        do {
            sizes = try predictor.totalSampleSizes(in: d.table, columns: mapped)
        } catch {
            throw DataFileError.input(path: input.data, error)
        }
        guard let sizes else {
            throw InputError.invalidOption(name: "--ni", value: "",
                                           expected: "a sample-size column for the \(predictor.rawValue) predictor (the data has no n1i and n2i, ai to di, or ni columns to take it from)")
        }
        return d.rows.map { sizes[$0] }
    }
}

/// How the rank correlation test gets its p-value (`--exact` / `--approximate`).
enum RankTestPValue: String, EnumerableFlag {
    case exact, approximate
}

struct BeggCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "begg", abstract: "Begg and Mazumdar's rank correlation test (metafor's ranktest).", aliases: ["ranktest"])

    @OptionGroup var input: ResamplingModelOptions
    @Flag(help: "p-value: --exact (the exact null distribution of Kendall's S when there are no ties; metafor's default) or --approximate (normal approximation).")
    var pValue: RankTestPValue = .exact
    @OptionGroup var output: OutputOptions

    func run() throws {
        let d = try StudyModelInput(input, extraOptions: [("exact", pValue == .exact ? "true" : "false")])
        let test = try RankCorrelationTest(model: d.model, exact: pValue == .exact)
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
        try output.emit(result.report(original: d.model, backTransformation: d.backTransformation, notes: d.notes,
                                      provenance: d.provenance))
    }
}

struct FailSafeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failsafe", abstract: "Fail-safe N by Rosenthal, Orwin, Rosenberg, the binomial (sign-test) or the general (random-effects) method (metafor's fsn).", aliases: ["fsn"])

    @OptionGroup var input: ResamplingModelOptions
    @Option(help: "Method: Rosenthal, Orwin, Rosenberg, Binomial or General (null studies added to the random-effects model of --method, z test).")
    var type: FailSafeMethod = .rosenthal
    @Option(help: "Significance level.")
    var alpha: Double = 0.05
    @Option(help: "Target effect: Orwin's (default: half the mean effect) or General's (default: none, the p-value criterion).")
    var target: Double?
    @Flag(inversion: .prefixedNo, help: "Orwin: inverse-variance weighted mean effect (metafor's default); --no-weighted for the plain mean.")
    var weighted = true
    @Option(help: "Rosenthal: pool the p-values by Stouffer (default) or Fisher.")
    var pool: FailSafePool = .stouffer
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let target {
            // `--target nan` was accepted, and a target with another method was ignored.
            guard target.isFinite else { throw InputError.invalidOption(name: "--target", value: "\(target)", expected: "a finite target effect") }
            guard type == .orwin || type == .general else {
                throw InputError.invalidOption(name: "--target", value: "\(target)", expected: "--type Orwin or General (the only fail-safe N with a target effect)")
            }
        }
        if pool != .stouffer, type != .rosenthal {
            throw InputError.invalidOption(name: "--pool", value: pool.rawValue, expected: "--type Rosenthal (the only fail-safe N that pools p-values)")
        }
    }

    func run() throws {
        var extra = [("type", type.rawValue), ("alpha", NumberFormat.shortest(alpha))]
        if type == .orwin { extra.append(("weighted", weighted ? "true" : "false")) }
        if pool == .fisher { extra.append(("pool", pool.rawValue)) }
        let d = try StudyModelInput(input, extraOptions: extra)
        let result = try FailSafeN(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances, method: type,
                                   alpha: alpha, target: target, weighted: weighted, pool: pool, estimator: d.model.estimator)
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
        let d = try StudyModelInput(input, extraOptions: [("alpha", NumberFormat.shortest(alpha))])
        let result = try PETPEESE(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances, alpha: alpha,
                                  level: d.model.options.level)
        try output.emit(result.report(backTransformation: d.backTransformation, notes: d.notes, provenance: d.provenance))
    }
}

extension TestAlternative: ExpressibleByArgument {}
extension ExcessSignificanceTest.Method: ExpressibleByArgument {}

struct ExcessSignificanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tes", abstract: "Test of excess significance (Ioannidis & Trikalinos 2007; metafor's tes).")

    @OptionGroup var input: ResamplingModelOptions
    @Option(help: "The common effect at which each study's power is computed (default: the inverse-variance weighted mean).")
    var theta: Double?
    @Flag(help: "Use the fitted model's estimate and tau^2 as theta and the spread of the true effects (metafor's tes(res)).")
    var modelTheta = false
    @Option(name: .customLong("h0"), help: "The null value of the studies' own tests.")
    var nullValue: Double = 0
    @Option(help: "The studies' own tests: two.sided, greater or less.")
    var alternative: TestAlternative = .twoSided
    @Option(help: "The studies' significance level.")
    var alpha: Double = 0.05
    @Option(name: .customLong("tes-test"), help: "The test of excess significance: auto (exact if it sums at most 1e6 subsets, else chi2), exact, chi2 or binom.")
    var test: ExcessSignificanceTest.Method = .automatic
    @Option(name: .customLong("tes-alternative"), help: "The test of excess significance: greater (default), two.sided or less.")
    var testAlternative: TestAlternative = .greater
    @Option(name: .customLong("tes-alpha"), help: "Its level, which also defines the limit estimate theta_lim.")
    var testAlpha: Double = 0.10
    @OptionGroup var output: OutputOptions

    func run() throws {
        if modelTheta, let theta {
            throw InputError.invalidOption(name: "--theta", value: NumberFormat.shortest(theta), expected: "no value together with --model-theta")
        }
        for (name, level) in [("--alpha", alpha), ("--tes-alpha", testAlpha)] where !(level > 0 && level < 1) {
            throw InputError.invalidOption(name: name, value: NumberFormat.shortest(level), expected: "a significance level between 0 and 1")
        }
        let d = try StudyModelInput(input, extraOptions: [("theta", modelTheta ? "model" : theta.map(NumberFormat.shortest) ?? "EE"),
                                                          ("alternative", alternative.rawValue), ("alpha", NumberFormat.shortest(alpha)),
                                                          ("test", test.rawValue), ("tes_alternative", testAlternative.rawValue),
                                                          ("tes_alpha", NumberFormat.shortest(testAlpha))])
        let result = try ExcessSignificanceTest(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances,
                                                theta: modelTheta ? d.model.estimate : theta,
                                                tauSquared: modelTheta ? d.model.tauSquared : 0, nullValue: nullValue,
                                                alternative: alternative, alpha: alpha, method: test,
                                                testAlternative: testAlternative, testAlpha: testAlpha)
        try output.emit(result.report(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances,
                                      notes: d.notes, provenance: d.provenance))
    }
}

struct HenmiCopasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hc",
        abstract: "Henmi-Copas interval: the fixed-effect estimate with a CI that allows for heterogeneity (Henmi & Copas 2010; metafor's hc).")

    @OptionGroup var input: ResamplingModelOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let d = try StudyModelInput(input)
        let result = try HenmiCopasInterval(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances,
                                            level: d.model.options.level)
        try output.emit(result.report(model: d.model, backTransformation: d.backTransformation, notes: d.notes,
                                      provenance: d.provenance))
    }
}

extension SelectionFunctionType: ExpressibleByArgument {}

struct SelectionModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selmodel",
        abstract: "Step-function selection model fitted by ML (Vevea & Hedges 1995; metafor's selmodel).",
        discussion: """
        The studies' one-sided p-values (--alternative greater by default) fall into the intervals set by --steps; \
        the relative probability of publication in each interval (delta, 1 in the first) is estimated with mu and \
        tau^2 by maximum likelihood, whatever --method says. Every interval needs at least one study.
        """)

    @OptionGroup var input: ResamplingModelOptions
    @Option(help: "Selection function: stepfun.")
    var type: SelectionFunctionType = .stepFunction
    @Option(help: ArgumentHelp("Cut points of the step function in (0, 1], comma-separated and increasing (1 is appended), e.g. 0.025,0.5.",
                               valueName: "ALPHAS"))
    var steps: String
    @Option(help: "The p-values the selection acts on: greater (one-sided, positive effects; default), less or two.sided.")
    var alternative: TestAlternative = .greater
    @OptionGroup var output: OutputOptions

    func run() throws {
        var cuts: [Double] = []
        for part in steps.split(separator: ",", omittingEmptySubsequences: false) {
            let text = String(part.filter { !$0.isWhitespace })
            guard let value = Double(text), value.isFinite, value > 0, value <= 1 else {
                throw InputError.invalidOption(name: "--steps", value: text, expected: "comma-separated cut points between 0 (exclusive) and 1")
            }
            cuts.append(value)
        }
        let d = try StudyModelInput(input, extraOptions: [("type", type.rawValue), ("steps", steps), ("alternative", alternative.rawValue)])
        let model: SelectionModel
        do {
            model = try SelectionModel(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances, type: type,
                                       steps: cuts, alternative: alternative, level: d.model.options.level)
        } catch let InputError.invalidOption(name, value, expected) where name == "steps" {
            throw InputError.invalidOption(name: "--steps", value: value, expected: expected)
        }
        try output.emit(model.report(effectSizes: d.model.effectSizes, samplingVariances: d.model.samplingVariances,
                                     notes: d.notes, provenance: d.provenance))
    }
}
