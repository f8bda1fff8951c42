import MetaNumerics

extension RandomStream {
    /// A uniform integer in 0..<n from whole 64-bit words, by Lemire's multiply-and-reject method
    /// (Lemire 2019, "Fast random integer generation in an interval", ACM TOMACS 29(1), algorithm 5): the
    /// high word of w·n is uniform once the low words below 2⁶⁴ mod n are rejected. Written out here rather
    /// than taken from `Int.random(in:using:)` so that the draws, and hence every bootstrap sample, cannot
    /// change with the standard library's version.
    @inlinable
    mutating func nextIndex(below n: Int) -> Int {
        precondition(n > 0, "an index needs a positive bound")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }
}
