import MetaAnalysis
import MetaData
import MetaNumerics
import Testing

/// `ParallelLoop` (MetaNumerics) knows nothing of argument names; `ArgumentNaming.bind` chains the caller's naming into
/// its workers, which run on Dispatch threads that do not inherit task-local values.
@Suite("ArgumentNaming.bind reaches parallel workers")
struct ArgumentNamingWorkerTests {
    /// Each item does a little work, so that the loop's other threads take blocks too.
    static func named(_ argument: ArgumentName) -> String {
        var x = 0.0
        for i in 0..<20_000 { x += Double(i).squareRoot() }
        return x > 0 ? ArgumentNaming.current(argument) : ""
    }

    @Test("Every worker names an argument as the caller bound it; unbound, the library's names")
    func workersSeeTheBoundNaming() {
        let flags = ArgumentNaming { "--" + $0.libraryName }
        let bound = ArgumentNaming.bind(flags) { ParallelLoop.map(64, threads: 4, blockSize: 1) { _ in Self.named(.measure) } }
        #expect(bound == Array(repeating: "--measure", count: 64))
        let unbound = ParallelLoop.map(16, threads: 4, blockSize: 1) { _ in Self.named(.measure) }
        #expect(unbound == Array(repeating: "measure", count: 16))
    }
}
