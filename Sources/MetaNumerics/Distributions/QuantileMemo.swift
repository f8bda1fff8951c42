import Synchronization

/// Quantiles already solved, shared by every thread: a batch of analyses asks again and again for the same few
/// critical values (the t and χ² quantiles at α for each number of studies), each a Newton solve over an incomplete
/// beta or gamma function, where a lookup costs a lock and a hash. The solves are deterministic, so a remembered
/// value is the value; the table is bounded (emptied when full), so continuous degrees of freedom cannot grow it.
enum QuantileMemo {
    /// Which solve a value comes from.
    enum Solve: UInt8 {
        case studentT
        case chiSquaredLowerTail
        case chiSquaredUpperTail
    }

    struct Key: Hashable {
        let solve: Solve
        let degreesOfFreedom: UInt64
        let probability: UInt64
    }

    /// Values kept at most; far above the distinct critical values of any batch.
    static let capacity = 4096

    private static let table = Mutex<[Key: Double]>([:])

    /// The remembered value of `solve` at (`degreesOfFreedom`, `probability`), or `compute()` (run outside the lock)
    /// remembered.
    static func value(_ solve: Solve, degreesOfFreedom: Double, probability: Double, _ compute: () -> Double) -> Double {
        let key = Key(solve: solve, degreesOfFreedom: degreesOfFreedom.bitPattern, probability: probability.bitPattern)
        if let known = table.withLock({ $0[key] }) { return known }
        let value = compute()
        table.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[key] = value
        }
        return value
    }
}
