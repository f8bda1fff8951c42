import MetaAnalysis

/// What `metaswift bootstrap` (and `metaswift merge`) print: the run's settings, the summary per statistic
/// and the failed replicates.
///
/// Everything here is a function of the data and the settings that change the result, so one run and the
/// merge of its shards render byte-identical documents: `provenance.command_line` is the canonical command
/// that reproduces the result (without `--threads`, `--shard`, `--format` and `--out`, which do not change it).
public struct BootstrapReport: Sendable, Equatable {
    public var settings: BootstrapSettings
    public var summary: BootstrapSummary

    public init(settings: BootstrapSettings, summary: BootstrapSummary) {
        self.settings = settings
        self.summary = summary
    }
}

/// The settings a bootstrap result depends on, shared by the report and the shard files.
public struct BootstrapSettings: Sendable, Equatable {
    public var studyCount: Int
    public var measure: String
    public var method: TauSquaredEstimator
    public var test: CoefficientTest
    public var type: BootstrapType
    public var replicates: Int
    public var seed: UInt64
    public var level: Double
    /// Notes about the input and the original fit (omitted studies, truncation, ...).
    public var notes: [String]
    public var provenance: Provenance

    public init(studyCount: Int, measure: String, method: TauSquaredEstimator, test: CoefficientTest, type: BootstrapType,
                replicates: Int, seed: UInt64, level: Double, notes: [String], provenance: Provenance) {
        self.studyCount = studyCount
        self.measure = measure
        self.method = method
        self.test = test
        self.type = type
        self.replicates = replicates
        self.seed = seed
        self.level = level
        self.notes = notes
        self.provenance = provenance
    }
}
