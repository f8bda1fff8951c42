import MetaData

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

    public init(measure: EffectMeasure = .generic, columns: [EscalcArgument: String] = [:], weightsColumn: String? = nil,
                methods: [TauSquaredEstimator] = [.restrictedMaximumLikelihood], options: PoolingOptions = PoolingOptions()) {
        precondition(!methods.isEmpty, "a batch needs at least one method")
        self.measure = measure
        self.columns = columns
        self.weightsColumn = weightsColumn
        self.methods = methods
        self.options = options
    }

    /// What one method gave on one analysis.
    public struct Outcome: Sendable {
        public let method: TauSquaredEstimator
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
        let sizes: EffectSizes
        let weights: [Double]?
        do {
            sizes = try EffectSizes.compute(measure: measure, data: data, columns: columns, options: options.escalc)
            weights = try weightsColumn.map { try data.numbers($0, neededBy: ArgumentNaming.current(.userWeights)) }
        } catch {
            return failed(error)
        }
        return methods.map { method in
            let o = options(for: method)
            return Outcome(method: method, result: Result { try PooledAnalysis.pool(sizes, of: data, columns: columns, userWeights: weights, options: o) },
                           options: o)
        }
    }

    /// Reads the analysis' rows, then pools them under every method (a table that cannot be read fails every method).
    public func run(_ group: CSVGroup) -> [Outcome] {
        do { return run(try group.table()) } catch { return failed(error) }
    }

    private func failed(_ error: any Error) -> [Outcome] {
        methods.map { Outcome(method: $0, result: .failure(error), options: options(for: $0)) }
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
