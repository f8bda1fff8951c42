#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomStream {
    /// A Gamma(shape, 1) variate (exact): Marsaglia & Tsang (2000, ACM TOMS 26:363), the squeeze-accelerated
    /// rejection from a transformed normal, for shape ≥ 1; for shape < 1, Gamma(shape + 1)·U^(1/shape) (their §6).
    public mutating func nextGamma(shape a: Double) -> Double {
        precondition(a > 0 && a.isFinite, "Gamma needs a finite shape > 0")
        if a < 1 { return nextGamma(shape: a + 1) * pow(nextUniform(), 1 / a) }
        let d = a - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = nextNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextUniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A χ² variate with `df` degrees of freedom: 2·Gamma(df/2).
    public mutating func nextChiSquared(degreesOfFreedom df: Double) -> Double {
        2 * nextGamma(shape: df / 2)
    }
}
