import Foundation
import MetaSwiftCLI
import Testing
import _TestSupport

/// `metaswift pool` on seeded random CSVs (k = 1…50, tiny/huge variances, identical effects, zeros, broken cells):
/// exit 0 with finite JSON (τ² ≥ 0, CI containing the estimate), or a non-zero exit with one "Error: " sentence.
@Suite("metaswift pool: seeded fuzzing")
struct PoolFuzzTests {
    static func csv(_ g: inout SplitMix64) -> String {
        let k = Int.random(in: 1...50, using: &g)
        let scale = [1e-10, 1e-3, 1, 1e6].randomElement(using: &g)!
        let identical = Int.random(in: 0..<4, using: &g) == 0
        let common = Double.random(in: -2...2, using: &g)
        // One file in four gets one broken cell.
        let broken = Int.random(in: 0..<4, using: &g) == 0 ? Int.random(in: 0..<k, using: &g) : -1
        var rows = ["study,yi,vi,w"]
        for i in 0..<k {
            var yi = identical ? String(common) : String(Double.random(in: -2...2, using: &g) * scale.squareRoot())
            var vi = String(scale * Double.random(in: 0.1...10, using: &g))
            if i == broken {
                if Bool.random(using: &g) { vi = ["0", "-1", "abc"].randomElement(using: &g)! } else { yi = ["inf", "x"].randomElement(using: &g)! }
            }
            rows.append("s\(i),\(yi),\(vi),\(Double.random(in: 0.5...5, using: &g))")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    @Test func randomInputsGiveFiniteResultsOrOneSentence() throws {
        var g = SplitMix64(state: 20261127)
        let methods = ["REML", "DL", "ML", "PM", "SJ", "EB", "HS", "GENQ", "EE", "DLIT"]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pool-fuzz-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var failures = 0, fits = 0
        for i in 0..<40 {
            try Self.csv(&g).write(toFile: path, atomically: true, encoding: .utf8)
            let method = methods[i % methods.count]
            let r = MetaSwiftCommand.runCapturing(["pool", "--data", path, "--method", method, "--weights", "w", "--format", "json"])
            if r.exitCode != 0 {
                #expect(r.standardError.hasPrefix("Error: ") && r.standardError.split(separator: "\n").count == 1,
                        "\(method): \(r.standardError)")
                failures += 1
                continue
            }
            let j = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
            let beta = try #require(j["beta"] as? Double, "\(method): beta")
            let lb = try #require(j["ci_lb"] as? Double), ub = try #require(j["ci_ub"] as? Double)
            #expect(lb <= beta && beta <= ub, "\(method): CI [\(lb), \(ub)] misses \(beta)")
            if let tau2 = j["tau2"] as? Double { #expect(tau2 >= 0 && tau2.isFinite, "\(method): tau2 \(tau2)") }
            fits += 1
        }
        // The seed gives both kinds of run (broken cells in some files).
        #expect(failures >= 1 && fits >= 20, "\(failures) errors, \(fits) fits")
    }
}
