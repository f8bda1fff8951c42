/// The three forms every result report renders to (the CLI's `--format`).
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Prose and aligned tables for reading, in metafor's voice.
    case table
    /// CSV for spreadsheets and scripts: a header, then one row per study, step, coefficient or statistic.
    case csv
    /// JSON with the conformance field names.
    case json
}
