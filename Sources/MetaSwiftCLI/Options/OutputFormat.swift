import ArgumentParser

/// How an analysis command prints its result (`--format`).
public enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Aligned text for reading.
    case table
    /// CSV for spreadsheets and scripts.
    case csv
    /// JSON with the conformance field names.
    case json
}
