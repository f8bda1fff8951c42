/// The Philox4x64-10 counter-based block function (Salmon, Moraes, Dror & Shaw 2011, "Parallel random
/// numbers: as easy as 1, 2, 3", SC'11).
///
/// A keyed bijection of a 256-bit counter: ten rounds of two 64×64→128-bit multiplications and xors,
/// with the 128-bit key bumped by Weyl constants between rounds. It passes BigCrush with a large safety
/// margin (the paper's ten rounds versus the seven needed), needs no state besides (key, counter), and
/// so gives any number of independent streams — one key per stream — with O(1) skip-ahead.
/// Multipliers 0xD2E7470EE14C6C93 and 0xCA5A826395121157, Weyl increments 0x9E3779B97F4A7C15 and
/// 0xBB67AE8584CAA73B (the paper's Table 2). Verified bit for bit against NumPy's `Philox` (the same
/// algorithm) in the tests.
public enum Philox {
    /// The four 64-bit outputs for `counter` under `key`.
    @inlinable
    public static func block(counter: (UInt64, UInt64, UInt64, UInt64), key: (UInt64, UInt64))
        -> (UInt64, UInt64, UInt64, UInt64)
    {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9_7F4A_7C15
                k1 &+= 0xBB67_AE85_84CA_A73B
            }
            let product0 = (0xD2E7_470E_E14C_6C93 as UInt64).multipliedFullWidth(by: c0)
            let product1 = (0xCA5A_8263_9512_1157 as UInt64).multipliedFullWidth(by: c2)
            (c0, c1, c2, c3) = (product1.high ^ c1 ^ k0, product1.low, product0.high ^ c3 ^ k1, product0.low)
        }
        return (c0, c1, c2, c3)
    }
}
