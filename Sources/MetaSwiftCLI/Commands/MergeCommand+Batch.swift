#if canImport(Glibc)
import Glibc
#endif
import MetaData
import MetaAnalysis
import MetaReport

/// `metaswift merge` for the shard files of `batch --shard i/n`: each file's body (all but its trailer line, and but
/// the repeated CSV header after the first), in shard order, checked to hold every analysis of one run once.
enum BatchShardMerge {
    /// The trailer that ends a shard file, and where it starts.
    struct Part {
        let path: String
        let trailer: BatchShard
        /// Bytes before the trailer line.
        let bodyBytes: Int
    }

    /// The trailer of the file at `path` if its last line is a batch shard's trailer, else nil.
    static func part(_ path: String) -> Part? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        guard fseek(file, 0, SEEK_END) == 0 else { return nil }
        let size = ftell(file)
        let window = min(size, 1 << 20)
        guard window > 0, fseek(file, size - window, SEEK_SET) == 0 else { return nil }
        var tail = [UInt8](repeating: 0, count: window)
        guard tail.withUnsafeMutableBytes({ fread($0.baseAddress, 1, $0.count, file) }) == window, tail.last == 0x0A else { return nil }
        let start = tail.dropLast().lastIndex(of: 0x0A).map { $0 + 1 } ?? (window == size ? 0 : -1)
        guard start >= 0, let trailer = try? BatchShard(line: String(decoding: tail[start...], as: UTF8.self), path: path) else { return nil }
        return Part(path: path, trailer: trailer, bodyBytes: size - window + start)
    }

    static func merge(_ files: [String], out: String?) throws {
        var parts: [Part] = []
        for path in files {
            guard let part = part(path) else {
                throw ResamplingError.notAShard(path: path, expected: "a batch shard (written by metaswift batch --shard i/n --out FILE)")
            }
            parts.append(part)
        }
        let order = try BatchShard.mergeOrder(parts.map(\.trailer))
        let sink = try StreamingOutput(path: out)
        for (position, i) in order.enumerated() {
            let skip = position == 0 ? 0 : parts[i].trailer.headerBytes
            try copy(parts[i].path, bytes: skip..<parts[i].bodyBytes, to: sink)
        }
        try sink.commit()
    }

    /// Copies `bytes` of the file at `path` to `sink`, in chunks.
    private static func copy(_ path: String, bytes: Range<Int>, to sink: StreamingOutput) throws {
        guard let file = fopen(path, "rb") else { throw DataFileError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(file) }
        fseek(file, bytes.lowerBound, SEEK_SET)
        var left = bytes.count
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while left > 0 {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, min($0.count, left), file) }
            if n <= 0 { throw DataFileError.unreadable(path: path, reason: "the file ended early") }
            left -= n
            if sink.isFile { try sink.write(Array(buffer.prefix(n))) } else { try sink.write(String(decoding: buffer.prefix(n), as: UTF8.self)) }
        }
    }
}
