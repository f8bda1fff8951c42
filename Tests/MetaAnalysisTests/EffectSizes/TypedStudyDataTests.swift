import MetaAnalysis
import MetaData
import Testing

/// Typed arrays and a CSV table of the same numbers give the same results from every entry point that takes study data.
@Suite("Typed study data equals the CSV path")
struct TypedStudyDataTests {
    static let csv = """
        study,ai,bi,ci,di
        Aronson,4,119,11,128
        Ferguson,6,300,29,274
        Rosenthal,3,228,11,209
        Hart,62,13536,248,12619
        Frimodt,33,5036,47,5761
        """
    static let typed = StudyData.twoByTwo(studies: ["Aronson", "Ferguson", "Rosenthal", "Hart", "Frimodt"],
                                          ai: [4, 6, 3, 62, 33], bi: [119, 300, 228, 13536, 5036],
                                          ci: [11, 29, 11, 248, 47], di: [128, 274, 209, 12619, 5761])

    @Test(arguments: [EffectMeasure.logRiskRatio, .logOddsRatio, .riskDifference])
    func effectSizes(_ measure: EffectMeasure) throws {
        let table = try DataTable(csv: Self.csv)
        #expect(try EffectSizes.compute(measure: measure, data: Self.typed) == EffectSizes.compute(measure: measure, data: table))
    }

    @Test func sparseMethodsAndPooling() throws {
        let table = try DataTable(csv: Self.csv)
        let mhTyped = try MantelHaenszelFit.fit(measure: .logOddsRatio, data: Self.typed).pooled
        let mhTable = try MantelHaenszelFit.fit(measure: .logOddsRatio, data: table).pooled
        #expect(mhTyped == mhTable)
        #expect(try PetoFit.fit(data: Self.typed).pooled == PetoFit.fit(data: table).pooled)
        let glmmTyped = try BinomialNormalGLMM.fit(measure: .logOddsRatio, data: Self.typed)
        let glmmTable = try BinomialNormalGLMM.fit(measure: .logOddsRatio, data: table)
        #expect(glmmTyped.pooled == glmmTable.pooled)
        let a = try PooledAnalysis.pool(Self.typed, measure: .logRiskRatio)
        let b = try PooledAnalysis.pool(table, measure: .logRiskRatio)
        #expect(a.prediction == b.prediction)
        #expect(a.heterogeneityIntervals == b.heterogeneityIntervals)
    }

    @Test func freemanTukeyBackTransformationUsesTheHarmonicMeanOfEveryStudy() throws {
        let data = StudyData.proportions(xi: [3, 10, 0], ni: [20, 50, 10])
        let analysis = try PooledAnalysis.pool(data, measure: .freemanTukeyProportion)
        let n = 3 / (1.0 / 20 + 1.0 / 50 + 1.0 / 10)
        #expect(analysis.backTransformation == .inverseFreemanTukey(harmonicMeanN: n))
        #expect(PooledAnalysis.harmonicMean([20, 50, 10]) == n)
    }
}
