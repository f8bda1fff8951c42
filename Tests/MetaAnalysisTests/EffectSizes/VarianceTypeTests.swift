import Foundation
import MetaData
import MetaAnalysis
import Testing

/// escalc's `vtype` for MD and SMD on Normand (1999) (conformance bank copy of metadat `dat.normand1999`). Expected
/// variances from metafor 3.8-1 (R 4.2.2), `escalc(measure, m1i, sd1i, n1i, m2i, sd2i, n2i, data = dat.normand1999,
/// vtype = ...)$vi`, printed with sprintf("%.17g"); formulas as escalc's documentation names them.
@Suite("escalc vtype: MD (LS, HO) and SMD (LS, UB, LS2, AV)")
struct VarianceTypeTests {
    static let table: DataTable = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ConformanceTests/Bank/data/normand1999.csv")
        return try! DataTable(contentsOfFile: url.path)
    }()

    static let expected: [(EffectMeasure, VarianceType, [Double])] = [
        (.standardizedMeanDifference, .largeSample, [0.013064675541529683, 0.064468876098856681, 0.045812110280182811,
            0.16061773593617348, 0.20543327839222422, 0.036910570000361909, 0.060267125836432664, 0.014863038419332694,
            0.036271734158054549]),
        (.standardizedMeanDifference, .unbiased, [0.013067150392568333, 0.064529632179894825, 0.04629684550006169,
            0.16636429064925967, 0.20619364389042111, 0.0369154111198517, 0.060299845200753981, 0.014867026248313774,
            0.03628469440015758]),
        (.standardizedMeanDifference, .largeSampleBorenstein, [0.013002256203021206, 0.062909389252027562,
            0.045526674790652165, 0.15572833760186749, 0.18956775530255549, 0.036395445012639915, 0.058890900296528347,
            0.014788032232809636, 0.03578259961870113]),
        (.standardizedMeanDifference, .averaged, [0.013296016330131211, 0.065651234709428033, 0.028342632993243275,
            0.11486165894938437, 0.20835258750297395, 0.038013341927395132, 0.061730014742910226, 0.015016208129655508,
            0.037102969131166584]),
        (.meanDifference, .largeSample, [40.50802315963606, 2.0806451612903225, 15.698403755868545, 150.22222222222223,
            17.307692307692307, 1.1673414304993253, 94.589126559714799, 6.3108792846497765, 19.842307692307692]),
        (.meanDifference, .homoscedastic, [40.586315417539979, 2.046833685880487, 15.280876369327075, 150.2222222222222,
            20.192307692307693, 1.223529708527249, 95.375551899081316, 8.0320743346939043, 20.693566433566435]),
    ]

    @Test("variances match metafor to 1e-10 relative", arguments: 0..<6)
    func variances(index: Int) throws {
        let (measure, vtype, vi) = Self.expected[index]
        let es = try EffectSizes.compute(measure: measure, data: Self.table, options: EscalcOptions(vtype: vtype))
        let ls = try EffectSizes.compute(measure: measure, data: Self.table)
        for i in vi.indices {
            #expect(abs(es.vi[i] - vi[i]) <= 1e-10 * abs(vi[i]), "\(measure.rawValue) \(vtype.rawValue) study \(i + 1): \(es.vi[i])")
            #expect(es.yi[i] == ls.yi[i], "vtype changes only the variances")
        }
    }

    @Test("a vtype the measure does not document is a typed error naming the choices")
    func unsupportedVtype() {
        #expect(throws: InputError.invalidOption(name: "vtype", value: "HO", expected: "LS or UB or LS2 or AV or H0 for measure SMD")) {
            try EffectSizes.compute(measure: .standardizedMeanDifference, data: Self.table, options: EscalcOptions(vtype: .homoscedastic))
        }
        #expect(throws: InputError.self) {
            try EffectSizes.compute(measure: .meanDifference, data: Self.table, options: EscalcOptions(vtype: .unbiased))
        }
    }
}
