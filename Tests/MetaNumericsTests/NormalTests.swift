import MetaNumerics
import Testing

@Suite("Normal")
struct NormalTests {
    @Test func quantileInvertsCdf() {
        for p in [1e-300, 1e-20, 1e-5, 0.025, 0.3, 0.5, 0.7, 0.975, 1 - 1e-10] {
            let x = Normal.quantile(p)
            let back = p < 0.5 ? Normal.cdf(x) : 1 - Normal.survival(x)
            // Φ's condition number in the tail is about x², so a correctly rounded x reproduces p to ~x²·ε.
            #expect(abs(back - p) <= 1e-14 * p * (1 + x * x), "p = \(p)")
        }
    }

    // qnorm(0.975) in R 4.2.2.
    @Test func knownQuantile() {
        #expect(abs(Normal.quantile(0.975) - 1.959963984540054) < 1e-15)
        #expect(Normal.quantile(0) == -.infinity)
        #expect(Normal.quantile(1) == .infinity)
        #expect(Normal.quantile(1.5).isNaN)
    }

    @Test func farTail() {
        // 1 - Φ(37) = 5.7255712225239e-300 (R: pnorm(37, lower.tail = FALSE))
        #expect(abs(Normal.survival(37) / 5.7255712225239e-300 - 1) < 1e-12)
    }
}
