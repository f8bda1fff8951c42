import Foundation

/// The BCG vaccine trials (Colditz et al. 1994, JAMA 271:698–702; metadat `dat.bcg`): the conformance bank's
/// `bcg.csv`, the one copy every test target reads (as a path, as text, or as typed rows).
public enum BCG {
    /// One trial: the file's row.
    public struct Trial: Sendable, Equatable {
        public let label: String
        public let year: Int
        /// Vaccinated: tuberculosis cases (`tpos`) and non-cases (`tneg`); control: `cpos`, `cneg`.
        public let ai, bi, ci, di: Int
        public let ablat: Int
        public let alloc: String
    }

    /// `Tests/ConformanceTests/Bank/data/bcg.csv`.
    public static let path: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Bank/data/bcg.csv").path

    /// The file's text (empty if it cannot be read, which fails every test that uses it).
    public static let csv: String = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""

    /// The 13 trials in file order (header `study,year,ai,bi,ci,di,ntotal,ablat,alloc`, labels and alloc quoted).
    public static let trials: [Trial] = csv.split(separator: "\n").dropFirst().compactMap { line in
        let quoted = line.split(separator: "\"", omittingEmptySubsequences: false)
        guard quoted.count >= 4 else { return nil }
        let n = quoted[2].split(separator: ",").compactMap { Int($0) }
        guard n.count == 7 else { return nil }
        return Trial(label: String(quoted[1]), year: n[0], ai: n[1], bi: n[2], ci: n[3], di: n[4], ablat: n[6],
                     alloc: String(quoted[3]))
    }
}
