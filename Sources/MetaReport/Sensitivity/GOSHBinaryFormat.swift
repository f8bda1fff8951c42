#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis

/// The compact binary stream of a GOSH analysis (`metaswift sensitivity gosh --format binary`), version 1.
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
/// | 88 | … | the F field names, each ASCII and NUL-terminated: `estimate`, `tau2`, `I2`, `H2`, `QE`; NUL padding to H |
///
/// Record: W uint32 mask words (word 0 holds studies 1–32, bit i of the mask = study i + 1 included), then the F
/// float64 fields in the header's order. The subset size is the mask's population count.
///
/// A shard (`--shard i/n`) is a file whose records are the run's subsets first ..< first + count; `metaswift
/// merge` concatenates the records of shards covering 0 ..< N and writes the header with first = 0, count = N,
/// which is byte for byte the single run's file.
public struct GOSHBinaryHeader: Sendable, Equatable {
    public static let magic: [UInt8] = Array("MSWGOSH\n".utf8)
    public static let version: UInt32 = 1
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

    public init(studyCount: Int, method: String, isExhaustive: Bool, seed: UInt64, totalSubsets: Int, firstSubset: Int,
                recordCount: Int) {
        self.studyCount = studyCount
        self.method = method
        self.isExhaustive = isExhaustive
        self.seed = isExhaustive ? 0 : seed
        self.totalSubsets = totalSubsets
        self.firstSubset = firstSubset
        self.recordCount = recordCount
    }

    /// The header of `analysis`' subsets `range` (the whole run by default).
    public init(_ analysis: GOSHAnalysis, range: Range<Int>? = nil) {
        let range = range ?? 0..<analysis.subsetCount
        self.init(studyCount: analysis.model.studyCount, method: analysis.model.estimator.rawValue,
                  isExhaustive: analysis.isExhaustive, seed: analysis.seed, totalSubsets: analysis.subsetCount,
                  firstSubset: range.lowerBound, recordCount: range.count)
    }

    public var maskWords: Int { (studyCount + 31) / 32 }
    public var recordLength: Int { 4 * maskWords + 8 * Self.fieldNames.count }
    public var headerLength: Int {
        let names = Self.fieldNames.reduce(0) { $0 + $1.utf8.count + 1 }
        return (88 + names + 7) / 8 * 8
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
        for name in Self.fieldNames { out += Array(name.utf8) + [0] }
        out += [UInt8](repeating: 0, count: headerLength - out.count)
        return out
    }

    /// Reads a header from the start of `bytes` (which may hold more).
    public init(decoding bytes: [UInt8], path: String) throws(GOSHFileError) {
        guard bytes.count >= 88, Array(bytes[0..<8]) == Self.magic else { throw .notGOSHFile(path: path) }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
        guard u32(8) == Self.version else { throw .unsupportedVersion(path: path, version: Int(u32(8))) }
        let k = Int(u32(16))
        guard k >= 1, k <= 64, Int(u32(20)) == (k + 31) / 32, Int(u32(24)) == Self.fieldNames.count else {
            throw .malformedHeader(path: path, reason: "k, mask words and field count do not fit version 1")
        }
        let codeBytes = bytes[72..<88].prefix { $0 != 0 }
        let isExhaustive = u32(32) & 1 != 0
        // The counts are untrusted: each must fit in an Int before any arithmetic on it.
        func count(_ at: Int, _ name: String) throws(GOSHFileError) -> Int {
            guard let n = Int(exactly: u64(at)) else {
                throw .malformedHeader(path: path, reason: "\(name) \(u64(at)) exceeds \(Int.max)")
            }
            return n
        }
        let total = try count(48, "the run's subset count"), first = try count(56, "the first subset"), records = try count(64, "the record count")
        if isExhaustive {
            guard k <= GOSHAnalysis.maximumExhaustiveStudies, total == (1 << k) - 1 else {
                throw .malformedHeader(path: path, reason: "an exhaustive run of k = \(k) has 2^k - 1 subsets (at most k = \(GOSHAnalysis.maximumExhaustiveStudies)), not \(total)")
            }
        }
        let (end, overflow) = first.addingReportingOverflow(records)
        guard total >= 1, !overflow, end <= total else {
            throw .malformedHeader(path: path, reason: "first subset \(first) plus \(records) records exceed the run's \(total) subsets")
        }
        self.init(studyCount: k, method: String(decoding: codeBytes, as: UTF8.self), isExhaustive: isExhaustive,
                  seed: u64(40), totalSubsets: total, firstSubset: first, recordCount: records)
        guard Int(u32(12)) == headerLength, Int(u32(28)) == recordLength, bytes.count >= headerLength else {
            throw .malformedHeader(path: path, reason: "header or record length differs from version 1")
        }
        var names: [String] = []
        var at = 88
        for _ in 0..<Self.fieldNames.count {
            let end = bytes[at..<headerLength].firstIndex(of: 0) ?? headerLength
            names.append(String(decoding: bytes[at..<end], as: UTF8.self))
            at = end + 1
        }
        guard names == Self.fieldNames else {
            throw .malformedHeader(path: path, reason: "fields \(names.joined(separator: ",")) instead of \(Self.fieldNames.joined(separator: ","))")
        }
    }

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

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "Cannot read '\(path)': \(reason)."
        case let .notGOSHFile(path): return "'\(path)' is not a MetaSwift GOSH binary file (expected the magic bytes MSWGOSH)."
        case let .unsupportedVersion(path, version): return "'\(path)' is GOSH format version \(version); this MetaSwift reads version \(GOSHBinaryHeader.version)."
        case let .malformedHeader(path, reason): return "'\(path)' has a malformed GOSH header: \(reason)."
        case let .truncated(path, expected, found): return "'\(path)' is truncated: its header promises \(expected) records, the file holds \(found)."
        case let .shardsDoNotCoverRun(reason): return "The GOSH shards do not make one run: \(reason)."
        }
    }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
}

private func readLittleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawBufferPointer, _ offset: Int) -> T {
    T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
}
