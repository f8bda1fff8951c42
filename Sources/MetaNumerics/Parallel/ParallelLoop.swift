#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Runs the items 0..<count of a replicate loop on several threads, handing out blocks of consecutive items
/// on demand (so a loaded core slows nobody down), with one workspace per worker allocated once.
///
/// Results do not depend on the schedule as long as item i's output depends only on i (replicate b draws
/// from random stream (seed, b)), which is what makes every thread count give bit-identical results.
public enum ParallelLoop {
    /// Calls `body(&workspace, i)` once for every i in `range`, on up to `threads` workers.
    ///
    /// - Parameters:
    ///   - threads: the number of workers (1 runs on the calling thread).
    ///   - blockSize: items taken at a time; `progress` is called with the number of items of each finished block.
    ///   - makeWorkspace: builds one worker's scratch buffers (called once per worker, not per item).
    public static func forEach<Workspace>(
        _ range: Range<Int>, threads: Int, blockSize: Int = 64,
        makeWorkspace: @Sendable () -> Workspace,
        progress: (@Sendable (Int) -> Void)? = nil,
        _ body: @Sendable (inout Workspace, Int) -> Void
    ) {
        precondition(threads >= 1 && blockSize >= 1, "threads and blockSize must be positive")
        if range.isEmpty { return }
        let blocks = (range.count + blockSize - 1) / blockSize
        let workers = min(threads, blocks)
        if workers == 1 {
            var workspace = makeWorkspace()
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(start + blockSize, range.upperBound)
                for i in start..<end { body(&workspace, i) }
                progress?(end - start)
                start = end
            }
            return
        }
        let next = BlockCounter()
        // Workers run on Dispatch's threads, which start without the caller's task-local values: each re-enters them.
        let scope = workerScope
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            scope {
                var workspace = makeWorkspace()
                while true {
                    let block = next.take()
                    if block >= blocks { break }
                    let start = range.lowerBound + block * blockSize
                    let end = min(start + blockSize, range.upperBound)
                    for i in start..<end { body(&workspace, i) }
                    progress?(end - start)
                }
            }
        }
    }

    /// Runs one worker of a loop inside the context of the task that started the loop. Dispatch's threads do not
    /// inherit task-local values; a layer above that keeps one its workers must see (MetaData's
    /// `ArgumentNaming.current`, through MetaAnalysis's `ArgumentNaming.bind`) chains its re-binding here.
    @TaskLocal public static var workerScope: @Sendable (() -> Void) -> Void = { $0() }

    /// The number of threads to use by default: the machine's active processors.
    public static var defaultThreadCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Processors available to this process (at least 1); the same as ``defaultThreadCount``.
    public static var availableProcessors: Int { defaultThreadCount }

    /// Calls `body(chunk)` for every chunk in 0..<chunkCount on up to `threads` workers (nil: all processors).
    public static func forEachChunk(_ chunkCount: Int, threads: Int? = nil, _ body: @Sendable (Int) -> Void) {
        forEach(0..<chunkCount, threads: max(1, threads ?? defaultThreadCount), blockSize: 1, makeWorkspace: {}) { _, c in body(c) }
    }

    /// `body(i)` for i in 0..<count, in parallel (`blockSize` items taken at a time), collected in index order.
    public static func map<T: Sendable>(_ count: Int, threads: Int? = nil, blockSize: Int = 16,
                                        _ body: @Sendable (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            let writer = DisjointWriter(buffer)
            forEach(0..<count, threads: max(1, threads ?? defaultThreadCount), blockSize: blockSize, makeWorkspace: {}) { _, i in
                writer[i] = body(i)
            }
        }
        return results.map { $0! }
    }
}

private final class BlockCounter: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}
