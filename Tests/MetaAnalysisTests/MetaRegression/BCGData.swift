import Foundation
import MetaData
import MetaAnalysis
import _TestSupport

/// The BCG trials (`BCG`, the conformance bank's copy) as a data table.
enum BCGData {
    static let table: DataTable = try! DataTable(csv: BCG.csv)

    static func effectSizes(_ measure: EffectMeasure) throws -> EffectSizes {
        try EffectSizes.compute(measure: measure, data: table)
    }

    static func column(_ name: String) throws -> [Double] { try table.numbers(name, neededBy: "test") }
}
