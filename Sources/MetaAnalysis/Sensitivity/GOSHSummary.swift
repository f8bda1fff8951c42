import Synchronization
import MetaNumerics

/// The distribution of one GOSH quantity over many subsets, kept as exact extremes, an exact mean and a
/// fixed-width histogram, so that 10⁹ subsets can be summarised in constant memory.
public struct GOSHDistribution: Sendable, Equatable {
    public var minimum: Double
    public var maximum: Double
    public var mean: Double
    /// The histogram spans `lowerEdge ... upperEdge` in `counts.count` equal bins (values at the upper edge fall
    /// in the last bin).
    public var lowerEdge: Double
    public var upperEdge: Double
    public var counts: [Int]

    /// The p-quantile read from the histogram: exact to within one bin width, (upperEdge − lowerEdge)/bins,
    /// interpolated linearly within the bin that holds it and clamped to [minimum, maximum].
    public func quantile(_ p: Double) -> Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return .nan }
        let target = p * Double(total)
        var below = 0
        let width = (upperEdge - lowerEdge) / Double(counts.count)
        for (b, c) in counts.enumerated() where c > 0 {
            if Double(below + c) >= target {
                let x = lowerEdge + (Double(b) + (target - Double(below)) / Double(c)) * width
                return min(maximum, max(minimum, x))
            }
            below += c
        }
        return maximum
    }
}

/// A GOSH analysis summarised without keeping its subsets: the estimate and I² over all fitted subsets.
public struct GOSHSummary: Sendable, Equatable {
    /// Subsets summarised.
    public var subsetCount: Int
    /// Pooled estimates (histogram over the range of the study effects, which bounds every weighted mean).
    public var estimate: GOSHDistribution
    /// I² in percent (histogram over 0 ... 100).
    public var iSquared: GOSHDistribution
}

extension GOSHAnalysis {
    /// Bins of the summary histograms.
    public static let histogramBins = 1000

    /// Summarises the subsets `range` (all by default) without storing them: each worker fills one block at a
    /// time into its own buffer and adds it to its own histograms; extremes and counts are exact, and the mean
    /// is summed per block in block order, so the summary is identical for any thread count.
    ///
    /// - Parameter progress: called with the number of subsets of each finished block.
    public func summary(_ range: Range<Int>? = nil, threads: Int? = nil,
                        progress: (@Sendable (Int) -> Void)? = nil) throws -> GOSHSummary {
        let range = range ?? 0..<subsetCount
        precondition(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= subsetCount, "subset range out of bounds")
        let low = model.effectSizes.min()!, high = model.effectSizes.max()!
        let firstBlock = range.lowerBound / Self.blockSize
        let blocks = (range.upperBound - 1) / Self.blockSize - firstBlock + 1
        let blockSums = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * blocks)
        defer { blockSums.deallocate() }
        let sums = DisjointWriter(blockSums)
        let workers = SummaryWorkers()
        let failure = FirstError()
        let me = self
        ParallelLoop.forEach(0..<blocks, threads: max(1, threads ?? ParallelLoop.defaultThreadCount), blockSize: 1,
                             makeWorkspace: { workers.make(low: low, high: high) }) { worker, c in
            let b = firstBlock + c
            let part = max(range.lowerBound, b * Self.blockSize)..<min(range.upperBound, (b + 1) * Self.blockSize)
            let slice = UnsafeMutableBufferPointer(rebasing: worker.buffer[0..<part.count])
            do { try me.compute(part, into: slice) } catch { failure.record(error); return }
            let (se, si) = worker.add(UnsafeBufferPointer(slice))
            sums[2 * c] = se
            sums[2 * c + 1] = si
            progress?(part.count)
        }
        if let error = failure.error { throw error }
        var totalE = 0.0, totalI = 0.0
        for c in 0..<blocks {
            totalE += blockSums[2 * c]
            totalI += blockSums[2 * c + 1]
        }
        return workers.merged(count: range.count, meanEstimate: totalE / Double(range.count), meanISquared: totalI / Double(range.count))
    }
}

/// One summary worker's block buffer and histograms. Used by one worker at a time and read only after the
/// parallel loop has finished, hence `@unchecked Sendable`.
private final class SummaryWorker: @unchecked Sendable {
    let buffer = UnsafeMutableBufferPointer<GOSHSubset>.allocate(capacity: GOSHAnalysis.blockSize)
    let low: Double, high: Double, scaleE: Double, scaleI: Double
    var countsE = [Int](repeating: 0, count: GOSHAnalysis.histogramBins)
    var countsI = [Int](repeating: 0, count: GOSHAnalysis.histogramBins)
    var minE = Double.infinity, maxE = -Double.infinity, minI = Double.infinity, maxI = -Double.infinity

    init(low: Double, high: Double) {
        self.low = low
        self.high = high
        let bins = Double(GOSHAnalysis.histogramBins)
        scaleE = high > low ? bins / (high - low) : 0
        scaleI = bins / 100
    }

    deinit { buffer.deallocate() }

    /// Adds a block to the histograms; returns its sums of estimates and of I².
    func add(_ subsets: UnsafeBufferPointer<GOSHSubset>) -> (Double, Double) {
        let last = GOSHAnalysis.histogramBins - 1
        var sumE = 0.0, sumI = 0.0
        countsE.withUnsafeMutableBufferPointer { ce in
            countsI.withUnsafeMutableBufferPointer { ci in
                for s in subsets {
                    let e = s.estimate, i = s.iSquared
                    sumE += e
                    sumI += i
                    minE = min(minE, e); maxE = max(maxE, e)
                    minI = min(minI, i); maxI = max(maxI, i)
                    ce[min(last, max(0, Int((e - low) * scaleE)))] += 1
                    ci[min(last, max(0, Int(i * scaleI)))] += 1
                }
            }
        }
        return (sumE, sumI)
    }
}

/// The workers of one summary loop, registered as they are made so their histograms can be merged.
private final class SummaryWorkers: Sendable {
    private let all = Mutex<[SummaryWorker]>([])

    func make(low: Double, high: Double) -> SummaryWorker {
        let w = SummaryWorker(low: low, high: high)
        all.withLock { $0.append(w) }
        return w
    }

    func merged(count: Int, meanEstimate: Double, meanISquared: Double) -> GOSHSummary {
        all.withLock { workers in
            let bins = GOSHAnalysis.histogramBins
            var ce = [Int](repeating: 0, count: bins), ci = [Int](repeating: 0, count: bins)
            var minE = Double.infinity, maxE = -Double.infinity, minI = Double.infinity, maxI = -Double.infinity
            for w in workers {
                for b in 0..<bins { ce[b] += w.countsE[b]; ci[b] += w.countsI[b] }
                minE = min(minE, w.minE); maxE = max(maxE, w.maxE)
                minI = min(minI, w.minI); maxI = max(maxI, w.maxI)
            }
            let low = workers.first?.low ?? 0, high = workers.first?.high ?? 0
            return GOSHSummary(
                subsetCount: count,
                estimate: GOSHDistribution(minimum: minE, maximum: maxE, mean: meanEstimate, lowerEdge: low, upperEdge: high, counts: ce),
                iSquared: GOSHDistribution(minimum: minI, maximum: maxI, mean: meanISquared, lowerEdge: 0, upperEdge: 100, counts: ci))
        }
    }
}
