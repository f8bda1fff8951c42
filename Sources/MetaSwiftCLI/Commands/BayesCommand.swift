import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// `metaswift bayes`: Bayesian random-effects meta-analysis (the normal–normal hierarchical model, as R's bayesmeta),
/// computed by numerical integration, so every number is deterministic.
struct BayesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bayes",
        abstract: "Bayesian random-effects meta-analysis with priors on tau and mu (bayesmeta's model, exact integration).",
        discussion: """
        Fits y_i ~ N(theta_i, sigma_i^2), theta_i ~ N(mu, tau^2) with the priors given, by adaptive Gauss-Legendre \
        integration over tau (no MCMC). Reports the posterior of tau, mu and a new study's effect theta (mode, median, \
        mean, sd, shortest 95% interval), ML and MAP estimates, Bayes factors for tau = 0 and mu = 0, I^2 and each \
        study's shrinkage estimate; JSON uses bayesmeta's names as the conformance bank does.

        --tau-prior: half-normal:SCALE (default half-normal:0.5, Friede et al. 2017), half-cauchy:SCALE, \
        half-t:DF:SCALE, uniform:UPPER, uniform (improper), exponential:RATE, jeffreys, conventional, shrinkage, \
        dumouchel, i2, turner (Turner et al. 2015, any setting), turner:OUTCOME:COMPARISON (Table IV labels, e.g. \
        "turner:all-cause mortality:pharmacological vs. placebo / control"), rhodes (Rhodes et al. 2015, any setting), \
        lognormal:MEANLOG:SDLOG and log-t5:LOCATION:SCALE (for log tau^2, any published cell).
        --mu-prior: uniform (improper, default) or normal:MEAN:SD.

        --mods COLUMNS fits the Bayesian meta-regression theta_i ~ N(x_i'beta, tau^2) instead (bayesmeta's bmr), \
        with an improper uniform prior on beta (or --beta-prior normal:SD for independent N(0, SD^2) priors on every \
        coefficient), the same tau priors and exact integration; --factor, --no-intercept and --predict as in pool.
        """
    )

    @OptionGroup var effectSize: EffectSizeOptions

    @Option(help: ArgumentHelp("CSV file with one row per study.", valueName: "FILE"))
    var data: String

    @Option(name: .customLong("tau-prior"), help: ArgumentHelp("Prior on tau (see below).", valueName: "PRIOR"))
    var tauPrior: String = "half-normal:0.5"

    @Option(name: .customLong("mu-prior"), help: ArgumentHelp("Prior on mu: uniform or normal:MEAN:SD.", valueName: "PRIOR"))
    var muPrior: String = "uniform"

    @Option(name: .customLong("beta-prior"),
            help: ArgumentHelp("Prior on the meta-regression coefficients (with --mods): uniform or normal:SD.", valueName: "PRIOR"))
    var betaPrior: String?

    @OptionGroup var moderatorOptions: ModeratorOptions

    @Option(help: ArgumentHelp("Draw a plot instead of the report: joint (contours of the posterior of (mu, tau)), tau or mu (marginal posterior with the prior), forest (estimates with shrinkage intervals). SVG to --out or standard output; PDF or PNG for --out FILE.pdf or FILE.png.", valueName: "KIND"))
    var plot: BayesPlotKind?

    @OptionGroup(title: "Plot size and font (with --plot)") var paper: FigureSizeOptions

    @Option(help: ArgumentHelp("With --plot: body text size in pixels (default 11); other sizes follow it.", valueName: "PIXELS"))
    var fontSize: Double?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if plot == nil, paper.isRequested || fontSize != nil {
            throw ValidationError("--width, --height, --dpi and --font-size apply to --plot.")
        }
        if plot != nil { try paper.validate(format: FigureOutputOptions.format(of: output.out)) }
    }

    func run() throws {
        let tau = try Self.parseTauPrior(tauPrior)
        let mu = try Self.parseMuPrior(muPrior)
        if let column = moderatorOptions.subgroup {
            throw InputError.invalidOption(name: "--subgroup", value: column,
                                           expected: "no subgroups in bayes: fit the grouping column as a moderator with --mods")
        }
        if moderatorOptions.mods == nil, let betaPrior {
            throw InputError.invalidOption(name: "--beta-prior", value: betaPrior, expected: "a meta-regression (--mods); use --mu-prior without moderators")
        }
        let (file, _, sizes) = try effectSize.effectSizes(dataPath: data)
        let rows = sizes.availableIndices
        let labels = rows.map { sizes.studies[$0] }
        if moderatorOptions.mods != nil {
            if let plot {
                throw InputError.invalidOption(name: "--plot", value: plot.rawValue, expected: "no plot with --mods (the plots show the model without moderators)")
            }
            if muPrior != "uniform" {
                throw InputError.invalidOption(name: "--mu-prior", value: muPrior, expected: "no mu prior with --mods; use --beta-prior for the coefficients")
            }
            return try runRegression(file: file, sizes: sizes, rows: rows, labels: labels, tau: tau)
        }
        let model = try BayesianRandomEffectsModel(effectSizes: rows.map { sizes.yi[$0] },
                                                   standardErrors: rows.map { sizes.vi[$0].squareRoot() },
                                                   tauPrior: tau, muPrior: mu)
        let level = effectSize.level / 100
        let summary = try BayesianRandomEffectsSummary(model: model, level: level,
                                                       quantiles: [0.5 * (1 - level), 0.5, 0.5 * (1 + level)])
        if let plot {
            let scale = PlotScale(measure: sizes.measure)
            let axis = sizes.measure.axisTitle(scale: .identity)
            let style = try FigureSizeOptions.style(fontSize: fontSize), size = try paper.size()
            let svg: String
            switch plot {
            case .joint: svg = try summary.jointPosteriorPlot(axisLabel: axis, style: style).svg()
            case .tau: svg = try summary.tauPosteriorPlot(style: style).svg()
            case .mu: svg = try summary.muPosteriorPlot(axisLabel: axis, style: style).svg()
            case .forest: svg = summary.shrinkageForestPlot(studyLabels: labels, scale: scale, axisLabel: sizes.measure.axisTitle(scale: scale), style: style).svg()
            }
            return try FigureOutputOptions.write(svg, to: output.out, size: size)
        }
        let provenance = Provenance(
            toolVersion: Invocation.version, commandLine: Invocation.commandLine,
            options: [("measure", sizes.measure.rawValue), ("tau-prior", tauPrior), ("mu-prior", muPrior),
                      ("level", NumberFormat.shortest(effectSize.level))],
            inputPath: data, inputSHA256: file.sha256)
        try output.emit(BayesianReport(.randomEffects(summary), studyLabels: labels, notes: sizes.diagnostics.map(\.description),
                                       provenance: provenance))
    }

    /// `--mods`: the Bayesian meta-regression.
    func runRegression(file: CSVFile, sizes: EffectSizes, rows: [Int], labels: [String], tau: TauPrior) throws {
        let design: DesignMatrix
        do {
            design = try DesignMatrix.build(from: file.table, moderators: try moderatorOptions.moderators(), rows: rows,
                                            intercept: !moderatorOptions.noIntercept)
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        let d = design.coefficientCount
        let coefficientPrior = try Self.parseCoefficientPrior(betaPrior ?? "uniform", coefficients: d)
        let model = try BayesianMetaRegressionModel(effectSizes: rows.map { sizes.yi[$0] },
                                                    standardErrors: rows.map { sizes.vi[$0].squareRoot() },
                                                    design: (0..<design.studyCount).map { design.matrix.row($0) },
                                                    coefficientNames: design.coefficientNames, tauPrior: tau,
                                                    coefficientPrior: coefficientPrior)
        let points = try moderatorOptions.predictions.map { try design.row(for: try DesignMatrix.predictionPoint($0)) }
        let level = effectSize.level / 100
        let summary = try BayesianMetaRegressionSummary(model: model, level: level,
                                                        quantiles: [0.5 * (1 - level), 0.5, 0.5 * (1 + level)], predictAt: points)
        let atLabels = moderatorOptions.predictions.isEmpty ? nil : moderatorOptions.predictions
        let provenance = Provenance(
            toolVersion: Invocation.version, commandLine: Invocation.commandLine,
            options: [("measure", sizes.measure.rawValue), ("tau-prior", tauPrior), ("beta-prior", betaPrior ?? "uniform"),
                      ("mods", moderatorOptions.mods ?? ""), ("intercept", String(!moderatorOptions.noIntercept)),
                      ("level", NumberFormat.shortest(effectSize.level))],
            inputPath: data, inputSHA256: file.sha256)
        try output.emit(BayesianReport(.regression(summary, predictionLabels: atLabels), studyLabels: labels,
                                       notes: sizes.diagnostics.map(\.description), provenance: provenance))
    }

    /// Parses `--beta-prior`: `uniform` or `normal:SD` (independent N(0, SD²) on each of `coefficients`).
    static func parseCoefficientPrior(_ text: String, coefficients d: Int) throws -> CoefficientPrior {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        if parts.count == 1 && parts[0].lowercased() == "uniform" { return .improperUniform }
        if parts.count == 2 && parts[0].lowercased() == "normal", let sd = Double(parts[1]), sd > 0, sd.isFinite {
            return .normal(mean: [Double](repeating: 0, count: d),
                           covariance: (0..<d).map { i in (0..<d).map { $0 == i ? sd * sd : 0 } })
        }
        throw InputError.invalidOption(name: "--beta-prior", value: text, expected: "uniform or normal:SD with SD positive and finite")
    }

    /// Parses `--tau-prior`.
    static func parseTauPrior(_ text: String) throws -> TauPrior {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        let name = parts[0].lowercased()
        func invalid(_ expected: String) -> InputError { .invalidOption(name: "--tau-prior", value: text, expected: expected) }
        func numbers(_ count: Int, _ expected: String) throws -> [Double] {
            guard parts.count == count + 1 else { throw invalid(expected) }
            return try parts.dropFirst().map { guard let x = Double($0) else { throw invalid(expected) }; return x }
        }
        switch name {
        case "half-normal", "halfnormal": return .halfNormal(scale: try numbers(1, "half-normal:SCALE")[0])
        case "half-cauchy", "halfcauchy": return .halfCauchy(scale: try numbers(1, "half-cauchy:SCALE")[0])
        case "half-t", "halft", "half-student-t":
            let x = try numbers(2, "half-t:DF:SCALE")
            return .halfStudentT(degreesOfFreedom: x[0], scale: x[1])
        case "uniform": return parts.count == 1 ? .improperUniform : .uniform(upper: try numbers(1, "uniform:UPPER or uniform")[0])
        case "exponential": return .exponential(rate: try numbers(1, "exponential:RATE")[0])
        case "jeffreys": return .jeffreys
        case "conventional": return .conventional
        case "shrinkage": return .uniformShrinkage
        case "dumouchel": return .duMouchel
        case "i2": return .uniformISquared
        case "turner":
            if parts.count == 1 { return .turner(.anySetting) }
            guard parts.count == 3 else { throw invalid("turner or turner:OUTCOME:COMPARISON with Turner et al.'s labels") }
            return .turner(try TurnerPrior.named(outcome: parts[1], comparison: parts[2]))
        case "rhodes":
            guard parts.count == 1 else { throw invalid("rhodes (the general setting) or log-t5:LOCATION:SCALE for a published cell") }
            return .rhodes(.anySetting)
        case "lognormal":
            let x = try numbers(2, "lognormal:MEANLOG:SDLOG (of log tau^2)")
            return .turner(TurnerPrior(meanLog: x[0], sdLog: x[1]))
        case "log-t5", "logt5":
            let x = try numbers(2, "log-t5:LOCATION:SCALE (of log tau^2)")
            return .rhodes(RhodesPrior(label: "log-t5 (\(parts[1]), \(parts[2]))", location: x[0], scale: x[1]))
        default:
            throw invalid("one of half-normal:S, half-cauchy:S, half-t:DF:S, uniform[:UPPER], exponential:RATE, jeffreys, conventional, shrinkage, dumouchel, i2, turner[:OUTCOME:COMPARISON], rhodes, lognormal:M:S, log-t5:L:S")
        }
    }

    /// Parses `--mu-prior`.
    static func parseMuPrior(_ text: String) throws -> MuPrior {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        if parts.count == 1 && parts[0].lowercased() == "uniform" { return .improperUniform }
        if parts.count == 3 && parts[0].lowercased() == "normal", let m = Double(parts[1]), let s = Double(parts[2]) {
            return .normal(mean: m, standardDeviation: s)
        }
        throw InputError.invalidOption(name: "--mu-prior", value: text, expected: "uniform or normal:MEAN:SD")
    }
}

/// The plots `metaswift bayes --plot` draws.
enum BayesPlotKind: String, CaseIterable, CaseInsensitiveArgument {
    case joint, tau, mu, forest
    init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v }
}
