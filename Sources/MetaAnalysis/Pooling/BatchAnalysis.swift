import MetaData
import MetaNumerics

/// One pooled analysis (``PooledAnalysis/pool(_:measure:columns:userWeights:options:)``) specified once and run on
/// every analysis of a collection, under one or several τ² estimators.
///
/// Each analysis is pooled exactly as `PooledAnalysis.pool` pools it alone; a failure (bad data, a model that cannot
/// be fitted) is that analysis' outcome, never the end of the run. ``map(_:threads:_:)`` runs analyses in parallel
/// and returns the results in the analyses' order, bit-identical for any thread count (each analysis depends only on
/// its own rows).
///
/// ```swift
/// let batch = BatchAnalysis(measure: .logRiskRatio, methods: [.derSimonianLaird, .restrictedMaximumLikelihood])
/// for outcome in batch.run(data) { print(outcome.method, (try? outcome.result.get())?.model.estimate ?? .nan) }
/// ```
public struct BatchAnalysis: Sendable {
    public var measure: EffectMeasure
    /// escalc argument → column, for columns named otherwise.
    public var columns: [EscalcArgument: String]
    /// The column of user weights (GENQ and GENQM need them), nil for none.
    public var weightsColumn: String?
    /// The estimators run on every analysis, in this order.
    public var methods: [TauSquaredEstimator]
    /// Everything else; `options.model.estimator` is replaced by each method in turn.
    public var options: PoolingOptions
    /// A column whose value is each analysis' measure code (e.g. `OR`), instead of `measure`: the analysis'
    /// ``CSVGroup/settings`` value (a manifest's column) when it has one, else the value of the analysis' rows, which
    /// must be the same on every row. Nil: `measure` for every analysis.
    public var measureColumn: String?
    /// A column whose value is each analysis' τ² estimators (codes separated by `,` or `;`, e.g. `DL;REML`),
    /// instead of `methods`, read as ``measureColumn`` is. Nil: `methods` for every analysis.
    public var methodColumn: String?

    public init(measure: EffectMeasure = .generic, columns: [EscalcArgument: String] = [:], weightsColumn: String? = nil,
                methods: [TauSquaredEstimator] = [.restrictedMaximumLikelihood], options: PoolingOptions = PoolingOptions(),
                measureColumn: String? = nil, methodColumn: String? = nil) {
        precondition(!methods.isEmpty, "a batch needs at least one method")
        self.measure = measure
        self.columns = columns
        self.weightsColumn = weightsColumn
        self.methods = methods
        self.options = options
        self.measureColumn = measureColumn
        self.methodColumn = methodColumn
    }

    /// What one method gave on one analysis.
    public struct Outcome: Sendable {
        public let method: TauSquaredEstimator
        /// The analysis' effect-size measure (`measure`, or its own from `measureColumn`).
        public let measure: EffectMeasure
        /// The analysis, or the typed error (`InputError`, `EstimationError`, ...) that stopped it.
        public let result: Result<PooledAnalysis, any Error>
        /// The options the analysis was run with (this method's).
        public let options: PoolingOptions
    }

    /// The options of `method`: `options` with its estimator.
    public func options(for method: TauSquaredEstimator) -> PoolingOptions {
        var o = options
        o.model.estimator = method
        return o
    }

    /// Pools `data` under every method, in `methods` order. The effect sizes and weights are computed once; a
    /// failure there is every method's outcome.
    public func run(_ data: any StudyColumns) -> [Outcome] {
        run(data, measure: measure, methods: methods)
    }

    private func run(_ data: any StudyColumns, measure: EffectMeasure, methods: [TauSquaredEstimator]) -> [Outcome] {
        let sizes: EffectSizes
        let weights: [Double]?
        do {
            sizes = try EffectSizes.compute(measure: measure, data: data, columns: columns, options: options.escalc)
            weights = try weightsColumn.map { try data.numbers($0, neededBy: ArgumentNaming.current(.userWeights)) }
        } catch {
            return failed(error, measure: measure, methods: methods)
        }
        return methods.map { method in
            let o = options(for: method)
            return Outcome(method: method, measure: measure,
                           result: Result { try PooledAnalysis.pool(sizes, of: data, columns: columns, userWeights: weights, options: o) },
                           options: o)
        }
    }

    /// Reads the analysis' rows and its own measure and methods (``measureColumn``, ``methodColumn``), then pools
    /// them under every method; a table or setting that cannot be read fails every method.
    public func run(_ group: CSVGroup) -> [Outcome] {
        let table: DataTable
        do { table = try group.table() } catch { return failed(error) }
        var measure = self.measure, methods = self.methods
        do {
            if let measureColumn {
                measure = try Self.setting(measureColumn, of: group, table, naming: .measureColumn,
                                           allowed: EffectMeasure.allCases.map(\.rawValue), EffectMeasure.matchingCode)
            }
            if let methodColumn {
                methods = try Self.setting(methodColumn, of: group, table, naming: .methodColumn,
                                           allowed: TauSquaredEstimator.allCases.map(\.rawValue), Self.methodList)
            }
        } catch {
            // The analysis' methods are unknown when their column is what failed: one row, under the batch's first.
            return failed(error, measure: measure, methods: methodColumn == nil ? methods : [self.methods[0]])
        }
        return run(table, measure: measure, methods: methods)
    }

    /// An analysis' own value of `column`: its settings' value (errors then name the manifest and its row), else the
    /// one value of its rows; `parse` reads it (nil: not a valid value, `allowed` lists the valid ones).
    static func setting<T>(_ column: String, of group: CSVGroup, _ table: DataTable, naming: ArgumentName,
                           allowed: [String], _ parse: (String) -> T?) throws -> T
    {
        if let value = group.settings[column] {
            let origin = group.settingsOrigin
            func located(_ error: InputError) -> any Error { origin.map { DataFileError.input(path: $0.path, error) } ?? error }
            let row = origin?.row ?? 1
            guard !value.isEmpty, value != "NA" else { throw located(.missingValue(row: row, column: column, value: value)) }
            guard let parsed = parse(value) else { throw located(.unknownCode(row: row, column: column, value: value, allowed: allowed)) }
            return parsed
        }
        let values = try table.strings(column, neededBy: ArgumentNaming.current(naming))
        guard !values.isEmpty else { throw InputError.noDataRows }
        let first = values[0].trimmingSpaces()
        guard !first.isEmpty, first != "NA" else { throw InputError.missingValue(row: 1, column: column, value: values[0]) }
        if let other = values.firstIndex(where: { $0.trimmingSpaces() != first }) {
            throw InputError.inconsistent(row: other + 1, columns: [column],
                                          rule: "found '\(values[other])' where row 1 has '\(first)'; an analysis has one value of \(ArgumentNaming.current(naming)) on all its rows")
        }
        guard let parsed = parse(first) else { throw InputError.unknownCode(row: 1, column: column, value: first, allowed: allowed) }
        return parsed
    }

    /// τ² estimators written as codes separated by `,` or `;`, each once; nil for anything else.
    static func methodList(_ text: String) -> [TauSquaredEstimator]? {
        var methods: [TauSquaredEstimator] = []
        for code in text.split(separator: ",", omittingEmptySubsequences: false).flatMap({ $0.split(separator: ";", omittingEmptySubsequences: false) }) {
            guard let method = TauSquaredEstimator.matchingCode(String(code).trimmingSpaces()), !methods.contains(method) else { return nil }
            methods.append(method)
        }
        return methods.isEmpty ? nil : methods
    }

    private func failed(_ error: any Error) -> [Outcome] { failed(error, measure: measure, methods: methods) }

    private func failed(_ error: any Error, measure: EffectMeasure, methods: [TauSquaredEstimator]) -> [Outcome] {
        methods.map { Outcome(method: $0, measure: measure, result: .failure(error), options: options(for: $0)) }
    }

    /// `transform(group, outcomes)` for every group, on up to `threads` workers, in the groups' order.
    ///
    /// `transform` runs on the worker that pooled the group (so rendering is parallel too) and must depend only on
    /// its arguments for the results to be identical for any thread count.
    public func map<T: Sendable>(_ groups: [CSVGroup], threads: Int,
                                 _ transform: @Sendable (CSVGroup, [Outcome]) -> T) -> [T] {
        ParallelLoop.map(groups.count, threads: threads, blockSize: 1) { i in transform(groups[i], run(groups[i])) }
    }
}
