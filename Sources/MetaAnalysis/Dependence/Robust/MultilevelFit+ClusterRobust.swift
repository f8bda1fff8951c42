import MetaNumerics

extension MultilevelFit: ClusterRobustModel {
    /// X, e = y − Xβ̂ and M = V + the random effects' covariance, block by cluster of the model (W = M⁻¹ as fitted);
    /// the omnibus test covers all coefficients but the intercept (all without one).
    public func robustWorkingModel() throws(ClusterRobustError) -> RobustWorkingModel {
        let w = workingModel
        let fitted = w.design * w.coefficients
        // M_c is symmetric in exact arithmetic; average the triangles so SamplingCovariance's exact check holds.
        let blocks = w.clusters.map { c -> (rows: [Int], values: [Double]) in
            let n = c.rows.count
            var values = [Double](repeating: 0, count: n * n)
            for a in 0..<n { for b in 0..<n { values[a * n + b] = (c.marginalCovariance[a, b] + c.marginalCovariance[b, a]) / 2 } }
            return (c.rows, values)
        }
        let m: SamplingCovariance
        do { m = try SamplingCovariance(count: effectCount, blocks: blocks) } catch { throw .invalidMarginalCovariance("\(error)") }
        let tested = model.design.moderatorCoefficientIndices
        return RobustWorkingModel(design: w.design, coefficientNames: coefficientNames, coefficients: w.coefficients,
                                  residuals: zip(w.effects, fitted).map { $0 - $1 }, marginalCovariance: m,
                                  testedCoefficients: tested.isEmpty ? Array(0..<w.coefficients.count) : tested)
    }
}
