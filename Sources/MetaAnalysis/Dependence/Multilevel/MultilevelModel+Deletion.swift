extension MultilevelModel {
    /// The same model on the effects at `kept` (0-based, ascending): y, V, X, every grouping and correlated term
    /// restricted to them, levels no kept effect has dropped (as R's refit on the subset data does), components
    /// held fixed kept fixed.
    /// - Throws: ``MultilevelModelError`` when the restricted model cannot be specified (e.g. a grouping left
    ///   with one level, or as many coefficients as effects).
    func keepingEffects(_ kept: [Int]) throws(MultilevelModelError) -> MultilevelModel {
        var position = [Int](repeating: -1, count: effectCount)
        for (i, r) in kept.enumerated() { position[r] = i }
        let blocks = samplingCovariance.blocks.compactMap { block -> SamplingCovariance.Block? in
            let inside = block.rows.indices.filter { position[block.rows[$0]] >= 0 }
            guard !inside.isEmpty else { return nil }
            let values = inside.flatMap { a in inside.map { b in block.element(a, b) } }
            return SamplingCovariance.Block(rows: inside.map { position[block.rows[$0]] }, values: values)
        }
        let v: SamplingCovariance
        do { v = try SamplingCovariance(count: kept.count, blocks: blocks) } catch {
            preconditionFailure("restricting a valid V to a subset of its effects cannot fail: \(error)")
        }
        let terms = try correlatedTerms.map { t throws(MultilevelModelError) in try t.keepingEffects(kept) }
        return try MultilevelModel(effects: kept.map { effects[$0] }, samplingCovariance: v, design: design.keepingRows(kept),
                                   groupings: groupings.map { $0.keepingEffects(kept) }, correlatedTerms: terms)
    }
}

extension RandomGrouping {
    /// The grouping of the effects at `kept`, in the same level order, without the levels none of them has.
    func keepingEffects(_ kept: [Int]) -> RandomGrouping {
        let (levels, levelOfEffect) = Self.compacting(levels: levels, of: kept.map { self.levelOfEffect[$0] })
        return RandomGrouping(name: name, levels: levels, levelOfEffect: levelOfEffect)
    }

    init(name: String, levels: [String], levelOfEffect: [Int]) {
        self.name = name
        self.levels = levels
        self.levelOfEffect = levelOfEffect
    }

    /// The levels used by `indices` (in their original order) and the indices renumbered into them.
    static func compacting(levels: [String], of indices: [Int]) -> (levels: [String], indices: [Int]) {
        var used = [Bool](repeating: false, count: levels.count)
        for i in indices { used[i] = true }
        var renumbered = [Int](repeating: -1, count: levels.count)
        var kept: [String] = []
        for (l, isUsed) in used.enumerated() where isUsed { renumbered[l] = kept.count; kept.append(levels[l]) }
        return (kept, indices.map { renumbered[$0] })
    }
}

extension CorrelatedRandomEffects {
    /// The term on the effects at `kept`, inner and outer levels none of them has dropped.
    /// - Throws: ``MultilevelModelError/singleLevel(component:level:)`` when one outer level is left.
    func keepingEffects(_ kept: [Int]) throws(MultilevelModelError) -> CorrelatedRandomEffects {
        let (inner, innerIndices) = RandomGrouping.compacting(levels: innerLevels, of: kept.map { innerOfEffect[$0] })
        return try CorrelatedRandomEffects(innerColumn: innerColumn, innerLabels: innerIndices.map { inner[$0] },
                                           outerColumn: outerColumn, outerLabels: kept.map { outer.levels[outer.levelOfEffect[$0]] },
                                           structure: structure)
    }
}
