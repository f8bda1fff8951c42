import ArgumentParser
import MetaData

extension MetaSwiftCommand {
    /// The unknown subcommand in `arguments`, if a word stands where a subcommand of a command without positional
    /// arguments is expected: checked before parsing, since the parser would otherwise complain about the options
    /// that follow the word ("Unknown option '--measure'") rather than the word itself.
    static func unknownCommand(in arguments: [String]) -> UnknownCommandError? {
        var command: ParsableCommand.Type = MetaSwiftCommand.self
        var path = [configuration.commandName ?? "metaswift"]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil else { return nil }
            if word.hasPrefix("-") || word == "help" { return nil }
            let match = subcommands.first { sub in
                let c = sub.configuration
                return (c.commandName ?? "") == word || c.aliases.contains(word)
            }
            guard let match else {
                return UnknownCommandError(parent: path.joined(separator: " "), word: word,
                                           commands: subcommands.compactMap { $0.configuration.commandName })
            }
            command = match
            path.append(word)
        }
        return nil
    }

    /// Rewrites the parser's "The value 'x' is invalid for '--opt <V>'. Please provide one of ..." as an
    /// `UnknownValueError`, when the option lists its values.
    static func unknownValue(in message: String) -> UnknownValueError? {
        let prefix = "The value '"
        guard let line = message.split(separator: "\n", omittingEmptySubsequences: false).first(where: { $0.contains(prefix) }),
              let start = line.firstRange(of: prefix) else { return nil }
        let rest = line[start.upperBound...]
        guard let valueEnd = rest.firstRange(of: "' is invalid for '") else { return nil }
        let value = String(rest[..<valueEnd.lowerBound])
        let afterOption = rest[valueEnd.upperBound...]
        guard let optionEnd = afterOption.firstIndex(where: { $0 == " " || $0 == "'" }) else { return nil }
        let option = String(afterOption[..<optionEnd])
        guard option.hasPrefix("-") else { return nil }
        var allowed: [String] = []
        if let one = message.firstRange(of: "Please provide one of the following:\n") {
            for item in message[one.upperBound...].split(separator: "\n") {
                guard item.hasPrefix("  - ") else { break }
                allowed.append(String(item.dropFirst(4)))
            }
        } else if let one = message.firstRange(of: "Please provide one of ") {
            let list = message[one.upperBound...].prefix { $0 != "\n" }
            var item = "", inside = false
            for c in list {
                if c == "'" {
                    if inside { allowed.append(item); item = "" }
                    inside.toggle()
                } else if inside {
                    item.append(c)
                }
            }
        }
        return allowed.isEmpty ? nil : UnknownValueError(option: option, value: value, allowed: allowed)
    }

    /// The parser's own error message as one line: its sentence, the option's help where the parser quotes it
    /// ("Help:  --seed <seed>  Seed of ..."), without the usage lines that follow (an error is one sentence).
    static func oneLine(parserMessage message: String) -> String {
        let lines = message.split(separator: "\n").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        guard var sentence = lines.first else { return message }
        if let help = lines.first(where: { $0.hasPrefix("Help:") }),
           let text = help.split(separator: "  ", omittingEmptySubsequences: true).last.map({ String($0).trimmingSpaces() }),
           !text.hasPrefix("Help:"), !text.hasPrefix("-") {
            if sentence.hasSuffix(".") { sentence.removeLast() }
            sentence += ": " + text.prefix(1).lowercased() + text.dropFirst()
        }
        return sentence
    }
}
