import Foundation
import MetaData
import MetaAnalysis

/// The BCG trials (Colditz et al. 1994; metadat `dat.bcg`), read from the conformance bank's copy.
enum BCGData {
    static let table: DataTable = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ConformanceTests/Bank/data/bcg.csv")
        return try! DataTable(contentsOfFile: url.path)
    }()

    static func effectSizes(_ measure: EffectMeasure) throws -> EffectSizes {
        try EffectSizes.compute(measure: measure, data: table)
    }

    static func column(_ name: String) throws -> [Double] { try table.numbers(name, neededBy: "test") }
}
