import MetaData
import MetaNumerics

extension ArgumentNaming {
    /// Runs `operation` with `naming` in force, on the calling thread and on the workers of every parallel loop it
    /// starts (their sentences, e.g. a bootstrap replicate's failure, name the caller's arguments too). A front end
    /// binds its names through this rather than `ArgumentNaming.$current` alone.
    public static func bind<R>(_ naming: ArgumentNaming, _ operation: () throws -> R) rethrows -> R {
        let outer = ParallelLoop.workerScope
        let scope: @Sendable (() -> Void) -> Void = { work in outer { ArgumentNaming.$current.withValue(naming, operation: work) } }
        return try ArgumentNaming.$current.withValue(naming) { try ParallelLoop.$workerScope.withValue(scope, operation: operation) }
    }
}
