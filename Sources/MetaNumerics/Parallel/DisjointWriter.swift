/// A buffer that several threads of a parallel loop write into, each at indices no other thread writes.
///
/// Swift 6 rejects capturing an `UnsafeMutableBufferPointer` in a `@Sendable` closure because nothing proves
/// the writes are disjoint. This wrapper states that proof obligation in one place: every user writes only
/// the slots of the items it was handed (replicate b writes slots b·m ..< (b+1)·m), and reads nothing that
/// another thread writes until the loop has joined.
public struct DisjointWriter<Element>: @unchecked Sendable {
    public let base: UnsafeMutableBufferPointer<Element>

    public init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }

    @inlinable
    public subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }
}
