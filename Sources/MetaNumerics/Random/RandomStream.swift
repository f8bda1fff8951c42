#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reproducible random stream, identified by (seed, stream), from the Philox4x64-10 counter-based
/// generator (see ``Philox``).
///
/// Stream (seed, i) uses key (seed, i) and counters 0, 1, 2, …; draw j of the stream is word j mod 4 of
/// block ⌊j/4⌋. Nothing depends on which thread or shard runs it, so replicate b of a bootstrap that
/// draws from `RandomStream(seed: s, stream: b)` is bit-identical for any thread count or `--shard i/n`
/// split. Why counter-based rather than a jumpable sequential generator: streams need no coordination,
/// skip-ahead is O(1) (``init(seed:stream:position:)``), and distinct keys give statistically
/// independent streams (Salmon et al. 2011, §2).
///
/// Conforms to `RandomNumberGenerator`, so the standard library's `shuffled(using:)`,
/// `Int.random(in:using:)` etc. work on it (those consume whole 64-bit words).
public struct RandomStream: RandomNumberGenerator, Sendable {
    public let seed: UInt64
    public let stream: UInt64
    private var blockIndex: UInt64
    private var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var bufferPosition = 4
    /// The second normal of the last Box–Muller pair, if not yet used.
    private var spareNormal: Double?

    /// Stream `stream` of `seed`, positioned at its first draw.
    public init(seed: UInt64, stream: UInt64 = 0) {
        self.init(seed: seed, stream: stream, position: 0)
    }

    /// Stream (seed, stream) positioned so that the next 64-bit word is word `position` of the stream.
    public init(seed: UInt64, stream: UInt64, position: UInt64) {
        self.seed = seed
        self.stream = stream
        blockIndex = position / 4
        let offset = Int(position % 4)
        if offset > 0 {
            buffer = Philox.block(counter: (blockIndex, 0, 0, 0), key: (seed, stream))
            blockIndex += 1
            bufferPosition = offset
        }
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        nextWord()
    }

    @usableFromInline
    mutating func nextWord() -> UInt64 {
        if bufferPosition == 4 {
            buffer = Philox.block(counter: (blockIndex, 0, 0, 0), key: (seed, stream))
            blockIndex &+= 1
            bufferPosition = 0
        }
        defer { bufferPosition += 1 }
        switch bufferPosition {
        case 0: return buffer.0
        case 1: return buffer.1
        case 2: return buffer.2
        default: return buffer.3
        }
    }

    /// A uniform double in the open interval (0, 1): (⌊w/2¹¹⌋ + ½)·2⁻⁵³ from one 64-bit word w, so all
    /// 2⁵³ values are equally likely and neither 0 nor 1 occurs (logs and quantiles stay finite).
    public mutating func nextUniform() -> Double {
        (Double(nextWord() >> 11) + 0.5) * 0x1p-53
    }

    /// A standard normal variate by the Box–Muller transform (Box & Muller 1958): from uniforms u₁, u₂,
    /// √(−2 ln u₁)·cos(2πu₂) and √(−2 ln u₁)·sin(2πu₂) are independent N(0, 1); the second is kept for
    /// the next call. Exact (no approximation beyond floating point), and branch-free apart from the cache.
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let radius = (-2 * log(nextUniform())).squareRoot()
        let angle = 2 * Double.pi * nextUniform()
        spareNormal = radius * sin(angle)
        return radius * cos(angle)
    }
}
