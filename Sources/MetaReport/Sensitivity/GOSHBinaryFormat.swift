#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis

/// The compact binary stream of a GOSH analysis (`metaswift sensitivity gosh --format binary`), version 2.
///
/// A header, then one fixed-length record per subset in the analysis' order. All integers and floats are
/// little-endian; floats are IEEE 754 binary64.
///
/// Header (its length is a multiple of 8; records start right after it):
///
/// | offset | size | content |
/// |---|---|---|
/// | 0 | 8 | magic `MSWGOSH\n` |
/// | 8 | 4 | uint32 format version (1) |
/// | 12 | 4 | uint32 header length H in bytes |
/// | 16 | 4 | uint32 k, the number of studies |
/// | 20 | 4 | uint32 W = ⌈k/32⌉, mask words per record |
/// | 24 | 4 | uint32 F, float64 fields per record (5) |
/// | 28 | 4 | uint32 record length, 4W + 8F bytes |
/// | 32 | 4 | uint32 flags: bit 0 set when the subsets are all 2^k − 1 (Gray-code order), clear when sampled |
/// | 36 | 4 | uint32 reserved, 0 |
/// | 40 | 8 | uint64 seed of the sampled subsets (0 when exhaustive) |
/// | 48 | 8 | uint64 N, the subsets of the whole run |
/// | 56 | 8 | uint64 index of this file's first subset in the run (0 unless a shard) |
/// | 64 | 8 | uint64 records in this file |
/// | 72 | 16 | τ² method code (`EE`, `DL`, `REML`, …), ASCII, NUL-padded |
/// | 88 | 32 | fingerprint of the analysed data and τ² options (`GOSHAnalysis.fingerprint`, SHA-256; version 2) |
/// | 120 | … | the F field names, each ASCII and NUL-terminated: `estimate`, `tau2`, `I2`, `H2`, `QE`; NUL padding to H |
///
/// Record: W uint32 mask words (word 0 holds studies 1–32, bit i of the mask = study i + 1 included), then the F
/// float64 fields in the header's order. The subset size is the mask's population count.
///
/// A shard (`--shard i/n`) is a file whose records are the run's subsets first ..< first + count; `metaswift
/// merge` concatenates the records of shards covering 0 ..< N and writes the header with first = 0, count = N,
/// which is byte for byte the single run's file. Shards merge only when k, method, subsets, seed, N and the
/// fingerprint agree and their ranges cover 0 ..< N once. A CSV shard starts with the same fields as one text
/// line (``csvShardLine()``) before the CSV header.
public struct GOSHBinaryHeader: Sendable, Equatable {
    public static let magic: [UInt8] = Array("MSWGOSH\n".utf8)
    public static let version: UInt32 = 2
    /// Bytes of the fingerprint (SHA-256).
    public static let fingerprintLength = 32
    public static let fieldNames = ["estimate", "tau2", "I2", "H2", "QE"]

    public var studyCount: Int
    public var method: String
    public var isExhaustive: Bool
    public var seed: UInt64
    /// N, the subsets of the whole run.
    public var totalSubsets: Int
    /// Index of the file's first subset in the run.
    public var firstSubset: Int
    /// Records in the file.
    public var recordCount: Int
    /// SHA-256 of the analysed effects, variances, weights and τ² options (`GOSHAnalysis.fingerprint`).
    public var fingerprint: [UInt8]

    public init(studyCount: Int, method: String, isExhaustive: Bool, seed: UInt64, totalSubsets: Int, firstSubset: Int,
                recordCount: Int, fingerprint: [UInt8]) {
        self.studyCount = studyCount
        self.method = method
        self.isExhaustive = isExhaustive
        self.seed = isExhaustive ? 0 : seed
        self.totalSubsets = totalSubsets
        self.firstSubset = firstSubset
        self.recordCount = recordCount
        self.fingerprint = fingerprint
    }

    /// The header of `analysis`' subsets `range` (the whole run by default).
    public init(_ analysis: GOSHAnalysis, range: Range<Int>? = nil) {
        let range = range ?? 0..<analysis.subsetCount
        self.init(studyCount: analysis.model.studyCount, method: analysis.model.estimator.rawValue,
                  isExhaustive: analysis.isExhaustive, seed: analysis.seed, totalSubsets: analysis.subsetCount,
                  firstSubset: range.lowerBound, recordCount: range.count, fingerprint: analysis.fingerprint)
    }

    /// Where the field names start.
    static let namesOffset = 88 + fingerprintLength

    public var maskWords: Int { (studyCount + 31) / 32 }
    public var recordLength: Int { 4 * maskWords + 8 * Self.fieldNames.count }
    public var headerLength: Int {
        let names = Self.fieldNames.reduce(0) { $0 + $1.utf8.count + 1 }
        return (Self.namesOffset + names + 7) / 8 * 8
    }

    /// The header's bytes.
    public func encoded() -> [UInt8] {
        var out = Self.magic
        out.reserveCapacity(headerLength)
        for v in [Self.version, UInt32(headerLength), UInt32(studyCount), UInt32(maskWords), UInt32(Self.fieldNames.count),
                  UInt32(recordLength), isExhaustive ? 1 : 0, 0] { appendLittleEndian(v, to: &out) }
        for v in [seed, UInt64(totalSubsets), UInt64(firstSubset), UInt64(recordCount)] { appendLittleEndian(v, to: &out) }
        let code = Array(method.utf8.prefix(15))
        out += code + [UInt8](repeating: 0, count: 16 - code.count)
        out += fingerprint.prefix(Self.fingerprintLength) + [UInt8](repeating: 0, count: max(0, Self.fingerprintLength - fingerprint.count))
        for name in Self.fieldNames { out += Array(name.utf8) + [0] }
        out += [UInt8](repeating: 0, count: headerLength - out.count)
        return out
    }

    /// Reads a header from the start of `bytes` (which may hold more).
    public init(decoding bytes: [UInt8], path: String) throws(GOSHFileError) {
        guard bytes.count >= 8, Array(bytes[0..<8]) == Self.magic else { throw .notGOSHFile(path: path) }
        guard bytes.count >= Self.namesOffset else { throw .malformedHeader(path: path, reason: "the file ends inside the header") }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
        guard u32(8) == Self.version else { throw .unsupportedVersion(path: path, version: Int(u32(8))) }
        let k = Int(u32(16))
        guard k >= 1, k <= 64, Int(u32(20)) == (k + 31) / 32, Int(u32(24)) == Self.fieldNames.count else {
            throw .malformedHeader(path: path, reason: "k, mask words and field count do not fit version \(Self.version)")
        }
        let codeBytes = bytes[72..<88].prefix { $0 != 0 }
        self = try Self.checked(studyCount: k, method: String(decoding: codeBytes, as: UTF8.self), isExhaustive: u32(32) & 1 != 0,
                                seed: u64(40), totalSubsets: u64(48), firstSubset: u64(56), recordCount: u64(64),
                                fingerprint: Array(bytes[88..<Self.namesOffset]), path: path)
        guard Int(u32(12)) == headerLength, Int(u32(28)) == recordLength, bytes.count >= headerLength else {
            throw .malformedHeader(path: path, reason: "header or record length differs from version \(Self.version)")
        }
        var names: [String] = []
        var at = Self.namesOffset
        for _ in 0..<Self.fieldNames.count {
            let end = bytes[at..<headerLength].firstIndex(of: 0) ?? headerLength
            names.append(String(decoding: bytes[at..<end], as: UTF8.self))
            at = min(end + 1, headerLength)
        }
        guard names == Self.fieldNames else {
            throw .malformedHeader(path: path, reason: "fields \(names.joined(separator: ",")) instead of \(Self.fieldNames.joined(separator: ","))")
        }
    }

    /// A header from untrusted counts: each must fit in an Int before any arithmetic on it, an exhaustive run has
    /// 2^k − 1 subsets, and the file's records lie within the run.
    private static func checked(studyCount k: Int, method: String, isExhaustive: Bool, seed: UInt64, totalSubsets: UInt64,
                                firstSubset: UInt64, recordCount: UInt64, fingerprint: [UInt8], path: String) throws(GOSHFileError) -> GOSHBinaryHeader {
        func count(_ value: UInt64, _ name: String) throws(GOSHFileError) -> Int {
            guard let n = Int(exactly: value) else { throw .malformedHeader(path: path, reason: "\(name) \(value) exceeds \(Int.max)") }
            return n
        }
        let total = try count(totalSubsets, "the run's subset count"), first = try count(firstSubset, "the first subset")
        let records = try count(recordCount, "the record count")
        if isExhaustive {
            guard k <= GOSHAnalysis.maximumExhaustiveStudies, total == (1 << k) - 1 else {
                throw .malformedHeader(path: path, reason: "an exhaustive run of k = \(k) has 2^k - 1 subsets (at most k = \(GOSHAnalysis.maximumExhaustiveStudies)), not \(total)")
            }
        }
        let (end, overflow) = first.addingReportingOverflow(records)
        guard total >= 1, !overflow, end <= total else {
            throw .malformedHeader(path: path, reason: "first subset \(first) plus \(records) records exceed the run's \(total) subsets")
        }
        guard fingerprint.count == fingerprintLength else { throw .malformedHeader(path: path, reason: "the fingerprint is not \(fingerprintLength) bytes") }
        return GOSHBinaryHeader(studyCount: k, method: method, isExhaustive: isExhaustive, seed: seed, totalSubsets: total,
                                firstSubset: first, recordCount: records, fingerprint: fingerprint)
    }

    /// The start of a CSV shard file's first line.
    public static let csvShardPrefix = "# metaswift gosh shard:"

    /// The first line of a CSV shard file (before the CSV header): the header's fields as `name=value` words,
    /// so that `metaswift merge` checks CSV shards as it checks binary ones.
    public func csvShardLine() -> String {
        Self.csvShardPrefix + " k=\(studyCount) method=\(method) subsets=\(isExhaustive ? "exhaustive" : "sampled") seed=\(seed)"
            + " total=\(totalSubsets) first=\(firstSubset) records=\(recordCount) fingerprint=\(Self.hex(fingerprint))\n"
    }

    /// Reads ``csvShardLine()`` (without its line end).
    public init(csvShardLine line: String, path: String) throws(GOSHFileError) {
        guard line.hasPrefix(Self.csvShardPrefix) else { throw .malformedHeader(path: path, reason: "the first line is not a GOSH shard line") }
        var fields: [String: String] = [:]
        for word in line.dropFirst(Self.csvShardPrefix.count).split(separator: " ") {
            let pair = word.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, fields[String(pair[0])] == nil else {
                throw .malformedHeader(path: path, reason: "'\(word)' in the shard line is not a single name=value")
            }
            fields[String(pair[0])] = String(pair[1])
        }
        func value<T: FixedWidthInteger>(_ name: String, _: T.Type) throws(GOSHFileError) -> T {
            guard let text = fields[name], let v = T(text) else {
                throw .malformedHeader(path: path, reason: "the shard line needs \(name)=<whole number> (found \(fields[name] ?? "none"))")
            }
            return v
        }
        let k = try value("k", Int.self)
        guard k >= 1, k <= 64 else { throw .malformedHeader(path: path, reason: "k = \(k) is outside 1 ... 64") }
        guard let method = fields["method"], let subsets = fields["subsets"], subsets == "exhaustive" || subsets == "sampled",
              let hexText = fields["fingerprint"], let fingerprint = Self.bytes(hex: hexText)
        else { throw .malformedHeader(path: path, reason: "the shard line needs method, subsets=exhaustive|sampled and a hex fingerprint") }
        self = try Self.checked(studyCount: k, method: method, isExhaustive: subsets == "exhaustive", seed: try value("seed", UInt64.self),
                                totalSubsets: try value("total", UInt64.self), firstSubset: try value("first", UInt64.self),
                                recordCount: try value("records", UInt64.self), fingerprint: fingerprint, path: path)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let hi = nibble(digits[i]), let lo = nibble(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }

    /// The first 12 hex digits of the fingerprint, for messages.
    public var fingerprintPrefix: String { String(Self.hex(fingerprint).prefix(12)) }

    /// Appends the records of `subsets` to `bytes`.
    public func appendRecords(_ subsets: UnsafeBufferPointer<GOSHSubset>, to bytes: inout [UInt8]) {
        let start = bytes.count, words = maskWords, length = recordLength
        bytes += repeatElement(0, count: subsets.count * length)
        bytes.withUnsafeMutableBytes { raw in
            var at = start
            for s in subsets {
                for word in 0..<words {
                    raw.storeBytes(of: UInt32(truncatingIfNeeded: s.mask >> (32 * UInt64(word))).littleEndian, toByteOffset: at, as: UInt32.self)
                    at += 4
                }
                raw.storeBytes(of: s.estimate.bitPattern.littleEndian, toByteOffset: at, as: UInt64.self)
                raw.storeBytes(of: s.tauSquared.bitPattern.littleEndian, toByteOffset: at + 8, as: UInt64.self)
                raw.storeBytes(of: s.iSquared.bitPattern.littleEndian, toByteOffset: at + 16, as: UInt64.self)
                raw.storeBytes(of: s.hSquared.bitPattern.littleEndian, toByteOffset: at + 24, as: UInt64.self)
                raw.storeBytes(of: s.cochranQ.bitPattern.littleEndian, toByteOffset: at + 32, as: UInt64.self)
                at += 40
            }
        }
    }

    /// Decodes the record starting at `offset` of `bytes`.
    public func record(in bytes: UnsafeRawBufferPointer, at offset: Int) -> GOSHSubset {
        var mask: UInt64 = 0
        for word in 0..<maskWords { mask |= UInt64(readLittleEndian(UInt32.self, bytes, offset + 4 * word)) << (32 * UInt64(word)) }
        let f = offset + 4 * maskWords
        func field(_ j: Int) -> Double { Double(bitPattern: readLittleEndian(UInt64.self, bytes, f + 8 * j)) }
        return GOSHSubset(mask: mask, studyCount: mask.nonzeroBitCount, estimate: field(0), tauSquared: field(1),
                          iSquared: field(2), hSquared: field(3), cochranQ: field(4))
    }
}

/// A GOSH file that cannot be read or merged.
public enum GOSHFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notGOSHFile(path: String)
    case unsupportedVersion(path: String, version: Int)
    case malformedHeader(path: String, reason: String)
    case truncated(path: String, expectedRecords: Int, foundRecords: Int)
    case shardsDoNotCoverRun(reason: String)
    /// The file holds the subsets of another analysis (other data or τ² options: the fingerprints differ).
    case otherAnalysis(path: String, fileFingerprint: String, analysisFingerprint: String)
    /// The file is one shard of a run (subsets first ..< first + records of total), not the whole run.
    case partialRun(path: String, first: Int, records: Int, total: Int)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "Cannot read '\(path)': \(reason)."
        case let .notGOSHFile(path): return "'\(path)' is not a MetaSwift GOSH binary file (expected the magic bytes MSWGOSH)."
        case let .unsupportedVersion(path, version): return "'\(path)' is GOSH format version \(version); this MetaSwift reads version \(GOSHBinaryHeader.version)."
        case let .malformedHeader(path, reason): return "'\(path)' has a malformed GOSH header: \(reason)."
        case let .truncated(path, expected, found): return "'\(path)' is truncated: its header promises \(expected) records, the file holds \(found)."
        case let .shardsDoNotCoverRun(reason): return "The GOSH shards do not make one run: \(reason)."
        case let .otherAnalysis(path, file, analysis):
            return "'\(path)' holds the subsets of another analysis (other data or tau^2 options: fingerprint \(file)… vs \(analysis)… here)."
        case let .partialRun(path, first, records, total):
            return "'\(path)' holds subsets \(first) ..< \(first + records) of a run of \(total); merge the run's shards first."
        }
    }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
}

private func readLittleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawBufferPointer, _ offset: Int) -> T {
    T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
}
