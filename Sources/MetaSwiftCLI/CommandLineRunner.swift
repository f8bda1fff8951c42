import ArgumentParser
import MetaData
import MetaAnalysis
import MetaNumerics

/// The result of running a command line in-process.
public struct CommandLineResult: Sendable {
    public let exitCode: Int32
    public let standardOutput: String
    public let standardError: String
}

extension MetaSwiftCommand {
    /// Runs `arguments` (without the program name) as the executable would, capturing output.
    public static func runCapturing(_ arguments: [String]) -> CommandLineResult {
        runCapturing(arguments) { try parseCommandLine(arguments) }
    }

    /// Runs `arguments` as `runCapturing(_:)` does with the command `parse` returns, so that a test running one
    /// command line over many input files (staged at one path) can parse it once: the parser's checks are costly in
    /// debug builds (about 10 s of CPU for `sensitivity leave1out`).
    static func runCapturing(_ arguments: [String], parse: () throws -> ParsableCommand) -> CommandLineResult {
        let console = Console(capturing: true)
        let code = Console.$current.withValue(console) { execute(arguments, parse: parse) }
        return CommandLineResult(exitCode: code, standardOutput: console.standardOutput, standardError: console.standardError)
    }

    /// Parses a command line as the executable does (a mistyped command named, `--add -0.5` read as a value).
    static func parseCommandLine(_ arguments: [String]) throws -> ParsableCommand {
        if let unknown = unknownCommand(in: arguments) { throw unknown }
        return try parseAsRoot(joiningNegativeValues(arguments))
    }

    /// Parses and runs; help and version go to stdout, errors are one sentence on stderr. Returns the exit code.
    public static func execute(_ arguments: [String]) -> Int32 {
        execute(arguments) { try parseCommandLine(arguments) }
    }

    static func execute(_ arguments: [String], parse: () throws -> ParsableCommand) -> Int32 {
        Invocation.$arguments.withValue(arguments) { ArgumentNaming.bind(.commandLine) { run(arguments, parse) } }
    }

    /// `--add -0.5` as `--add=-0.5`: the parser takes a word starting with '-' for an option, and said "Missing
    /// value for '--add'" of a negative number; the option's own check then names what it expects.
    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(arguments.count)
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            if word.hasPrefix("--"), word.count > 2, !word.contains("="), i + 1 < arguments.count,
               arguments[i + 1].hasPrefix("-"), Double(arguments[i + 1]) != nil {
                out.append(word + "=" + arguments[i + 1])
                i += 2
                continue
            }
            out.append(word)
            i += 1
        }
        return out
    }

    private static func run(_ arguments: [String], _ parse: () throws -> ParsableCommand) -> Int32 {
        // `--version` alone is answered before the parser builds the tree of every command and option (about half
        // of the process' start-up): what the parser would print, for scripts that check the tool is there.
        if arguments == ["--version"] {
            Console.current.write(Invocation.version + "\n")
            do { try Console.current.finishWriting() } catch {
                Console.current.writeError("Error: \(error.description)\n")
                return ExitCode.failure.rawValue
            }
            return 0
        }
        do {
            var command = try parse()
            try command.run()
            // A report that did not reach standard output is an error, not a success.
            try Console.current.finishWriting()
            return 0
        } catch {
            // A mistyped command is a usage error, as the parser's own are (EX_USAGE).
            let code = error is UnknownCommandError ? ExitCode.validationFailure : exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Console.current.write(message + "\n") }
            } else {
                let sentence = (error as? UserFacingError ?? unknownValue(in: message)).map { "Error: " + $0.description }
                    ?? oneLine(parserMessage: message)
                Console.current.writeError(sentence + "\n")
            }
            return code.rawValue
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
