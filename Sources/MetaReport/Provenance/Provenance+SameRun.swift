import MetaAnalysis

extension Provenance {
    /// Checks that `other` records the same run as this provenance (shards to be merged): the same input bytes, the
    /// same options and the same MetaSwift version.
    ///
    /// - Throws: `ResamplingError.shardsDisagree` for different input data or versions, `.shardOptionsDiffer` naming
    ///   each option whose value differs.
    public func checkSameRun(as other: Provenance) throws(ResamplingError) {
        if inputSHA256 != other.inputSHA256 {
            throw .shardsDisagree(field: "input data", values: [inputSHA256 ?? "none", other.inputSHA256 ?? "none"])
        }
        if self == other { return }
        let mine = Self.optionValues(commandLine), theirs = Self.optionValues(other.commandLine)
        var names = mine.map(\.name)
        for (name, _) in theirs where !names.contains(name) { names.append(name) }
        var differences: [ShardOptionDifference] = []
        for name in names {
            let a = mine.first { $0.name == name }?.value ?? "not given", b = theirs.first { $0.name == name }?.value ?? "not given"
            if a != b { differences.append(ShardOptionDifference(option: name, first: a, other: b)) }
        }
        if !differences.isEmpty { throw .shardOptionsDiffer(differences) }
        if toolVersion != other.toolVersion { throw .shardsDisagree(field: "MetaSwift versions", values: [toolVersion, other.toolVersion]) }
        throw .shardsDisagree(field: "settings", values: [options.map { "\($0.0)=\($0.1)" }.joined(separator: ","),
                                                          other.options.map { "\($0.0)=\($0.1)" }.joined(separator: ",")])
    }

    /// The canonical command line as (option, value) pairs in order: the words before the first option under the
    /// name "command", a flag's value "set", a repeated option's values joined by spaces.
    static func optionValues(_ line: [String]) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        func add(_ name: String, _ value: String) {
            if let i = pairs.firstIndex(where: { $0.name == name }) { pairs[i].value += " " + value } else { pairs.append((name, value)) }
        }
        var i = 0
        while i < line.count {
            let word = line[i]
            if word.hasPrefix("--") {
                if i + 1 < line.count, !line[i + 1].hasPrefix("--") {
                    add(word, line[i + 1])
                    i += 2
                } else {
                    add(word, "set")
                    i += 1
                }
            } else {
                add("command", word)
                i += 1
            }
        }
        return pairs
    }
}
