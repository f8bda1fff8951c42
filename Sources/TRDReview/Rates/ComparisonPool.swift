import MetaData
import MetaAnalysis

/// Controlled comparisons pooled within one class, outcome and comparator kind (k ≥ 2 independent comparisons):
/// Mantel–Haenszel (common effect, no continuity correction: Greenland & Robins 1985) and random effects
/// (REML τ², Knapp–Hartung CI by default) for RR, OR and RD, and the NNT from the pooled RD.
///
/// Each sample counts once: comparisons of one trial that share an arm (a multi-arm trial) are merged into one
/// by adding the events and sizes of their active arms and of their comparator arms (Cochrane Handbook v6.4,
/// §23.3.4, via `GroupCombination.binary`); comparisons with separate arms (e.g. two dose schedules, each with its
/// own placebo group) stay separate.
public struct ComparisonPool: Sendable {
    /// One independent comparison entering the pool.
    public struct Unit: Sendable, Equatable {
        public var study: String
        public var ref: Int
        public var sampleGroup: String
        public var activeArm: String
        public var controlArm: String
        public var activeEvents: Int
        public var activeTotal: Int
        public var controlEvents: Int
        public var controlTotal: Int
    }

    public var key: String
    public var label: String
    public var treatmentClass: TreatmentClass
    public var outcome: ReportedOutcome
    public var kind: ComparatorKind
    public var units: [Unit]
    /// RR, OR, RD by Mantel–Haenszel (empty if not estimable; see diagnostics).
    public var mantelHaenszel: [ComparisonEffect]
    /// RR, OR, RD by random effects.
    public var randomEffects: [ComparisonEffect]
    public var numberNeededToTreat: NumberNeededToTreat?
    public var diagnostics: [RateDiagnostic]

    public var k: Int { units.count }
    public var totalN: Int { units.reduce(0) { $0 + $1.activeTotal + $1.controlTotal } }

    /// The independent units of `comparisons` (one class, outcome and kind), merging comparisons that share an arm.
    public static func units(of comparisons: [ControlledComparison]) throws(InputError) -> (units: [Unit], notes: [RateDiagnostic]) {
        var units: [Unit] = []
        var notes: [RateDiagnostic] = []
        var remaining = comparisons
        while !remaining.isEmpty {
            var component = [remaining.removeFirst()]
            var grew = true
            while grew {
                grew = false
                for (i, c) in remaining.enumerated().reversed() where component.contains(where: { sharesArm($0, c) }) {
                    component.append(c)
                    remaining.remove(at: i)
                    grew = true
                }
            }
            let first = component[0]
            var actives: [(String, Int, Int)] = []
            var controls: [(String, Int, Int)] = []
            for c in component {
                if !actives.contains(where: { $0.0 == c.activeArm }) { actives.append((c.activeArm, c.activeEvents, c.activeTotal)) }
                if !controls.contains(where: { $0.0 == c.controlArm }) { controls.append((c.controlArm, c.controlEvents, c.controlTotal)) }
            }
            let active = try combine(actives)
            let control = try combine(controls)
            if component.count > 1 {
                notes.append(.comparatorArmsCombined(study: first.study, arms: (actives.count > 1 ? actives : controls).map(\.0)))
            }
            units.append(Unit(study: first.study, ref: first.ref, sampleGroup: first.sampleGroup,
                              activeArm: actives.map(\.0).joined(separator: " + "),
                              controlArm: controls.map(\.0).joined(separator: " + "),
                              activeEvents: active.events, activeTotal: active.total,
                              controlEvents: control.events, controlTotal: control.total))
        }
        return (units, notes)
    }

    /// Pools `comparisons` when they give at least two independent units; nil otherwise.
    public static func fit(key: String, label: String, comparisons: [ControlledComparison],
                           options: RandomEffectsOptions) throws -> ComparisonPool? {
        guard let first = comparisons.first else { return nil }
        let (units, unitNotes) = try units(of: comparisons)
        guard units.count >= 2 else { return nil }
        var notes = unitNotes
        let table = StudyData.twoByTwo(studies: units.map(\.study), ai: units.map { Double($0.activeEvents) },
                                       n1i: units.map { Double($0.activeTotal) }, ci: units.map { Double($0.controlEvents) },
                                       n2i: units.map { Double($0.controlTotal) })
        var mh: [ComparisonEffect] = []
        var re: [ComparisonEffect] = []
        for measure in [EffectMeasure.logRiskRatio, .logOddsRatio, .riskDifference] {
            let back = measure.backTransformation()
            do {
                let fit = try MantelHaenszelFit.fit(measure: measure, data: table,
                                                    options: MantelHaenszelOptions(escalc: EscalcOptions(drop00: true, level: options.level)))
                let p = fit.pooled
                mh.append(ComparisonEffect(measure: measure, method: "MH", yi: p.estimate, vi: p.standardError * p.standardError,
                                           estimate: back.apply(p.estimate), ciLower: back.apply(p.ciLower),
                                           ciUpper: back.apply(p.ciUpper), pValue: p.pValue))
            } catch {
                notes.append(.computation(group: label, note: "Mantel-Haenszel \(measure.rawValue) not estimable: \(error)"))
            }
            let sizes = try EffectSizes.compute(measure: measure, data: table, options: EscalcOptions(level: options.level))
            let rows = sizes.availableIndices
            guard rows.count >= 1 else { continue }
            let model = try RandomEffectsModel.fit(effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] },
                                                   studies: rows.map { sizes.studies[$0] }, options: options)
            let prediction = model.prediction
            re.append(ComparisonEffect(measure: measure, method: options.estimator.rawValue, yi: model.estimate,
                                       vi: model.standardError * model.standardError, estimate: back.apply(model.estimate),
                                       ciLower: back.apply(model.confidenceLower), ciUpper: back.apply(model.confidenceUpper),
                                       pValue: model.pValue, tauSquared: model.tauSquared, iSquared: model.iSquared,
                                       predictionLower: rows.count >= PooledRate.minimumStudiesForPrediction ? back.apply(prediction.predictionLower) : nil,
                                       predictionUpper: rows.count >= PooledRate.minimumStudiesForPrediction ? back.apply(prediction.predictionUpper) : nil))
            if measure == .logRiskRatio {
                notes += sizes.diagnostics.map { .computation(group: label, note: $0.description) }
                notes += model.diagnostics.map { .computation(group: label, note: $0.description) }
            }
        }
        let rd = mh.first { $0.measure == .riskDifference } ?? re.first { $0.measure == .riskDifference }
        return ComparisonPool(key: key, label: label, treatmentClass: first.treatmentClass, outcome: first.outcome, kind: first.kind,
                              units: units, mantelHaenszel: mh, randomEffects: re,
                              numberNeededToTreat: rd.map { NumberNeededToTreat(riskDifference: $0.estimate, lower: $0.ciLower, upper: $0.ciUpper) },
                              diagnostics: notes)
    }

    private static func sharesArm(_ a: ControlledComparison, _ b: ControlledComparison) -> Bool {
        a.ref == b.ref && (a.activeArm == b.activeArm || a.controlArm == b.controlArm)
    }

    private static func combine(_ arms: [(String, Int, Int)]) throws(InputError) -> (events: Int, total: Int) {
        var events = Double(arms[0].1), total = Double(arms[0].2)
        for arm in arms.dropFirst() {
            let c = try GroupCombination.binary(events1: events, n1: total, events2: Double(arm.1), n2: Double(arm.2))
            events = c.events
            total = c.n
        }
        return (Int(events), Int(total))
    }
}
