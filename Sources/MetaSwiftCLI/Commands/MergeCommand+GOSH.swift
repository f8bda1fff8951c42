#if canImport(Glibc)
import Glibc
#endif
import MetaData
import MetaAnalysis
import MetaReport

/// `metaswift merge` for the shard files of `sensitivity gosh --shard i/n`.
enum GOSHShardMerge {
    /// The shard files' form, read from the first file's first bytes; nil when they are not GOSH shards.
    enum Kind { case binary, csv }

    static func kind(of path: String) -> Kind? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var start = [UInt8](repeating: 0, count: GOSHAnalysis.csvHeader.utf8.count)
        let n = start.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n >= 8 && Array(start.prefix(8)) == GOSHBinaryHeader.magic { return .binary }
        if n == start.count && start == Array(GOSHAnalysis.csvHeader.utf8) { return .csv }
        return nil
    }

    /// Binary shards in any order (checked to cover the run once, sorted by their first subset); CSV shards in
    /// the order given (the header once, then every shard's rows).
    static func merge(_ files: [String], kind: Kind, out: String?) throws {
        let sink = try StreamingOutput(path: out)
        switch kind {
        case .binary:
            guard sink.isFile else {
                throw InputError.invalidOption(name: "--out", value: "-", expected: "a file for merged binary GOSH shards")
            }
            let readers = try files.map { try GOSHBinaryReader(path: $0) }
            let (order, header) = try GOSHBinaryReader.mergedHeader(readers.map { ($0.path, $0.header) })
            try sink.write(header.encoded())
            for i in order {
                while true {
                    let chunk = try readers[i].nextRawRecords()
                    if chunk.isEmpty { break }
                    try sink.write(chunk)
                }
            }
        case .csv:
            try sink.write(GOSHAnalysis.csvHeader)
            for path in files {
                guard kind == GOSHShardMerge.kind(of: path) else {
                    throw GOSHFileError.shardsDoNotCoverRun(reason: "'\(path)' is not a GOSH CSV shard (it must start with the header line \(GOSHAnalysis.csvHeader.dropLast()))")
                }
                try copy(path, skipping: GOSHAnalysis.csvHeader.utf8.count, to: sink)
            }
        }
        try sink.commit()
    }

    /// Copies the file at `path` from byte `offset` on, in chunks.
    private static func copy(_ path: String, skipping offset: Int, to sink: StreamingOutput) throws {
        guard let file = fopen(path, "rb") else { throw GOSHFileError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(file) }
        fseek(file, offset, SEEK_SET)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            if sink.isFile { try sink.write(Array(buffer.prefix(n))) } else { try sink.write(String(decoding: buffer.prefix(n), as: UTF8.self)) }
        }
    }
}
