import MetaData
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

    public init(mask: UInt64, studyCount: Int, estimate: Double, tauSquared: Double, iSquared: Double, hSquared: Double,
                cochranQ: Double) {
        self.mask = mask
        self.studyCount = studyCount
        self.estimate = estimate
        self.tauSquared = tauSquared
        self.iSquared = iSquared
        self.hSquared = hSquared
        self.cochranQ = cochranQ
    }
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
/// Exhaustive subsets are visited in Gray-code order (subset g, 0-based, is the mask (g+1) ⊕ ((g+1) ≫ 1)), so
/// each differs from the previous by one study. For the common-effect model and DerSimonian–Laird the sums
/// Σw, Σw², Σwy, Σwy² (w = 1/v, effects centred at the full-data estimate) are updated in O(1) per subset and
/// carried with an error term (Knuth's TwoSum), so that Q = Σwy² − (Σwy)²/Σw keeps full precision however many
/// studies came and went: Q, I², H² and the DL τ² follow in O(1), the DL estimate needs one pass over the
/// subset when τ² > 0. The sums are formed afresh at every multiple of `blockSize`, and a range starting
/// inside a block first replays that block's updates from its start, so the value of every subset is the
/// same whatever the range, the number of threads or the shard it is computed in. Other estimators, and
/// sampled subsets, refit each subset through the shared subset kernel.
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
    /// The largest k that may be enumerated exhaustively (2^40 subsets).
    public static let maximumExhaustiveStudies = 40

    /// Per-study terms of the incremental sums: w, w², w·d, w·d² with d = y − centre, and v, d for the DL pass.
    private let terms: [IncrementTerms]

    /// - Parameters:
    ///   - exhaustiveLimit: fit all 2^k − 1 subsets when k ≤ this (at most 40).
    ///   - sampleCount: subsets drawn when k exceeds `exhaustiveLimit`; when it reaches 2^k − 1 (k ≤ 40), every
    ///     subset is fitted instead.
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
        guard exhaustiveLimit <= Self.maximumExhaustiveStudies else {
            throw InputError.invalidOption(name: "exhaustiveLimit", value: String(exhaustiveLimit),
                                           expected: "at most \(Self.maximumExhaustiveStudies) (2^40 - 1 subsets)")
        }
        self.model = model
        // Asking for at least as many random subsets as there are (2^k − 1) would draw repeats: fit them all, as
        // metafor's gosh does when its `subsets` reaches the number of subsets.
        isExhaustive = k <= exhaustiveLimit || (k <= Self.maximumExhaustiveStudies && sampleCount >= (1 << k) - 1)
        subsetCount = isExhaustive ? (1 << k) - 1 : sampleCount
        self.seed = seed
        let centre = model.estimate
        terms = zip(model.effectSizes, model.samplingVariances).map { y, v in
            let w = 1 / v, d = y - centre
            return IncrementTerms(w: w, w2: w * w, wd: w * d, wdd: w * d * d, v: v, d: d)
        }
    }

    public var blockCount: Int { (subsetCount + Self.blockSize - 1) / Self.blockSize }

    /// Whether subsets are computed by the O(1) Gray-code updates (exhaustive EE or DL).
    public var isIncremental: Bool {
        isExhaustive && (model.estimator == .commonEffect || model.estimator == .derSimonianLaird)
    }

    /// The subsets of shard `index` of `count` (1-based): the contiguous range
    /// ⌊(index − 1)·N/count⌋ ..< ⌊index·N/count⌋ of the N subsets, in the analysis' order.
    public func shardRange(index: Int, count: Int) throws(InputError) -> Range<Int> {
        guard let shard = try? Shard(index: index, count: count) else {
            throw .invalidOption(name: ArgumentNaming.current(.shard), value: "\(index)/\(count)", expected: "i/n with 1 <= i <= n, e.g. 2/8")
        }
        return shard.range(of: subsetCount)
    }

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

    /// Computes the subsets `range` into `buffer` (at least `range.count` long), in order.
    ///
    /// - Complexity: O(1) per subset for exhaustive EE (DL: O(subset size) when τ² > 0), plus up to
    ///   `blockSize` O(1) replayed updates when `range` starts inside a block; one refit per subset otherwise.
    public func compute(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<GOSHSubset>) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= subsetCount && buffer.count >= range.count,
                     "subset range out of bounds")
        guard let base = buffer.baseAddress, !range.isEmpty else { return }
        if isIncremental {
            var index = range.lowerBound
            while index < range.upperBound {
                let blockStart = index / Self.blockSize * Self.blockSize
                let end = min(blockStart + Self.blockSize, range.upperBound)
                incrementalRun(seedAt: blockStart, emitFrom: index, to: end, into: base + (index - range.lowerBound))
                index = end
            }
        } else {
            try refit(range, into: base)
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
        try subsets(in: 0..<subsetCount, threads: threads)
    }

    /// The subsets `range`, in order, computed a block at a time on up to `threads` workers.
    public func subsets(in range: Range<Int>, threads: Int? = nil, progress: (@Sendable (Int) -> Void)? = nil) throws -> [GOSHSubset] {
        let empty = GOSHSubset(mask: 0, studyCount: 0, estimate: 0, tauSquared: 0, iSquared: 0, hSquared: 0, cochranQ: 0)
        var out = [GOSHSubset](repeating: empty, count: range.count)
        try out.withUnsafeMutableBufferPointer { buffer in
            try computeInParallel(range, into: buffer, threads: threads, progress: progress)
        }
        return out
    }

    /// Computes `range` in consecutive batches of at most `batchSize` subsets (rounded up to whole blocks),
    /// each batch on up to `threads` workers, and hands the batches to `consume` in order: the memory held is
    /// one batch, whatever the number of subsets.
    public func stream(_ range: Range<Int>, batchSize: Int = 64 * blockSize, threads: Int? = nil,
                       progress: (@Sendable (Int) -> Void)? = nil,
                       _ consume: (UnsafeBufferPointer<GOSHSubset>) throws -> Void) throws {
        let batch = max(1, (batchSize + Self.blockSize - 1) / Self.blockSize) * Self.blockSize
        let buffer = UnsafeMutableBufferPointer<GOSHSubset>.allocate(capacity: min(batch, max(1, range.count)))
        defer { buffer.deallocate() }
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + batch, range.upperBound)
            let part = UnsafeMutableBufferPointer(rebasing: buffer[0..<(end - start)])
            try computeInParallel(start..<end, into: part, threads: threads, progress: progress)
            try consume(UnsafeBufferPointer(part))
            start = end
        }
    }

    /// Fills `buffer` with the subsets `range`, a block (of the analysis' block grid) per work item.
    private func computeInParallel(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<GOSHSubset>, threads: Int?,
                                   progress: (@Sendable (Int) -> Void)?) throws {
        if range.isEmpty { return }
        let firstBlock = range.lowerBound / Self.blockSize
        let lastBlock = (range.upperBound - 1) / Self.blockSize
        let writer = DisjointWriter(buffer)
        let failure = FirstError()
        let me = self
        ParallelLoop.forEachChunk(lastBlock - firstBlock + 1, threads: threads) { c in
            let b = firstBlock + c
            let part = max(range.lowerBound, b * Self.blockSize)..<min(range.upperBound, (b + 1) * Self.blockSize)
            let slice = UnsafeMutableBufferPointer(rebasing: writer.base[(part.lowerBound - range.lowerBound)..<(part.upperBound - range.lowerBound)])
            do { try me.compute(part, into: slice) } catch { failure.record(error) }
            progress?(part.count)
        }
        if let error = failure.error { throw error }
    }

    /// Block `b`: subsets b·blockSize ..< min((b+1)·blockSize, subsetCount).
    public func block(_ b: Int) throws -> GOSHBlock {
        let start = b * Self.blockSize
        let end = min(start + Self.blockSize, subsetCount)
        let subsets = try [GOSHSubset](unsafeUninitializedCapacity: end - start) { buffer, count in
            try compute(start..<end, into: buffer)
            count = end - start
        }
        return GOSHBlock(firstIndex: start, subsets: subsets)
    }

    /// EE/DL in Gray-code order: sums formed at subset `seedIndex` (a block start), updated in O(1) per step,
    /// results written for the subsets `emitFrom ..< end`.
    private func incrementalRun(seedAt seedIndex: Int, emitFrom first: Int, to end: Int, into out: UnsafeMutablePointer<GOSHSubset>) {
        let centre = model.estimate
        let isDL = model.estimator == .derSimonianLaird
        terms.withUnsafeBufferPointer { t in
            var s1 = TwoSum(), s2 = TwoSum(), swd = TwoSum(), swdd = TwoSum()
            var mask = mask(ofSubset: seedIndex)
            var bits = mask
            while bits != 0 {
                let i = bits.trailingZeroBitCount
                bits &= bits - 1
                s1.add(t[i].w); s2.add(t[i].w2); swd.add(t[i].wd); swdd.add(t[i].wdd)
            }
            var m = mask.nonzeroBitCount
            var index = seedIndex
            var slot = out
            while true {
                if index >= first {
                    let sw = s1.value, sd = swd.value
                    var result = GOSHSubset(mask: mask, studyCount: m, estimate: centre + sd / sw, tauSquared: 0,
                                            iSquared: 0, hSquared: 1, cochranQ: 0)
                    if m > 1 {
                        let q = max(0, swdd.value - sd * sd / sw)
                        let df = Double(m - 1)
                        result.cochranQ = q
                        if isDL {
                            let c = sw - s2.value / sw
                            let t2 = max(0, (q - df) / c)
                            let typical = df / c
                            result.tauSquared = t2
                            result.iSquared = 100 * t2 / (t2 + typical)
                            result.hSquared = 1 + t2 / typical
                            if t2 > 0 { result.estimate = centre + Self.weightedMean(t, mask, t2) }
                        } else {
                            result.iSquared = q > 0 ? max(0, 100 * (q - df) / q) : 0
                            result.hSquared = q / df
                        }
                    }
                    slot.initialize(to: result)
                    slot += 1
                }
                index += 1
                if index == end { break }
                // Gray code: going from subset g to g + 1 flips the bit of g + 1's lowest set bit.
                let flip = UInt64(index + 1).trailingZeroBitCount
                let bit: UInt64 = 1 << UInt64(flip)
                let term = t[flip]
                if mask & bit != 0 {
                    s1.add(-term.w); s2.add(-term.w2); swd.add(-term.wd); swdd.add(-term.wdd)
                    m -= 1
                } else {
                    s1.add(term.w); s2.add(term.w2); swd.add(term.wd); swdd.add(term.wdd)
                    m += 1
                }
                mask ^= bit
                if m == 0 { s1 = TwoSum(); s2 = TwoSum(); swd = TwoSum(); swdd = TwoSum() }
            }
        }
    }

    /// Σ w*d / Σ w* over the studies of `mask`, w* = 1/(v + τ²): the DL estimate minus the centre.
    @inline(__always)
    private static func weightedMean(_ t: UnsafeBufferPointer<IncrementTerms>, _ mask: UInt64, _ t2: Double) -> Double {
        var sw = 0.0, swd = 0.0
        var bits = mask
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            let w = 1 / (t[i].v + t2)
            sw += w
            swd += w * t[i].d
        }
        return swd / sw
    }

    /// Any estimator: gather each subset and refit it through the subset kernel.
    private func refit(_ range: Range<Int>, into out: UnsafeMutablePointer<GOSHSubset>) throws {
        let y = model.effectSizes, v = model.samplingVariances, a = model.userWeights
        let k = y.count
        var scratchY = [Double](repeating: 0, count: k), scratchV = [Double](repeating: 0, count: k)
        var scratchA: [Double]? = a.map { _ in [Double](repeating: 0, count: k) }
        var options = model.options
        options.test = .z
        for index in range {
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
            (out + (index - range.lowerBound)).initialize(to: GOSHSubset(
                mask: mask, studyCount: m, estimate: fit.estimate, tauSquared: fit.tauSquared,
                iSquared: fit.iSquared, hSquared: fit.hSquared, cochranQ: fit.cochranQ))
        }
    }
}

/// One study's contribution to the running sums of the incremental EE/DL updates.
private struct IncrementTerms: Sendable {
    var w, w2, wd, wdd, v, d: Double
}

/// A running sum carried with its rounding error (Knuth 1969, TAOCP vol. 2, §4.2.2, TwoSum): adding and removing
/// thousands of terms leaves the sum as accurate as if it had been formed once.
private struct TwoSum {
    private var sum = 0.0, error = 0.0

    @inline(__always)
    mutating func add(_ x: Double) {
        let s = sum + x
        let z = s - sum
        error += (sum - (s - z)) + (x - z)
        sum = s
    }

    var value: Double { sum + error }
}

/// The first error thrown by any worker of a parallel loop.
final class FirstError: Sendable {
    private let stored = Mutex<(any Error)?>(nil)
    var error: (any Error)? { stored.withLock { $0 } }
    func record(_ e: any Error) { stored.withLock { if $0 == nil { $0 = e } } }
}
