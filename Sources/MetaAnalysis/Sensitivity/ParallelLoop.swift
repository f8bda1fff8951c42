import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffer that parallel workers write into at disjoint indices (each iteration writes only its own
/// slots), which is why sharing it across threads is safe although the compiler cannot prove it.
struct DisjointWriter<Element>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Element>
}

/// Loops over index ranges on worker threads. Work is cut into chunks that do not depend on the thread
/// count, so a computation whose chunks are deterministic gives bit-identical results for any `threads`.
enum ParallelLoop {
    /// Processors available to this process (at least 1).
    static var availableProcessors: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Calls `body(chunk)` for every chunk in 0..<chunkCount, spread over `threads` workers (nil: all processors).
    static func forEachChunk(_ chunkCount: Int, threads: Int? = nil, _ body: @Sendable (Int) -> Void) {
        guard chunkCount > 0 else { return }
        let workers = min(chunkCount, max(1, threads ?? availableProcessors))
        if workers == 1 {
            for c in 0..<chunkCount { body(c) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var c = worker
            while c < chunkCount {
                body(c)
                c += workers
            }
        }
    }

    /// `body(i)` for i in 0..<count, in parallel, collected in index order.
    static func map<T: Sendable>(_ count: Int, threads: Int? = nil, _ body: @Sendable (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            let writer = DisjointWriter(base: buffer)
            let chunkSize = 16
            forEachChunk((count + chunkSize - 1) / chunkSize, threads: threads) { chunk in
                for i in (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) { writer.base[i] = body(i) }
            }
        }
        return results.map { $0! }
    }
}
