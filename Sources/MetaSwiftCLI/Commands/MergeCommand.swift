import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

#if canImport(Glibc)
import Glibc
#endif

/// `metaswift merge`: combines the shard outputs of one `metaswift bootstrap`, `permute` or `sensitivity gosh` run
/// into that run's result.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shard files of a bootstrap, permute, GOSH, batch or simulate run (--shard i/n) into the single run's result.",
        discussion: "The merged output is byte for byte what the run without --shard prints. Every shard must be given once."
    )

    @Argument(help: ArgumentHelp("Shard files written by `metaswift bootstrap|permute --shard i/n --out FILE` or `metaswift sensitivity gosh --shard i/n --format csv|binary --out FILE` or `metaswift batch --shard i/n --out FILE`.", valueName: "FILE"))
    var files: [String]

    @OptionGroup var output: OutputOptions

    func run() throws {
        // Each file is opened once (a pipe or <(command) can be read only once) and its start decides its form.
        var sources: [ByteSource] = []
        for path in files {
            do { sources.append(try ByteSource(path: path)) } catch { throw DataFileError.unreadable(path: error.path, reason: error.reason) }
        }
        if let first = sources.first, let kind = GOSHShardMerge.kind(of: first) {
            try GOSHShardMerge.merge(sources, kind: kind, out: output.out)
            return
        }
        if let first = files.first, BatchShardMerge.part(first) != nil {
            try BatchShardMerge.merge(files, out: output.out)
            return
        }
        var documents: [(path: String, json: JSONValue)] = []
        for source in sources {
            let path = source.path
            do { documents.append((path, try JSONValue(parsingUTF8: source.readAll()))) } catch {
                throw ResamplingError.notAShard(path: path, expected: "a JSON shard file (JSON: expected \(error.expected) at byte \(error.offset))")
            }
        }
        if documents.first?.json["kind"]?.stringValue == SimulationShard.kind {
            let shards = try documents.map { try SimulationShard(json: $0.json, path: $0.path) }
            try output.emit(try SimulationShard.merge(shards))
            return
        }
        if documents.first?.json["kind"]?.stringValue == PermutationShard.kind {
            let shards = try documents.map { try PermutationShard(json: $0.json, path: $0.path) }
            try output.emit(try PermutationShard.merge(shards))
            return
        }
        let shards = try documents.map { try BootstrapShard(json: $0.json, path: $0.path) }
        try output.emit(try BootstrapShard.merge(shards))
    }
}
