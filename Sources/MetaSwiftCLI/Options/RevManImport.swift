import MetaAnalysis
import MetaData
import MetaReport

/// Reading a RevMan file for the commands (the CLI does the file I/O; the library parses bytes).
enum RevManImport {
    /// Whether `path` names a RevMan 5 review file by its extension.
    static func isReviewFile(_ path: String) -> Bool { path.lowercased().hasSuffix(".rm5") }

    static func outcome(path: String, comparison: Int?, outcome: Int?) throws -> RevManOutcome {
        try self.outcome(bytes: try DataFile.bytes(path), comparison: comparison, outcome: outcome)
    }

    static func outcome(bytes: [UInt8], comparison: Int?, outcome: Int?) throws -> RevManOutcome {
        do {
            return try RevManReview(bytes: bytes).outcome(comparison: comparison, outcome: outcome)
        } catch .outcomeNotChosen(let present) {
            throw RevManSelectionError(present: present)
        }
    }

    /// The `pool` options that reproduce RevMan's analysis of `outcome`.
    static func poolOptions(_ outcome: RevManOutcome) -> [String] {
        guard let measure = outcome.escalcMeasure else { return [] }
        var options = ["--measure", measure.rawValue]
        switch (outcome.settings.method, outcome.settings.randomEffects) {
        case (.mantelHaenszel, false): options += ["--method", "MH"]
        case (.peto, false): options += ["--method", "PETO"]
        case (_, true): options += ["--method", "DL", "--test", "z"]
        case (.inverseVariance, false): options += ["--method", "EE", "--test", "z"]
        }
        if outcome.settings.confidenceLevel != 95 { options += ["--level", NumberFormat.shortest(outcome.settings.confidenceLevel)] }
        return options
    }

    static func poolHint(_ outcome: RevManOutcome, data: String) -> String {
        let options = poolOptions(outcome)
        let analysis = "RevMan analysed \(outcome.code) with \(outcome.settings.method.rawValue) \(outcome.settings.effectMeasure) "
            + (outcome.settings.randomEffects ? "random effects" : "fixed effect")
        guard !options.isEmpty else { return analysis + "; MetaSwift has no escalc measure for \(outcome.settings.effectMeasure)." }
        return analysis + "; the same pooling: metaswift pool --data \(data) " + options.joined(separator: " ")
            + (outcome.subgroups.isEmpty ? "" : " --subgroup subgroup")
    }
}

/// No outcome chosen in a file with several: the library's sentence, with the flags that choose.
struct RevManSelectionError: UserFacingError, Equatable {
    let present: [String]
    var description: String {
        "The RevMan file has \(present.count) outcomes; choose one with --comparison N --outcome M: \(present.joined(separator: "; "))."
    }
}
