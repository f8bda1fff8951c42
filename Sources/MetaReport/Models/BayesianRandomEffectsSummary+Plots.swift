import MetaAnalysis
import MetaNumerics

extension BayesianRandomEffectsSummary {
    /// The marginal posterior of τ with its prior overlaid (when proper), the shortest credible interval shaded and
    /// the median marked; evaluated on `points` values from 0 to the 99.5 % posterior quantile.
    public func tauPosteriorPlot(points: Int = 201, style: PlotStyle = PlotStyle()) throws -> DensityPlot {
        let upper = try model.tauQuantile(0.995)
        let xs = (0..<points).map { upper * Double($0) / Double(points - 1) }
        var curves = [DensityPlot.Curve(label: "posterior", values: xs.map(model.tauDensity))]
        if model.tauPriorDensity(0) != nil {
            curves.append(.init(label: "prior (\(model.tauPrior.label))", values: xs.map { model.tauPriorDensity($0) ?? .nan }))
        }
        return DensityPlot(title: "Marginal posterior of tau", xs: xs, curves: curves, shaded: tau.shortest,
                           shadedLabel: "shortest \(percentText) credible interval", marks: [("posterior median", tau.median)],
                           axisLabel: "Heterogeneity tau", style: style)
    }

    /// The marginal posterior of μ with its prior overlaid (when normal), the shortest credible interval shaded and
    /// the median marked; evaluated between the 0.25 % and 99.75 % posterior quantiles.
    public func muPosteriorPlot(points: Int = 201, axisLabel: String = "Effect mu", style: PlotStyle = PlotStyle()) throws -> DensityPlot {
        let m = model.muPosterior
        let lower = try m.quantile(0.0025), upper = try m.quantile(0.9975)
        let xs = (0..<points).map { lower + (upper - lower) * Double($0) / Double(points - 1) }
        var curves = [DensityPlot.Curve(label: "posterior", values: xs.map(m.density))]
        if case let .normal(mean, sd) = model.muPrior {
            curves.append(.init(label: "prior (\(model.muPrior.label))", values: xs.map { Normal.density(($0 - mean) / sd) / sd }))
        }
        return DensityPlot(title: "Marginal posterior of mu", xs: xs, curves: curves, shaded: mu.shortest,
                           shadedLabel: "shortest \(percentText) credible interval", marks: [("posterior median", mu.median)],
                           axisLabel: axisLabel, style: style)
    }

    /// The joint posterior density of (μ, τ) as contours enclosing 50, 90, 95 and 99 % of the posterior mass (the
    /// highest-density regions, their levels found from the density on a `points` × `points` grid), with the joint
    /// posterior mode marked.
    public func jointPosteriorPlot(points: Int = 81, axisLabel: String = "Effect mu", style: PlotStyle = PlotStyle()) throws -> ContourPlot {
        let m = model.muPosterior
        let muLower = try m.quantile(0.001), muUpper = try m.quantile(0.999)
        let tauUpper = try model.tauQuantile(0.995)
        let xs = (0..<points).map { muLower + (muUpper - muLower) * Double($0) / Double(points - 1) }
        let ys = (0..<points).map { tauUpper * Double($0) / Double(points - 1) }
        let values = ys.map { t in xs.map { model.jointDensity(tau: t, mu: $0) } }
        // Highest-density levels: sort the grid's densities, accumulate mass until each probability is reached.
        let sorted = values.flatMap { $0 }.filter(\.isFinite).sorted(by: >)
        let total = sorted.reduce(0, +)
        var levels: [ContourPlot.Level] = []
        for p in [0.99, 0.95, 0.9, 0.5] where total > 0 {
            var cumulative = 0.0
            for v in sorted {
                cumulative += v
                if cumulative >= p * total {
                    levels.append(.init(label: "\(Int((p * 100).rounded())) % highest posterior density region", value: v))
                    break
                }
            }
        }
        var marked: [(label: String, x: Double, y: Double)] = []
        if let t = maximumAPosteriori.joint.tau, let mu = maximumAPosteriori.joint.mu { marked.append(("joint posterior mode", mu, t)) }
        return ContourPlot(title: "Joint posterior of (mu, tau)", xs: xs, ys: ys, values: values, levels: levels, points: marked,
                           xLabel: axisLabel, yLabel: "Heterogeneity tau", style: style)
    }

    /// A forest plot of the studies' estimates with their 95 % confidence intervals and, under each, the shrinkage
    /// estimate (posterior median and shortest credible interval of θᵢ); the posterior of μ as the diamond and a new
    /// study's effect as the prediction bar.
    public func shrinkageForestPlot(studyLabels: [String]? = nil, scale: PlotScale = .identity, axisLabel: String = "",
                                    style: PlotStyle = PlotStyle()) -> ForestPlot {
        let k = model.effectSizes.count
        let labels = studyLabels ?? (1...k).map { "\($0)" }
        let z = Normal.quantile(0.5 + level / 2)
        let rows = (0..<k).map { i -> ForestPlot.Row in
            let y = model.effectSizes[i], s = model.standardErrors[i]
            return ForestPlot.Row(label: labels[i], estimate: y, lower: y - z * s, upper: y + z * s,
                                  secondary: .init(estimate: shrinkage[i].median, lower: shrinkage[i].shortest.lower,
                                                   upper: shrinkage[i].shortest.upper))
        }
        let overall = ForestPlot.Summary(label: "mu (posterior median, \(percentText) CrI)", estimate: mu.median,
                                         lower: mu.shortest.lower, upper: mu.shortest.upper,
                                         predictionLower: theta.shortest.lower, predictionUpper: theta.shortest.upper)
        return ForestPlot(title: "Forest plot with shrinkage estimates", rows: rows, overall: overall,
                          footnotes: ["Black: quoted estimate with \(percentText) CI; grey: shrinkage estimate (posterior median, shortest \(percentText) credible interval).",
                                      "tau prior: \(model.tauPrior.label); mu prior: \(model.muPrior.label)."],
                          estimateHeader: "Estimate [\(percentText) CI]", predictionLabel: "New study (\(percentText) CrI)",
                          scale: scale, axisLabel: axisLabel, style: style)
    }

    var percentText: String { PlotNumberFormat.shortest(level * 100) + "%" }
}
