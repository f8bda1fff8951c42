import MetaData
import MetaAnalysis
import Testing

/// A small seeded generator (SplitMix64, Steele et al. 2014) so property tests are reproducible.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("EffectSizes properties")
struct EffectSizesPropertyTests {
    /// Each study's effect size depends on its own row only (for `to` other than if0all): permuting the rows
    /// permutes yi and vi, for every 2×2 measure and scope, on random tables with zero cells.
    @Test(arguments: [EffectMeasure.logRiskRatio, .logOddsRatio, .riskDifference, .arcsineRiskDifference, .petoLogOddsRatio])
    func permutingStudiesPermutesResults(measure: EffectMeasure) throws {
        var rng = SplitMix64(state: 20_261_126)
        for _ in 0..<20 {
            let k = Int.random(in: 2...12, using: &rng)
            let rows = (0..<k).map { _ in (0..<4).map { _ in Int.random(in: 0...6, using: &rng) } }
            let order = Array(0..<k).shuffled(using: &rng)
            func table(_ r: [[Int]]) throws -> DataTable {
                try DataTable(csv: "ai,bi,ci,di\n" + r.map { $0.map(String.init).joined(separator: ",") + "\n" }.joined())
            }
            for to in [ContinuityCorrectionScope.onlyZero, .all, .none] {
                for drop00 in [false, true] {
                    let options = EscalcOptions(to: to, drop00: drop00)
                    // Tables with an empty group are input errors; skip those draws.
                    guard let original = try? EffectSizes.compute(measure: measure, data: table(rows), options: options) else { continue }
                    let permuted = try EffectSizes.compute(measure: measure, data: table(order.map { rows[$0] }), options: options)
                    for (i, j) in order.enumerated() {
                        #expect(permuted.yi[i] == original.yi[j] || (permuted.yi[i].isNaN && original.yi[j].isNaN))
                        #expect(permuted.vi[i] == original.vi[j] || (permuted.vi[i].isNaN && original.vi[j].isNaN))
                    }
                }
            }
        }
    }

    /// Swapping the two groups negates the log OR, log RR, RD and AS and leaves the variance unchanged.
    @Test(arguments: [EffectMeasure.logRiskRatio, .logOddsRatio, .riskDifference, .arcsineRiskDifference])
    func swappingGroupsNegatesTheEffect(measure: EffectMeasure) throws {
        let a = try EffectSizes.compute(measure: measure, data: DataTable(csv: "ai,bi,ci,di\n3,17,8,12\n0,10,4,9\n"))
        let b = try EffectSizes.compute(measure: measure, data: DataTable(csv: "ai,bi,ci,di\n8,12,3,17\n4,9,0,10\n"))
        for i in 0..<2 {
            #expect(abs(a.yi[i] + b.yi[i]) < 1e-14)
            #expect(abs(a.vi[i] - b.vi[i]) < 1e-14)
        }
    }
}
