import Foundation
import MetaNumerics
import Testing

@Suite("Philox4x64-10 and random streams")
struct RandomStreamTests {
    /// Known answers from NumPy 2.4.6's `numpy.random.Philox` (`random_raw`), which increments its
    /// counter before each block, so counter c there is block c + 1 here.
    @Test func philoxKnownAnswers() {
        let zero = Philox.block(counter: (1, 0, 0, 0), key: (0, 0))
        #expect(zero.0 == 0x02f4_ba64_08e4_d89b && zero.1 == 0x3dd6_2b0b_9ca8_c5b2)
        #expect(zero.2 == 0x1c86_67a5_5d90_2e79 && zero.3 == 0x907d_7a05_2fd5_b4dc)
        let next = Philox.block(counter: (2, 0, 0, 0), key: (0, 0))
        #expect(next.0 == 0x809b_f322_8839_87c3 && next.3 == 0xfc6e_d667_67a4_57bc)
        let pi = Philox.block(counter: (0xa409_3822_299f_31d1, 0x082e_fa98_ec4e_6c89, 0x4528_21e6_38d0_1377,
                                        0xbe54_66cf_34e9_0c6c), key: (0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344))
        #expect(pi.0 == 0x0a47_3ca4_9faa_da34 && pi.1 == 0x8e53_fac7_43d0_60b6)
        #expect(pi.2 == 0xd2a7_07d6_46ca_3d3b && pi.3 == 0x19b8_94d5_ba1f_96ba)
        let carry = Philox.block(counter: (0, 1, 0, 0), key: (12345, 7))
        #expect(carry.0 == 0x899b_1830_3521_d6a8 && carry.3 == 0xb294_1f77_b2de_d472)
    }

    @Test func streamIsIndependentOfChunking() {
        var whole = RandomStream(seed: 2024, stream: 17)
        let reference = (0..<1000).map { _ in whole.next() }
        // Any split point, started fresh with skip-ahead.
        for split in [1, 3, 4, 5, 511, 999] {
            var first = RandomStream(seed: 2024, stream: 17)
            var second = RandomStream(seed: 2024, stream: 17, position: UInt64(split))
            let a = (0..<split).map { _ in first.next() }
            let b = (split..<1000).map { _ in second.next() }
            #expect(a + b == reference, "split at \(split)")
        }
    }

    @Test func streamsDoNotDependOnThreadsOrOrder() async {
        func firstDraws(_ stream: UInt64) -> [Double] {
            var s = RandomStream(seed: 99, stream: stream)
            return (0..<10).map { _ in s.nextNormal() }
        }
        let sequential = (0..<64).map { firstDraws(UInt64($0)) }
        let parallel = await withTaskGroup(of: (Int, [Double]).self) { group in
            for b in (0..<64).reversed() { group.addTask { (b, firstDraws(UInt64(b))) } }
            var results = [[Double]](repeating: [], count: 64)
            for await (b, draws) in group { results[b] = draws }
            return results
        }
        #expect(parallel == sequential)
        #expect(Set(sequential.map { $0[0] }).count == 64, "distinct streams differ")
    }

    /// Mean and variance checks: with a fixed seed the test is deterministic; the bounds (5 standard
    /// errors) would be crossed by chance with probability ~6e-7 for a different seed.
    @Test func uniformMoments() {
        var s = RandomStream(seed: 1, stream: 0)
        let n = 200_000
        let u = (0..<n).map { _ in s.nextUniform() }
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        let mean = u.reduce(0, +) / Double(n)
        #expect(abs(mean - 0.5) < 5 * (1.0 / 12 / Double(n)).squareRoot())
        let below = u.filter { $0 < 0.1 }.count
        #expect(abs(Double(below) - 0.1 * Double(n)) < 5 * (0.09 * Double(n)).squareRoot())
    }

    @Test func normalMoments() {
        var s = RandomStream(seed: 2, stream: 0)
        let n = 200_000
        let z = (0..<n).map { _ in s.nextNormal() }
        let mean = z.reduce(0, +) / Double(n)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean) < 5 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
        // Tail mass beyond 1.96 against Φ.
        let tail = Double(z.filter { abs($0) > 1.959963984540054 }.count)
        #expect(abs(tail - 0.05 * Double(n)) < 5 * (0.05 * 0.95 * Double(n)).squareRoot())
    }

    /// Gamma(a) has mean a and variance a; χ²(ν) has P(X ≤ median) = ½ with the median from MetaNumerics' χ² quantile
    /// (an independent code path). 5-sigma bounds on 100,000 draws, for a shape below 1 (the boosted branch) and above.
    @Test(arguments: [0.4, 1.0, 4.5, 49.5]) func gammaMoments(shape a: Double) {
        var s = RandomStream(seed: 9, stream: 1)
        let n = 100_000
        let x = (0..<n).map { _ in s.nextGamma(shape: a) }
        #expect(x.allSatisfy { $0 > 0 && $0.isFinite })
        let mean = x.reduce(0, +) / Double(n)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean - a) < 5 * (a / Double(n)).squareRoot())
        // Var of the sample variance of a gamma: (μ4 − σ⁴)/n with μ4 = 3a² + 6a.
        #expect(abs(variance - a) < 5 * ((3 * a * a + 6 * a - a * a) / Double(n)).squareRoot())
        let df = 2 * a, median = ChiSquared(degreesOfFreedom: df).quantile(0.5)
        var t = RandomStream(seed: 10, stream: 1)
        let below = (0..<n).filter { _ in t.nextChiSquared(degreesOfFreedom: df) <= median }.count
        #expect(abs(Double(below) - 0.5 * Double(n)) < 5 * (0.25 * Double(n)).squareRoot())
    }

    /// Pearson χ² goodness of fit of the empirical pmf, pooled so every expected count is ≥ 20; passes when
    /// the χ² p-value exceeds 1e-6.
    func goodnessOfFit(_ draws: [Int], pmf: (Int) -> Double) -> Double {
        let n = Double(draws.count)
        var counts: [Int: Int] = [:]
        for d in draws { counts[d, default: 0] += 1 }
        let low = draws.min()!, high = draws.max()!
        var cells: [(observed: Double, expected: Double)] = []
        var observed = 0.0
        var expected = n * (0..<low).reduce(0) { $0 + pmf($1) }  // mass below the smallest draw
        var closedExpected = 0.0
        for k in low...high {
            observed += Double(counts[k] ?? 0)
            expected += n * pmf(k)
            if k == high { expected = n - closedExpected }  // the last cell takes the upper tail
            if expected >= 20 || k == high {
                cells.append((observed, expected))
                closedExpected += expected
                observed = 0
                expected = 0
            }
        }
        if cells.count > 1, cells[cells.count - 1].expected < 20 {
            let last = cells.removeLast()
            cells[cells.count - 1].observed += last.observed
            cells[cells.count - 1].expected += last.expected
        }
        let statistic = cells.reduce(0) { $0 + ($1.observed - $1.expected) * ($1.observed - $1.expected) / $1.expected }
        return ChiSquared(degreesOfFreedom: Double(max(cells.count - 1, 1))).survival(statistic)
    }

    func binomialPMF(_ n: Int, _ p: Double) -> (Int) -> Double {
        { k in
            guard k >= 0 && k <= n else { return 0 }
            return exp(logGamma(Double(n + 1)) - logGamma(Double(k + 1)) - logGamma(Double(n - k + 1))
                + Double(k) * log(p) + Double(n - k) * log1p(-p))
        }
    }

    @Test(arguments: [(20, 0.3), (1000, 0.4), (500, 0.97), (50, 0.5), (100_000, 0.001)])
    func binomial(_ n: Int, _ p: Double) {
        var s = RandomStream(seed: 3, stream: UInt64(n))
        let count = 50_000
        let draws = (0..<count).map { _ in s.nextBinomial(trials: n, probability: p) }
        #expect(draws.allSatisfy { $0 >= 0 && $0 <= n })
        let mean = Double(draws.reduce(0, +)) / Double(count)
        let variance = Double(n) * p * (1 - p)
        #expect(abs(mean - Double(n) * p) < 5 * (variance / Double(count)).squareRoot())
        #expect(goodnessOfFit(draws, pmf: binomialPMF(n, p)) > 1e-6)
    }

    /// Binomial variance np(1−p) on both branches (inversion for np < 10, BTRS otherwise); the bound is five
    /// standard errors of a sample variance, σ²√((2 + γ₂)/N) with excess kurtosis γ₂ = (1 − 6pq)/(npq).
    /// And a stream redrawn from its (seed, stream) gives the same variates.
    @Test(arguments: [(20, 0.3), (30, 0.02), (1000, 0.4), (500, 0.97), (12, 0.5)])
    func binomialVarianceAndDeterminism(_ n: Int, _ p: Double) {
        var s = RandomStream(seed: 8, stream: UInt64(n))
        let count = 50_000
        let draws = (0..<count).map { _ in Double(s.nextBinomial(trials: n, probability: p)) }
        let mean = draws.reduce(0, +) / Double(count)
        var ss = 0.0
        for x in draws { ss += (x - mean) * (x - mean) }
        let variance = ss / Double(count - 1)
        let pq = p * (1 - p), sigma2 = Double(n) * pq
        let kurtosis = (1 - 6 * pq) / sigma2
        #expect(abs(variance - sigma2) < 5 * sigma2 * ((2 + abs(kurtosis)) / Double(count)).squareRoot(), "n \(n) p \(p)")
        var again = RandomStream(seed: 8, stream: UInt64(n))
        #expect((0..<1000).allSatisfy { i in Double(again.nextBinomial(trials: n, probability: p)) == draws[i] })
    }

    @Test(arguments: [0.5, 3.5, 9.99, 10.0, 250.0, 1e6])
    func poisson(_ mu: Double) {
        var s = RandomStream(seed: 4, stream: UInt64(mu * 100))
        let count = 50_000
        let draws = (0..<count).map { _ in s.nextPoisson(mean: mu) }
        #expect(draws.allSatisfy { $0 >= 0 })
        let mean = Double(draws.reduce(0, +)) / Double(count)
        #expect(abs(mean - mu) < 5 * (mu / Double(count)).squareRoot())
        let pmf: (Int) -> Double = { k in k < 0 ? 0 : exp(Double(k) * log(mu) - mu - logGamma(Double(k + 1))) }
        #expect(goodnessOfFit(draws, pmf: pmf) > 1e-6)
    }
}
