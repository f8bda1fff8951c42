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
        """
    )

    @OptionGroup var effectSize: EffectSizeOptions

    @Option(help: ArgumentHelp("CSV file with one row per study.", valueName: "FILE"))
    var data: String

    @Option(name: .customLong("tau-prior"), help: ArgumentHelp("Prior on tau (see below).", valueName: "PRIOR"))
    var tauPrior: String = "half-normal:0.5"

    @Option(name: .customLong("mu-prior"), help: ArgumentHelp("Prior on mu: uniform or normal:MEAN:SD.", valueName: "PRIOR"))
    var muPrior: String = "uniform"

    @OptionGroup var output: OutputOptions

    func run() throws {
        let tau = try Self.parseTauPrior(tauPrior)
        let mu = try Self.parseMuPrior(muPrior)
        let (file, _, sizes) = try effectSize.effectSizes(dataPath: data)
        let rows = sizes.availableIndices
        let labels = rows.map { sizes.studies[$0] }
        let model = try BayesianRandomEffectsModel(effectSizes: rows.map { sizes.yi[$0] },
                                                   standardErrors: rows.map { sizes.vi[$0].squareRoot() },
                                                   tauPrior: tau, muPrior: mu)
        let level = effectSize.level / 100
        let summary = try BayesianRandomEffectsSummary(model: model, level: level,
                                                       quantiles: [0.5 * (1 - level), 0.5, 0.5 * (1 + level)])
        switch output.format {
        case .json:
            let provenance = Provenance(
                toolVersion: MetaSwiftCommand.version, commandLine: MetaSwiftCommand.commandLine,
                options: [("measure", sizes.measure.rawValue), ("tau-prior", tauPrior), ("mu-prior", muPrior),
                          ("level", CSVDocument.field(effectSize.level))],
                inputPath: data, inputSHA256: file.sha256)
            guard case var .object(fields) = summary.jsonValue() else { return }
            fields.insert(("study", .array(labels.map { .string($0) })), at: 1)
            fields.append(("provenance", provenance.jsonValue))
            try output.emit(JSONValue.object(fields).serialized() + "\n")
        case .csv:
            try output.emit(summary.csvDocument(studyLabels: labels).serialized())
            for note in sizes.diagnostics { Console.current.writeError("Note: \(note.description)\n") }
        case .table:
            var text = summary.textReport(studyLabels: labels)
            for note in sizes.diagnostics { text += "Note: \(note.description)\n" }
            try output.emit(text)
        }
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
