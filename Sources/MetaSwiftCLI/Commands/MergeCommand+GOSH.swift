#if canImport(Glibc)
import Glibc
#endif
import MetaData
import MetaAnalysis
import MetaReport

/// `metaswift merge` for the shard files of `sensitivity gosh --shard i/n`.
enum GOSHShardMerge {
    /// The shard files' form, read from the first file's first bytes; nil when they are not GOSH files.
    enum Kind { case binary, csv, unshardedCSV }

    static func kind(of source: ByteSource) -> Kind? {
        let prefix = Array(GOSHBinaryHeader.csvShardPrefix.utf8), header = Array(GOSHAnalysis.csvHeader.utf8)
        let read = source.peek(max(prefix.count, header.count))
        if read.starts(with: GOSHBinaryHeader.magic) { return .binary }
        if read.starts(with: prefix) { return .csv }
        if read.starts(with: header) { return .unshardedCSV }
        return nil
    }

    /// Shards in any order, checked to come from one run (k, method, subsets, seed, N, data fingerprint) and to
    /// cover its subsets once; a truncated shard is refused. Binary: the merged header, then every shard's records;
    /// CSV: the CSV header once, then every shard's rows (the shard lines dropped).
    static func merge(_ sources: [ByteSource], kind: Kind, out: String?) throws {
        let sink = try StreamingOutput(path: out)
        switch kind {
        case .binary:
            guard sink.isFile else {
                throw InputError.invalidOption(name: "--out", value: "-", expected: "a file for merged binary GOSH shards")
            }
            for source in sources where GOSHShardMerge.kind(of: source) != .binary {
                throw GOSHFileError.shardsDoNotCoverRun(reason: "'\(source.path)' is not a GOSH binary shard (the first file is)")
            }
            let readers = try sources.map { try GOSHBinaryReader(source: $0) }
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
            let shards = try sources.map { try CSVShard(source: $0) }
            let (order, _) = try GOSHBinaryReader.mergedHeader(shards.map { ($0.source.path, $0.header) })
            try sink.write(GOSHAnalysis.csvHeader)
            for i in order { try shards[i].copyRows(to: sink) }
        case .unshardedCSV:
            throw GOSHFileError.shardsDoNotCoverRun(reason: "'\(sources[0].path)' is a whole GOSH CSV file, not a shard (shards start with the line \(GOSHBinaryHeader.csvShardPrefix) ..., written by sensitivity gosh --shard i/n)")
        }
        try sink.commit()
    }

    /// A CSV shard: its shard line, then the CSV header, then its rows.
    private struct CSVShard {
        let source: ByteSource
        let header: GOSHBinaryHeader

        init(source: ByteSource) throws {
            let path = source.path
            guard GOSHShardMerge.kind(of: source) == .csv else {
                throw GOSHFileError.shardsDoNotCoverRun(reason: "'\(path)' is not a GOSH CSV shard (it must start with the line \(GOSHBinaryHeader.csvShardPrefix) ...)")
            }
            let bytes = source.peek(1024)
            let csvHeader = Array(GOSHAnalysis.csvHeader.utf8)
            guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")), bytes[(end + 1)...].starts(with: csvHeader) else {
                throw GOSHFileError.malformedHeader(path: path, reason: "the shard line is not followed by the CSV header \(GOSHAnalysis.csvHeader.dropLast())")
            }
            header = try GOSHBinaryHeader(csvShardLine: String(decoding: bytes[..<end], as: UTF8.self), path: path)
            _ = source.read(end + 1 + csvHeader.count)
            self.source = source
        }

        /// Copies the rows, in chunks, checking that the file holds exactly the shard line's records, each ending
        /// with its line end.
        func copyRows(to sink: StreamingOutput) throws {
            var rows = 0, last = UInt8(ascii: "\n")
            while true {
                let chunk = source.read(1 << 20)
                if chunk.isEmpty { break }
                for b in chunk where b == UInt8(ascii: "\n") { rows += 1 }
                last = chunk[chunk.count - 1]
                guard rows <= header.recordCount else { break }
                try sink.write(String(decoding: chunk, as: UTF8.self))
            }
            if rows > header.recordCount {
                throw GOSHFileError.malformedHeader(path: source.path, reason: "the file holds more rows than the \(header.recordCount) its shard line promises")
            }
            guard rows == header.recordCount, last == UInt8(ascii: "\n") else {
                throw GOSHFileError.truncated(path: source.path, expectedRecords: header.recordCount, foundRecords: rows)
            }
        }
    }
}
