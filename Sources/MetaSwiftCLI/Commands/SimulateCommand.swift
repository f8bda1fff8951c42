import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport
import MetaNumerics

/// `metaswift simulate`: a simulation study of estimator performance. Parses the design, runs the library, renders.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulation study of tau^2 estimators: bias, MSE, CI and PI coverage, CI width and error rate per scenario x method.",
        discussion: """
        Scenarios are every combination of --k, --tau2 and --effect (k outermost, effect innermost): k studies with true \
        effects N(effect, tau^2), two arms of n patients each, n uniform on --sizes; continuous outcomes (SD 1, pooled as \
        MD) or binary ones (control risk --baseline-risk, effect a log odds ratio, pooled as OR). Replicate r of scenario \
        s draws from random stream (seed, s*2^40 + r): the same data for any --threads or --shard, and `metaswift merge` \
        of the shards prints the single run's output byte for byte. The design of Langan et al. 2019 and Veroniki et al. 2016.
        """
    )

    @Option(help: ArgumentHelp("Numbers of studies, comma-separated.", valueName: "K[,K]"))
    var k: String = "5,10,30"

    @Option(help: ArgumentHelp("Between-study variances, comma-separated.", valueName: "TAU2[,TAU2]"))
    var tau2: String = "0,0.05,0.2"

    @Option(help: ArgumentHelp("Mean true effects (MD, or log OR for binary outcomes), comma-separated.", valueName: "MU[,MU]"))
    var effect: String = "0.3"

    @Option(help: "Outcome: continuous (MD) or binary (OR).")
    var outcome: SimulatedOutcome = .continuous

    @Option(help: ArgumentHelp("Patients per arm, uniform on MIN-MAX.", valueName: "MIN-MAX"))
    var sizes: String = "20-200"

    @Option(name: .customLong("baseline-risk"), help: "Control-arm risk of binary outcomes.")
    var baselineRisk: Double = 0.2

    @Option(help: ArgumentHelp("tau^2 estimators, comma-separated, each fitted to every replicate.", valueName: "METHOD[,METHOD]"))
    var method: String = "DL,REML,PM"

    @Option(help: ArgumentHelp("Test and CI for the pooled estimate: z, t, knha, adhoc.", valueName: "TEST"))
    var test: CoefficientTest = .knha

    @Option(name: .customLong("level"), help: ArgumentHelp("Confidence level in percent.", valueName: "level"))
    var levelArgument: Double = 95
    var level: Double { EffectSizeOptions.percent(level: levelArgument) }

    @OptionGroup var intervals: IntervalOptions

    @Option(help: "Datasets generated per scenario.")
    var replicates: Int = 1000

    @Option(help: "Seed of the random streams.")
    var seed: UInt64 = 1

    @OptionGroup var threading: ThreadOptions

    @Option(help: ArgumentHelp("Run only slice i of n of the (scenario, block of \(SimulationStudy.blockSize) replicates) items and write a shard for `metaswift merge` (needs --out).", valueName: "i/n"))
    var shard: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try EffectSizeOptions.checkLevel(levelArgument)
        if shard != nil && output.out == nil { throw ValidationError("--shard needs --out FILE (shards are joined by `metaswift merge`).") }
    }

    /// A comma-separated list of `T`s.
    private func list<T>(_ text: String, name: String, expected: String, _ parse: (String) -> T?) throws(InputError) -> [T] {
        var out: [T] = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = parse(String(word).trimmingSpaces()) else { throw .invalidOption(name: name, value: text, expected: expected) }
            out.append(value)
        }
        return out
    }

    func study() throws -> SimulationStudy {
        let ks = try list(k, name: "--k", expected: "whole numbers of studies separated by commas, e.g. 5,10,30") { Int($0) }
        let tau2s = try list(tau2, name: "--tau2", expected: "numbers separated by commas, e.g. 0,0.05,0.2") { Double($0) }
        let effects = try list(effect, name: "--effect", expected: "numbers separated by commas, e.g. 0,0.5") { Double($0) }
        let methods = try list(method, name: "--method", expected: "tau^2 estimators separated by commas, each one of \(TauSquaredEstimator.allCases.map(\.rawValue).joined(separator: ", "))") {
            TauSquaredEstimator(argument: $0)
        }
        let bounds = sizes.split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else {
            throw InputError.invalidOption(name: "--sizes", value: sizes, expected: "MIN-MAX patients per arm with MIN <= MAX, e.g. 20-200")
        }
        var scenarios: [SimulationScenario] = []
        for studies in ks {
            for t in tau2s {
                for mu in effects {
                    scenarios.append(SimulationScenario(studies: studies, tauSquared: t, effect: mu, sampleSizes: bounds[0]...bounds[1],
                                                        outcome: outcome, baselineRisk: baselineRisk))
                }
            }
        }
        var options = RandomEffectsOptions(test: test, level: level)
        if let pi = intervals.predictionInterval { options.predictionInterval = pi }
        do {
            return try SimulationStudy(scenarios: scenarios, methods: methods, replicates: replicates, seed: seed, options: options)
        } catch {
            // The library names its quantities; the sentence the user reads names the flag.
            guard case let .invalidOption(name, value, expected) = error else { throw error }
            let flag = ["k": "--k", "tau^2": "--tau2", "effect": "--effect", "sample sizes": "--sizes", "baseline risk": "--baseline-risk",
                        "replicates": "--replicates", "scenarios": "--k/--tau2/--effect", "methods": "--method"][name] ?? name
            throw InputError.invalidOption(name: flag, value: value, expected: expected)
        }
    }

    func run() throws {
        let study = try study()
        let shard = try shard.map(parseShardSpecification)
        let items = shard?.range(of: study.itemCount) ?? 0..<study.itemCount
        let provenance = Provenance(
            toolVersion: Invocation.version, commandLine: canonicalCommandLine(Invocation.commandLine),
            options: [("replicates", String(replicates)), ("seed", String(seed)), ("method", study.methods.map(\.rawValue).joined(separator: ",")),
                      ("test", test.rawValue), ("level", NumberFormat.shortest(level)), ("pi", study.options.predictionInterval.rawValue)],
            inputPath: nil, inputSHA256: nil)
        let progress = ProgressBar(total: items.count, label: "simulate")
        let tallies = study.run(items: items, threads: threading.threads ?? ParallelLoop.defaultThreadCount, progress: progress?.callback)
        progress?.finish()
        if let shard {
            try output.emit(SimulationShard(shard: shard, study: study, tallies: tallies, provenance: provenance).jsonValue().serialized() + "\n")
            return
        }
        try output.emit(SimulationReport(study: study, summaries: study.summaries(tallies), provenance: provenance))
    }
}

extension SimulatedOutcome: CaseInsensitiveArgument { public init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
