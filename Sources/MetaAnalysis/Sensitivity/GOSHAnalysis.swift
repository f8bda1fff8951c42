import MetaNumerics
import Synchronization

/// One subset of a GOSH analysis: which studies it holds and the model fitted to them.
public struct GOSHSubset: Sendable, Equatable {
    /// Bit i set: study i is in the subset.
    public var mask: UInt64
    public var studyCount: Int
    public var estimate: Double
    public var tauSquared: Double
    public var iSquared: Double
    public var hSquared: Double
    public var cochranQ: Double
}

/// A block of consecutive GOSH subsets (in the analysis' subset order), handed to the consumer of a stream.
public struct GOSHBlock: Sendable {
    /// Index of the first subset of the block in the analysis' order.
    public var firstIndex: Int
    public var subsets: [GOSHSubset]
}

/// GOSH, the graphical display of study heterogeneity (Olkin, Dahabreh & Trikalinos 2012; metafor's `gosh`):
/// the model fitted to every non-empty subset of the k studies (2^k − 1 fits), or to a random sample of
/// subsets when k is large.
///
/// Exhaustive subsets are visited in Gray-code order (subset g is the mask g ⊕ (g ≫ 1)), so each differs from
/// the previous by one study. For the common-effect model and DerSimonian–Laird the sums Σw, Σw², Σwy, Σwy²
/// (w = 1/v) are updated in O(1) per subset: Q, I², H², and the DL τ² follow in O(1), the DL estimate needs one
/// pass over the subset when τ² > 0. Every block of `blockSize` subsets starts from sums formed afresh, so
/// rounding cannot drift and the result of each subset does not depend on the number of threads. Other
/// estimators refit each subset through the shared subset kernel.
///
/// Sampled subsets: subset b includes each study with probability 1/2, drawn from the counter-based random
/// stream (seed, b) (empty draws are redrawn from the same stream), so results are identical for any thread
/// count and any sharding.
public struct GOSHAnalysis: Sendable {
    public let model: RandomEffectsModel
    /// Whether every subset is fitted (else `sampleCount` random subsets).
    public let isExhaustive: Bool
    /// Number of subsets fitted.
    public let subsetCount: Int
    public let seed: UInt64
    public static let blockSize = 4096
    /// k up to which all subsets are fitted by default.
    public static let defaultExhaustiveLimit = 20

    /// - Parameters:
    ///   - exhaustiveLimit: fit all 2^k − 1 subsets when k ≤ this (at most 40).
    ///   - sampleCount: subsets drawn when k exceeds `exhaustiveLimit`.
    ///   - seed: the random seed of the sampled subsets.
    /// - Throws: `InputError` for k < 2 or k > 64.
    public init(model: RandomEffectsModel, exhaustiveLimit: Int = defaultExhaustiveLimit, sampleCount: Int = 100_000,
                seed: UInt64 = 1) throws {
        let k = model.studyCount
        guard k >= 2 else { throw InputError.tooFewStudies(found: k, needed: 2, analysis: "GOSH") }
        guard k <= 64 else {
            throw InputError.invalidOption(name: "studies", value: String(k), expected: "at most 64 studies for a GOSH analysis")
        }
        guard sampleCount >= 1 else {
            throw InputError.invalidOption(name: "subsets", value: String(sampleCount), expected: "at least one subset")
        }
        self.model = model
        isExhaustive = k <= min(exhaustiveLimit, 40)
        subsetCount = isExhaustive ? (1 << k) - 1 : sampleCount
        self.seed = seed
    }

    public var blockCount: Int { (subsetCount + Self.blockSize - 1) / Self.blockSize }

    /// The mask of subset `index` (0-based in the analysis' order).
    public func mask(ofSubset index: Int) -> UInt64 {
        if isExhaustive {
            let g = UInt64(index + 1)
            return g ^ (g >> 1)
        }
        let k = model.studyCount
        var stream = RandomStream(seed: seed, stream: UInt64(index))
        let all: UInt64 = k == 64 ? ~0 : (1 << UInt64(k)) - 1
        while true {
            let m = stream.next() & all
            if m != 0 { return m }
        }
    }

    /// Computes every block and hands each to `body`, from up to `threads` workers concurrently (blocks in any
    /// order; each block's content does not depend on the thread count).
    public func forEachBlock(threads: Int? = nil, _ body: @Sendable (GOSHBlock) -> Void) throws {
        let failure = FirstError()
        let me = self
        ParallelLoop.forEachChunk(blockCount, threads: threads) { b in
            do { body(try me.block(b)) } catch { failure.record(error) }
        }
        if let error = failure.error { throw error }
    }

    /// All subsets in order (2^k − 1 of them when exhaustive: meant for k up to about 20).
    public func subsets(threads: Int? = nil) throws -> [GOSHSubset] {
        var out = [GOSHSubset?](repeating: nil, count: subsetCount)
        try out.withUnsafeMutableBufferPointer { buffer in
            let writer = DisjointWriter(buffer)
            try forEachBlock(threads: threads) { block in
                for (j, s) in block.subsets.enumerated() { writer[block.firstIndex + j] = s }
            }
        }
        return out.map { $0! }
    }

    /// Block `b`: subsets b·blockSize ..< min((b+1)·blockSize, subsetCount).
    public func block(_ b: Int) throws -> GOSHBlock {
        let start = b * Self.blockSize
        let end = min(start + Self.blockSize, subsetCount)
        var subsets: [GOSHSubset] = []
        subsets.reserveCapacity(end - start)
        let estimator = model.estimator
        if isExhaustive && (estimator == .commonEffect || estimator == .derSimonianLaird) {
            incrementalBlock(start, end, into: &subsets)
        } else {
            try refitBlock(start, end, into: &subsets)
        }
        return GOSHBlock(firstIndex: start, subsets: subsets)
    }

    /// EE/DL in Gray-code order with O(1) updates of the sums (centred effects).
    private func incrementalBlock(_ start: Int, _ end: Int, into subsets: inout [GOSHSubset]) {
        let y = model.effectSizes, v = model.samplingVariances
        let centre = model.estimate
        let k = y.count
        let isDL = model.estimator == .derSimonianLaird
        var s1 = 0.0, s2 = 0.0, swy = 0.0, swyy = 0.0
        var mask = mask(ofSubset: start)
        var m = 0
        for i in 0..<k where mask & (1 << UInt64(i)) != 0 {
            let w = 1 / v[i], d = y[i] - centre
            s1 += w; s2 += w * w; swy += w * d; swyy += w * d * d
            m += 1
        }
        var index = start
        while true {
            let q = m > 1 ? max(0, swyy - swy * swy / s1) : 0
            var result = GOSHSubset(mask: mask, studyCount: m, estimate: centre + swy / s1, tauSquared: 0,
                                    iSquared: 0, hSquared: 1, cochranQ: q)
            if m > 1 {
                let df = Double(m - 1)
                if isDL {
                    let c = s1 - s2 / s1
                    let t2 = max(0, (q - df) / c)
                    result.tauSquared = t2
                    let typical = df / c
                    result.iSquared = 100 * t2 / (t2 + typical)
                    result.hSquared = 1 + t2 / typical
                    if t2 > 0 {
                        var sw = 0.0, swd = 0.0
                        var bits = mask
                        while bits != 0 {
                            let i = bits.trailingZeroBitCount
                            bits &= bits - 1
                            let w = 1 / (v[i] + t2)
                            sw += w
                            swd += w * (y[i] - centre)
                        }
                        result.estimate = centre + swd / sw
                    }
                } else {
                    result.iSquared = q > 0 ? max(0, 100 * (q - df) / q) : 0
                    result.hSquared = q / df
                }
            }
            subsets.append(result)
            index += 1
            if index == end { break }
            // Gray code: going from subset g to g + 1 flips the bit of g + 1's lowest set bit.
            let flip = UInt64(index + 1).trailingZeroBitCount
            let bit: UInt64 = 1 << UInt64(flip)
            let w = 1 / v[flip], d = y[flip] - centre
            if mask & bit != 0 {
                s1 -= w; s2 -= w * w; swy -= w * d; swyy -= w * d * d
                m -= 1
            } else {
                s1 += w; s2 += w * w; swy += w * d; swyy += w * d * d
                m += 1
            }
            mask ^= bit
            if m == 0 { s1 = 0; s2 = 0; swy = 0; swyy = 0 }
        }
    }

    /// Any estimator: gather each subset and refit it through the subset kernel.
    private func refitBlock(_ start: Int, _ end: Int, into subsets: inout [GOSHSubset]) throws {
        let y = model.effectSizes, v = model.samplingVariances, a = model.userWeights
        let k = y.count
        var scratchY = [Double](repeating: 0, count: k), scratchV = [Double](repeating: 0, count: k)
        var scratchA: [Double]? = a.map { _ in [Double](repeating: 0, count: k) }
        var options = model.options
        options.test = .z
        for index in start..<end {
            let mask = mask(ofSubset: index)
            var m = 0
            var bits = mask
            while bits != 0 {
                let i = bits.trailingZeroBitCount
                bits &= bits - 1
                scratchY[m] = y[i] - model.estimate
                scratchV[m] = v[i]
                if let a { scratchA![m] = a[i] }
                m += 1
            }
            let fit = try SubsetFit(kernel: StudySubsetKernel(centredEffects: scratchY, variances: scratchV, userWeights: scratchA,
                                                              centre: model.estimate, count: m), options: options)
            subsets.append(GOSHSubset(mask: mask, studyCount: m, estimate: fit.estimate, tauSquared: fit.tauSquared,
                                      iSquared: fit.iSquared, hSquared: fit.hSquared, cochranQ: fit.cochranQ))
        }
    }
}

/// The first error thrown by any worker of a parallel loop.
private final class FirstError: Sendable {
    private let stored = Mutex<(any Error)?>(nil)
    var error: (any Error)? { stored.withLock { $0 } }
    func record(_ e: any Error) { stored.withLock { if $0 == nil { $0 = e } } }
}
