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
        for bit in ["MH, PETO, GLMM", "--model <model>", "UM.FS (default), CM.EL or CM.AL", "--glmm-method <METHOD>", "--quadrature-points", "--no-correct"] {
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
        // metafor's print.rma.glmm, then the back-transformed estimate and the fit's own line (quadrature, iterations).
        #expect(r.standardOutput.hasPrefix("\nRandom-Effects Model (k = 4; tau^2 estimator: ML)\nModel Type: Unconditional Model with Fixed Study Effects\n"))
        for text in ["tau^2 (estimated amount of total heterogeneity): ", "Tests for Heterogeneity:\nWld(df = 3) = ", "LRT(df = 3) = ",
                     "Back-transformed (transf.ilogit):", "\nBinomial-normal GLMM UM.FS, ML (measure PLO, k = 4, 7-point adaptive Gauss-Hermite",
                     "Newton iterations, gradient norm "] {
            #expect(r.standardOutput.contains(text), "table lacks \(text)")
        }
    }

    /// The table rounds as metafor prints (CSV keeps every digit). Bank case rma_mh/nielweise2007_OR:
    /// beta = -1.2087048327337668, pval = 5.519e-08, k = 18, QEp = 0.3944723989769472.
    @Test func tableRoundsLikeMetaforAndCSVKeepsEveryDigit() throws {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ConformanceTests/Bank/data/nielweise2007.csv").path
        let table = MetaSwiftCommand.runCapturing(["pool", "--method", "MH", "--measure", "OR", "--data", data])
        #expect(table.exitCode == 0)
        // print.rma.mh's layout: the model line with k, Q's p-value and the log-scale table at 4 decimals.
        let lines = table.standardOutput.split(separator: "\n").map(String.init)  // empty lines dropped
        #expect(lines.contains("Equal-Effects Model (k = 18)"))
        #expect(lines.contains { $0.hasPrefix("Q(df = ") && $0.hasSuffix(", p-val = 0.3945") })
        let results = try #require(lines.firstIndex(of: "Model Results (log scale):"))
        let row = lines[results + 2].split(separator: " ").map(String.init)
        #expect(row.first == "-1.2087")
        #expect(row.dropFirst(3).first == "<.0001")
        let csv = MetaSwiftCommand.runCapturing(["pool", "--method", "MH", "--measure", "OR", "--data", data, "--format", "csv"])
        #expect(csv.standardOutput.contains("beta,-1.2087048327337668\n"))
    }
}
