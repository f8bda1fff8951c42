#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis
import MetaReport

/// Reads a GOSH binary file a chunk of records at a time (constant memory for any file size).
public final class GOSHBinaryReader {
    public let header: GOSHBinaryHeader
    public let path: String
    private let source: ByteSource
    private var recordsRead = 0

    /// Opens `path` and reads its header.
    public convenience init(path: String) throws(GOSHFileError) {
        let source: ByteSource
        do { source = try ByteSource(path: path) } catch { throw .unreadable(path: path, reason: error.reason) }
        try self.init(source: source)
    }

    /// Reads the header from `source` (opened once: a pipe works too).
    init(source: ByteSource) throws(GOSHFileError) {
        let start = source.peek(256)
        header = try GOSHBinaryHeader(decoding: start, path: source.path)
        _ = source.read(header.headerLength)
        self.source = source
        path = source.path
        try checkLength()
    }

    /// A regular file must hold exactly the header's records: a truncated file or trailing bytes are refused
    /// before anything is read or allocated from the header's (untrusted) record count.
    private func checkLength() throws(GOSHFileError) {
        guard let size = source.regularFileSize else { return }
        let h = header
        let (body, overflow) = h.recordCount.multipliedReportingOverflow(by: h.recordLength)
        let available = max(0, size - h.headerLength), found = available / h.recordLength
        if overflow || body > available {
            throw .truncated(path: path, expectedRecords: h.recordCount, foundRecords: found)
        }
        if body < available {
            throw .malformedHeader(path: path, reason: "\(available - body) bytes follow the \(h.recordCount) records the header promises")
        }
    }

    /// Up to `maximum` further records (empty at the end).
    /// - Throws: `GOSHFileError.truncated` when the file ends before the header's record count.
    public func next(_ maximum: Int = 65_536) throws(GOSHFileError) -> [GOSHSubset] {
        let bytes = try nextRawRecords(maximum)
        let h = header, length = header.recordLength
        return bytes.withUnsafeBytes { raw in (0..<bytes.count / length).map { h.record(in: raw, at: $0 * length) } }
    }

    /// The raw bytes of up to `maximum` further records (for copying shards without decoding them).
    public func nextRawRecords(_ maximum: Int = 65_536) throws(GOSHFileError) -> [UInt8] {
        let wanted = min(maximum, header.recordCount - recordsRead)
        guard wanted > 0 else { return [] }
        let bytes = source.read(wanted * header.recordLength)
        guard bytes.count == wanted * header.recordLength else {
            throw .truncated(path: path, expectedRecords: header.recordCount, foundRecords: recordsRead + bytes.count / header.recordLength)
        }
        recordsRead += wanted
        if recordsRead == header.recordCount, source.regularFileSize == nil, !source.peek(1).isEmpty {
            throw .malformedHeader(path: path, reason: "bytes follow the \(header.recordCount) records the header promises")
        }
        return bytes
    }

    /// Every record of the file at `path`.
    public static func readAll(path: String) throws(GOSHFileError) -> (header: GOSHBinaryHeader, subsets: [GOSHSubset]) {
        let reader = try GOSHBinaryReader(path: path)
        return (reader.header, try reader.all())
    }

    /// Every further record.
    public func all() throws(GOSHFileError) -> [GOSHSubset] {
        var all: [GOSHSubset] = []
        all.reserveCapacity(min(header.recordCount - recordsRead, 1 << 20))
        while true {
            let chunk = try next()
            if chunk.isEmpty { break }
            all += chunk
        }
        return all
    }

    /// The header of the shard files that together make one run, in subset order, checked to belong to the
    /// same run (k, method, subsets, seed, N and the data fingerprint) and to cover its subsets 0 ..< N exactly
    /// once; the merged file's header. Binary and CSV shards alike.
    public static func mergedHeader(_ headers: [(path: String, header: GOSHBinaryHeader)]) throws(GOSHFileError) -> (order: [Int], header: GOSHBinaryHeader) {
        guard let first = headers.first?.header else { throw .shardsDoNotCoverRun(reason: "no shard files were given") }
        for (path, h) in headers {
            let fields: [(String, String, String)] = [
                ("k", String(first.studyCount), String(h.studyCount)), ("method", first.method, h.method),
                ("subsets", first.isExhaustive ? "exhaustive" : "sampled", h.isExhaustive ? "exhaustive" : "sampled"),
                ("seed", String(first.seed), String(h.seed)), ("subset count", String(first.totalSubsets), String(h.totalSubsets)),
                ("fingerprint of data and tau^2 options", first.fingerprintPrefix + "…", h.fingerprintPrefix + "…"),
            ]
            let differing = fields.filter { $0.1 != $0.2 }.map { "\($0.0) \($0.1) vs \($0.2)" }
            if !differing.isEmpty {
                throw .shardsDoNotCoverRun(reason: "'\(path)' comes from a different run (\(differing.joined(separator: ", ")))")
            }
        }
        let order = headers.indices.sorted { headers[$0].header.firstSubset < headers[$1].header.firstSubset }
        var next = 0
        for i in order {
            let h = headers[i].header
            guard h.firstSubset == next else {
                throw .shardsDoNotCoverRun(reason: h.firstSubset > next ? "subsets \(next) ..< \(h.firstSubset) are in no shard"
                                                                         : "'\(headers[i].path)' overlaps another shard at subset \(h.firstSubset)")
            }
            next += h.recordCount
        }
        guard next == first.totalSubsets else {
            throw .shardsDoNotCoverRun(reason: "subsets \(next) ..< \(first.totalSubsets) are in no shard")
        }
        var merged = first
        merged.firstSubset = 0
        merged.recordCount = first.totalSubsets
        return (order, merged)
    }
}
