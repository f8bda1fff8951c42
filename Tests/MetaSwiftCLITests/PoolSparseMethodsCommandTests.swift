import Foundation
import MetaSwiftCLI
import Testing

@Suite("metaswift pool --method MH|PETO|GLMM")
struct PoolSparseMethodsCommandTests {
    static func csvFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pool-sparse-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func helpNamesTheMethodsAndModels() {
        let help = MetaSwiftCommand.runCapturing(["pool", "--help"]).standardOutput
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for bit in ["MH, PETO, GLMM", "--model <model>", "UM.FS (default) or CM.EL", "--quadrature-points", "--no-correct"] {
            #expect(help.contains(bit), "help lacks \(bit)")
        }
    }

    @Test func allZeroTablesGiveOneSentenceAndNonZeroExit() throws {
        let path = try Self.csvFile("ai,n1i,ci,n2i\n0,10,0,12\n0,5,0,8\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for method in ["MH", "PETO"] {
            let r = MetaSwiftCommand.runCapturing(["pool", "--method", method, "--measure", "OR", "--data", path])
            #expect(r.exitCode != 0)
            #expect(r.standardError.hasPrefix("Error: The "), "\(r.standardError)")
            #expect(r.standardError.contains("is not defined for these data"))
        }
    }

    @Test func tableShowsTheGLMMDiagnostics() throws {
        let path = try Self.csvFile("xi,ni\n3,20\n8,25\n1,15\n12,30\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["pool", "--method", "GLMM", "--measure", "PLO", "--data", path])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.hasPrefix("Binomial-normal GLMM UM.FS, ML (measure PLO, k = 4, 7-point adaptive Gauss-Hermite"))
        for field in ["tau2", "QE_LRT", "fit_stats.ML.AIC", "diagnostics.iterations", "diagnostics.gradient_norm", "predict_transf.pi_ub"] {
            #expect(r.standardOutput.contains(field), "table lacks \(field)")
        }
    }
}
