import Foundation
import MetaReport
import _TestSupport
import Testing

/// `NumberFormat.fixed` renders without C's printf where one product decides the rounding (issue 16: escalc's table
/// of 10⁶ rows spent most of its time in boxed variadic printf calls); the text must be printf's, digit for digit.
@Suite("NumberFormat.fixed equals printf")
struct NumberFormatFastPathTests {
    static func printf(_ x: Double, _ digits: Int) -> String {
        let text = String(format: "%.\(digits)f", x)
        return text.allSatisfy { $0 == "-" || $0 == "0" || $0 == "." } ? String(text.drop { $0 == "-" }) : text
    }

    @Test func randomValuesAndTiesMatchPrintf() {
        var g = SplitMix64(state: 0x9E37_79B9_7F4A_7C15)  // seeded: a failure reproduces
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.00005, 0.00015, -0.00005, 1.00005, 0.125, 0.375, 1e-300,
                                4.5e15, 4.4e15, 9.9999e14, 123456.78905, 0.99995, -0.99995, 9.99995, Double.leastNonzeroMagnitude]
        for _ in 0..<20000 {
            let magnitude = pow(10, Double.random(in: -8...14, using: &g))
            values.append(Double.random(in: -1...1, using: &g) * magnitude)
            // Decimal ties as users type them (0.xxxx5), whose binary value lies just above or below the tie.
            values.append(Double(Int.random(in: -10_000_000...10_000_000, using: &g)) / 100_000 + 0.000005)
        }
        for x in values {
            for digits in [0, 1, 2, 4, 6] {
                #expect(NumberFormat.fixed(x, digits: digits) == Self.printf(x, digits), "\(x) with \(digits) digits")
            }
        }
    }
}
