import ArgumentParser
import MetaData
import MetaAnalysis

/// A word in the subcommand position that names no subcommand (`metaswift pol`).
struct UnknownCommandError: UserFacingError, Equatable {
    /// The command path before the word (`metaswift`, `metaswift bias`).
    let parent: String
    let word: String
    let commands: [String]

    var description: String {
        let suggestion = Spelling.suggestion(for: word, among: commands).map { "; did you mean '\($0)'?" }
            ?? "; the commands of \(parent) are \(commands.joined(separator: ", "))."
        return "unknown command '\(word)'" + (parent == "metaswift" ? "" : " for '\(parent)'") + suggestion
    }
}

/// Options that contradict each other or that the chosen analysis would ignore: one sentence naming them (a
/// `ValidationError` would add the usage lines).
struct OptionConflictError: UserFacingError, Equatable {
    let sentence: String
    init(_ sentence: String) { self.sentence = sentence }
    var description: String { sentence }
}

/// An option value outside the option's vocabulary: one sentence with the closest code, if any is close, and the
/// codes accepted.
struct UnknownValueError: UserFacingError, Equatable {
    let option: String
    let value: String
    let allowed: [String]

    var description: String {
        let list = allowed.joined(separator: ", ")
        if let guess = Spelling.suggestion(for: value, among: allowed) {
            return "Unknown value '\(value)' for \(option); did you mean \(guess)? (expected one of \(list))"
        }
        return "Unknown value '\(value)' for \(option); expected one of \(list)."
    }
}
