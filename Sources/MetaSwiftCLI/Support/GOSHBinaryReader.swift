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
    private let file: UnsafeMutablePointer<FILE>
    private var recordsRead = 0

    /// Opens `path` and reads its header.
    public init(path: String) throws(GOSHFileError) {
        guard let file = fopen(path, "rb") else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        var start = [UInt8](repeating: 0, count: 256)
        let n = start.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        do {
            header = try GOSHBinaryHeader(decoding: Array(start.prefix(n)), path: path)
        } catch {
            fclose(file)
            throw error
        }
        fseek(file, header.headerLength, SEEK_SET)
        self.file = file
        self.path = path
        try checkLength()
    }

    /// A regular file must hold exactly the header's records: a truncated file or trailing bytes are refused
    /// before anything is read or allocated from the header's (untrusted) record count.
    private func checkLength() throws(GOSHFileError) {
        var info = stat()
        guard fstat(fileno(file), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        let size = Int(info.st_size), h = header
        let (body, overflow) = h.recordCount.multipliedReportingOverflow(by: h.recordLength)
        let available = max(0, size - h.headerLength), found = available / h.recordLength
        if overflow || body > available {
            throw .truncated(path: path, expectedRecords: h.recordCount, foundRecords: found)
        }
        if body < available {
            throw .malformedHeader(path: path, reason: "\(available - body) bytes follow the \(h.recordCount) records the header promises")
        }
    }

    deinit { fclose(file) }

    /// Up to `maximum` further records (empty at the end).
    /// - Throws: `GOSHFileError.truncated` when the file ends before the header's record count.
    public func next(_ maximum: Int = 65_536) throws(GOSHFileError) -> [GOSHSubset] {
        let wanted = min(maximum, header.recordCount - recordsRead)
        guard wanted > 0 else { return [] }
        let length = header.recordLength
        var bytes = [UInt8](repeating: 0, count: wanted * length)
        let n = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        guard n == bytes.count else {
            throw .truncated(path: path, expectedRecords: header.recordCount, foundRecords: recordsRead + n / length)
        }
        recordsRead += wanted
        let h = header
        return bytes.withUnsafeBytes { raw in (0..<wanted).map { h.record(in: raw, at: $0 * length) } }
    }

    /// The raw bytes of up to `maximum` further records (for copying shards without decoding them).
    public func nextRawRecords(_ maximum: Int = 65_536) throws(GOSHFileError) -> [UInt8] {
        let wanted = min(maximum, header.recordCount - recordsRead)
        guard wanted > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: wanted * header.recordLength)
        let n = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        guard n == bytes.count else {
            throw .truncated(path: path, expectedRecords: header.recordCount, foundRecords: recordsRead + n / header.recordLength)
        }
        recordsRead += wanted
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
