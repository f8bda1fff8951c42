import MetaAnalysis
import MetaData

/// What `metaswift simulate` prints: per scenario × method (scenarios in the order of the grid, methods in the order
/// given) the replicates, errors, bias with its Monte Carlo SE, MSE, coverage of the CI (with its MCSE) and of the PI,
/// mean CI width and the bias of τ².
public struct SimulationReport: RenderableReport, Sendable {
    public var study: SimulationStudy
    public var summaries: [SimulationSummary]
    public var provenance: Provenance?

    public init(study: SimulationStudy, summaries: [SimulationSummary], provenance: Provenance?) {
        self.study = study
        self.summaries = summaries
        self.provenance = provenance
    }

    /// The CSV and JSON field names of a result, in order.
    public static let fields = ["k", "tau2", "effect", "outcome", "n_min", "n_max", "baseline_risk", "method", "replicates",
                                "errors", "error_rate", "bias", "bias_mcse", "mse", "ci_coverage", "ci_coverage_mcse",
                                "pi_coverage", "ci_width", "tau2_bias"]

    private static func values(_ s: SimulationSummary) -> [JSONValue] {
        let c = s.scenario
        return [.number(Double(c.studies)), .double(c.tauSquared), .double(c.effect), .string(c.outcome.rawValue),
                .number(Double(c.sampleSizes.lowerBound)), .number(Double(c.sampleSizes.upperBound)),
                c.outcome == .binary ? .double(c.baselineRisk) : .null, .string(s.method.rawValue),
                .number(Double(s.replicates)), .number(Double(s.errors)), .double(s.errorRate), .double(s.bias),
                .double(s.biasMCSE), .double(s.mse), .double(s.ciCoverage), .double(s.ciCoverageMCSE), .double(s.piCoverage),
                .double(s.meanCIWidth), .double(s.tauSquaredBias)]
    }

    public func jsonValue() -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("replicates", .number(Double(study.replicates))),
            ("seed", .string(String(study.seed))),
            ("methods", .array(study.methods.map { .string($0.rawValue) })),
            ("test", .string(study.options.test.rawValue)),
            ("level", .number(study.options.level)),
            ("pi", .string(study.options.predictionInterval.rawValue)),
            ("results", .array(summaries.map { .object(Array(zip(Self.fields, Self.values($0)))) })),
        ]
        if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        return .object(fields)
    }

    public func csvDocument() -> CSVDocument {
        CSVDocument(header: Self.fields, rows: summaries.map { s in
            Self.values(s).map { v in
                switch v {
                case let .string(t): return t
                case .null: return "NA"
                default: return v.doubleValue.map(NumberFormat.shortest) ?? "NA"
                }
            }
        })
    }

    public func textReport() -> String {
        let digits = { (x: Double) in x.isFinite ? NumberFormat.fixed(x, digits: 4) : "NA" }
        let table = TextTable(
            header: ["k", "tau^2", "effect", "method", "errors", "bias", "(MCSE)", "MSE", "CI cover", "(MCSE)", "PI cover", "CI width", "tau^2 bias"],
            rows: summaries.map { s in
                [String(s.scenario.studies), NumberFormat.shortest(s.scenario.tauSquared), NumberFormat.shortest(s.scenario.effect),
                 s.method.rawValue, String(s.errors), digits(s.bias), digits(s.biasMCSE), digits(s.mse), digits(s.ciCoverage),
                 digits(s.ciCoverageMCSE), digits(s.piCoverage), digits(s.meanCIWidth), digits(s.tauSquaredBias)]
            },
            alignments: [.right, .right, .right, .left] + Array(repeating: .right, count: 9))
        let first = study.scenarios[0]
        let sizes = "\(first.sampleSizes.lowerBound)-\(first.sampleSizes.upperBound) patients per arm"
        let outcome = first.outcome == .binary
            ? "binary outcomes (log odds ratio, control risk \(NumberFormat.shortest(first.baselineRisk)))"
            : "continuous outcomes (mean difference, SD 1)"
        return """
        Simulation study: \(study.replicates) replicates per scenario, seed \(study.seed), \(outcome), \(sizes);
        true effects N(effect, tau^2); test \(study.options.test.rawValue), level \(NumberFormat.shortest(study.options.level))%.
        PI coverage is the mean probability that a new study's true effect falls in the PI; MCSE = Monte Carlo SE.

        """ + table.rendered()
    }
}
