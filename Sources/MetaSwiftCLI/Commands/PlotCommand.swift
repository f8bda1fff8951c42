import ArgumentParser
import MetaAnalysis
import MetaData
import MetaReport

/// The plots `metaswift plot` draws.
enum PlotKind: String, CaseIterable {
    /// One row per study with its CI and weight, the pooled diamond and the prediction interval.
    case forest
    /// Effect sizes against standard errors, with the pseudo-95% region (and trim-and-fill studies on request).
    case funnel
    /// Contribution to heterogeneity against influence on the pooled estimate.
    case baujat
    /// Pooled estimate against I² over every subset of studies.
    case gosh
    /// Cumulative meta-analysis as a forest plot: the pooled estimate as studies are added (--sort year: by year).
    case cumulative
    /// Leave-one-out as a forest plot: the pooled estimate without each study in turn.
    case leave1out
    /// Radial (Galbraith) plot: standardized effects against precision, the pooled estimate as a slope.
    case radial
    /// L'Abbé plot (2×2 data): each study's event rate in the experimental arm against the control arm's, area ∝ weight,
    /// with the curve the pooled effect implies.
    case labbe
    /// Bubble plot of a meta-regression on one numeric moderator (--mods): effect sizes against the moderator, area ∝
    /// weight, the fitted line with its confidence and prediction bands.
    case bubble
    /// Normal QQ plot of the standardized residuals with a simulated 95% envelope (1,000 sets, seed 1).
    case qq
    /// Drapery plot: the p-value function of every study and of the pooled estimate.
    case drapery
    /// Profile log-likelihood of tau^2 (--method ML or REML), or of each variance component of a multilevel model
    /// (--random; --component to choose).
    case profile
}

/// `metaswift plot forest|funnel|baujat|gosh|cumulative|leave1out|radial|labbe|bubble|qq|drapery|profile --data FILE --out FILE.svg|pdf|png`: fits the model as `pool` does, runs the
/// analysis the plot shows, and writes the SVG drawn by MetaReport.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a forest, funnel, Baujat, GOSH, cumulative, leave-one-out, radial, L'Abbé, bubble, QQ, drapery or profile plot as SVG, PDF or PNG.",
        discussion: "The model is fitted as `pool` fits it (--method, --test, --preset); the SVG goes to --out or standard output, a PDF or PNG to --out FILE.pdf or FILE.png.")

    @Argument(help: "forest, funnel, baujat, gosh, cumulative, leave1out, radial, labbe, bubble, qq, drapery or profile.")
    var kind: PlotKind

    @OptionGroup var input: ResamplingModelOptions

    @Flag(help: "Funnel plot: add the studies trim-and-fill imputes (L0 estimator, side estimated).")
    var trimfill = false

    @Option(help: ArgumentHelp("Funnel plot: shade the regions of significance at these confidence levels around the null (contour-enhanced funnel, Peters et al. 2008), e.g. 0.9,0.95,0.99.", valueName: "LEVELS"))
    var contours: String?

    @Option(help: ArgumentHelp("GOSH plot: draw the subsets of this binary file (`sensitivity gosh --format binary --out FILE`) instead of refitting them.", valueName: "FILE"))
    var subsetsFile: String?

    @OptionGroup(title: "Forest plot options") var forest: ForestPlotOptions

    @OptionGroup(title: "Profile plot of a multilevel model (as pool --random fits it)") var multilevel: MultilevelOptions

    @Option(name: .customLong("component"), parsing: .singleValue,
            help: ArgumentHelp("Profile plot with --random: the variance components to profile, repeatable: sigma2, tau2, rho, gamma2 or phi (each of that kind), or one as metafor numbers it, e.g. sigma2[2] (default: every estimated component).", valueName: "NAME"))
    var components: [String] = []

    @OptionGroup(title: "Output") var output: FigureOutputOptions

    func validate() throws {
        let sensitivity = kind == .cumulative || kind == .leave1out
        if kind != .forest && forest.isRequested && !(sensitivity && forest.appliesToSensitivityPlots)
            && !(kind == .labbe && forest.onlyArmLabels) {
            throw ValidationError("The forest plot options (--subgroup, --columns, --transform, --title, --sort, --year-column, --arm-labels, --favours-left, --favours-right, --xlim, --font-size) apply to the forest plot only (--arm-labels also to the L'Abbé plot).")
        }
        if kind != .profile && multilevel.isRequested { throw ValidationError("--random applies to the profile plot only.") }
        if !components.isEmpty && !multilevel.isRequested { throw ValidationError("--component needs --random (a multilevel model's variance components).") }
        if kind != .funnel && trimfill { throw ValidationError("--trimfill applies to the funnel plot only.") }
        if kind == .leave1out && forest.sort != .input { throw ValidationError("--sort applies to the forest and cumulative plots.") }
        if kind != .funnel && contours != nil { throw ValidationError("--contours applies to the funnel plot only.") }
        if kind != .gosh && subsetsFile != nil { throw ValidationError("--subsets-file applies to the GOSH plot only.") }
        // The forest plot answers --mods itself (it points to --subgroup).
        if kind != .bubble && kind != .forest && input.mods != nil && !(kind == .profile && multilevel.isRequested) {
            throw ValidationError("--mods applies to the bubble plot only (and to the profile plot with --random).")
        }
    }

    func run() throws {
        if kind == .forest { return try emit(forestSVG()) }
        if kind == .labbe || kind == .bubble { return try emit(armsOrModeratorSVG()) }
        if kind == .profile && multilevel.isRequested { return try emit(multilevelProfileSVG()) }
        let d = try StudyModelInput(input)
        let model = d.model
        let scale = PlotScale(measure: input.effectSize.measure)
        let svg: String
        switch kind {
        case .funnel:
            var filledY: [Double] = [], filledSE: [Double] = []
            var pooled = model.estimate
            if trimfill {
                let tf = try TrimAndFill(model: model)
                for (i, filled) in tf.isFilled.enumerated() where filled {
                    filledY.append(tf.filledEffects[i])
                    filledSE.append(tf.filledVariances[i].squareRoot())
                }
                pooled = tf.adjustedModel.estimate
            }
            svg = FunnelPlot(title: contours == nil ? "Funnel plot" : "Contour-enhanced funnel plot", effectSizes: model.effectSizes,
                             standardErrors: model.samplingVariances.map { $0.squareRoot() },
                             filledEffectSizes: filledY, filledStandardErrors: filledSE, pooledEstimate: pooled,
                             contourLevels: try contourLevels(),
                             scale: scale, axisLabel: input.effectSize.measure.axisTitle(scale: scale)).svg()
        case .baujat:
            let b = try BaujatAnalysis(model: model)
            svg = BaujatPlot(title: "Baujat plot", contributions: b.x, influences: b.y, labels: b.studies).svg()
        case .forest, .labbe, .bubble:
            preconditionFailure("drawn by forestSVG() or armsOrModeratorSVG()")
        case .qq:
            svg = NormalQQPlot(title: "Normal QQ plot", data: try NormalQQData(model: model)).svg()
        case .drapery:
            svg = DraperyPlot(title: "Drapery plot", functions: try PValueFunctions(model: model), scale: scale,
                              effectLabel: input.effectSize.measure.axisTitle(scale: scale), alpha: model.options.alpha).svg()
        case .profile:
            svg = ProfilePlot(title: "Profile likelihood plot", curves: [try model.tauSquaredProfile()]).svg()
        case .cumulative:
            let keys = try forest.sort == .year ? d.column(forest.yearColumn, neededBy: "--sort year", path: input.data) : nil
            guard [.input, .year].contains(forest.sort) else {
                throw InputError.invalidOption(name: "--sort", value: forest.sort.rawValue, expected: "input or year for the cumulative plot")
            }
            let analysis = try CumulativeAnalysis(model: model, orderedBy: keys)
            svg = ForestPlot(sensitivity: .cumulative, fits: analysis.fits, studies: analysis.studies, model: model,
                             measure: input.effectSize.measure, settings: try forest.sensitivitySettings(notes: d.notes, logScale: scale == .log)).svg()
        case .radial:
            svg = RadialPlot(title: "Radial (Galbraith) plot", effectSizes: model.effectSizes, samplingVariances: model.samplingVariances,
                             tauSquared: model.tauSquared, pooledEstimate: model.estimate,
                             measureAbbreviation: input.effectSize.measure.plotLabels(scale: scale).abbreviation, scale: scale).svg()
        case .leave1out:
            let analysis = try LeaveOneOutAnalysis(model: model)
            svg = ForestPlot(sensitivity: .leaveOneOut, fits: analysis.fits, studies: analysis.studies, model: model,
                             measure: input.effectSize.measure, settings: try forest.sensitivitySettings(notes: d.notes, logScale: scale == .log)).svg()
        case .gosh:
            let analysis = try GOSHAnalysis(model: model)
            let all: [GOSHSubset]
            if let subsetsFile {
                // Only the whole run of this analysis: never another dataset's subsets, nor one shard of a run.
                let reader = try GOSHBinaryReader(path: subsetsFile)
                let h = reader.header, expected = GOSHBinaryHeader(analysis)
                guard h.method == expected.method else {
                    throw InputError.invalidOption(name: "--method", value: expected.method, expected: "\(h.method), the method '\(subsetsFile)' was computed with")
                }
                guard h.fingerprint == expected.fingerprint else {
                    throw GOSHFileError.otherAnalysis(path: subsetsFile, fileFingerprint: h.fingerprintPrefix, analysisFingerprint: expected.fingerprintPrefix)
                }
                guard h.firstSubset == 0, h.recordCount == h.totalSubsets else {
                    throw GOSHFileError.partialRun(path: subsetsFile, first: h.firstSubset, records: h.recordCount, total: h.totalSubsets)
                }
                all = try reader.all()
            } else {
                all = try analysis.subsets()
            }
            let subsets = all.filter { $0.studyCount > 1 }
            if subsets.count < all.count {
                Console.current.writeError("Note: the \(all.count - subsets.count) single-study subsets are not drawn (I² is undefined for one study).\n")
            }
            svg = GOSHPlot(title: "GOSH plot", estimates: subsets.map(\.estimate), iSquared: subsets.map(\.iSquared), scale: scale,
                           estimateLabel: input.effectSize.measure.pooledAxisTitle(scale: scale)).svg()
        }
        try emit(svg)
    }

    /// The L'Abbé plot (the arms' counts of the model's studies) and the bubble plot (a meta-regression on --mods).
    private func armsOrModeratorSVG() throws -> String {
        let d = try input.studyInput()
        let measure = d.measure
        let scale = PlotScale(measure: measure)
        if kind == .bubble {
            let regression = try input.fittedRegression(d).model
            return BubblePlot(title: "Bubble plot", band: try RegressionBand(model: regression), scale: scale,
                              effectLabel: measure.axisTitle(scale: scale), level: regression.options.level).svg()
        }
        let model = try input.fittedModel(d).model
        let data: LabbeData
        do {
            data = try LabbeData(model: model, measure: measure, data: d.table, columns: d.columns,
                                 options: input.effectSize.escalcOptions, rows: d.rows)
        } catch let error as InputError {
            throw DataFileError.input(path: input.data, error)
        }
        let (experimental, control) = try forest.arms()
        return try LabbePlot(title: "L'Abbé plot", data: data, armLabels: (experimental, control)).svg()
    }

    /// The profile plot of a multilevel model: one panel per `--component` (default: every estimated component),
    /// each curve from `MultilevelFit.profile`.
    private func multilevelProfileSVG() throws -> String {
        let d = try input.studyInput()
        let design = try input.multilevelDesign(d)
        let fit = try multilevel.fitted(d, design: design, estimator: input.method, test: input.test, preset: input.preset,
                                        level: input.effectSize.level, dataPath: input.data).fit
        let chosen = try profiledComponents(of: fit)
        return ProfilePlot(title: "Profile likelihood plot", curves: chosen.map { fit.profile($0) }).svg()
    }

    /// The `--component` choices among the fit's estimated components, in the model's order.
    func profiledComponents(of fit: MultilevelFit) throws(InputError) -> [MultilevelFit.Component] {
        let estimated = fit.estimatedComponents
        guard !estimated.isEmpty else {
            throw .invalidOption(name: "--random", value: multilevel.random.joined(separator: " "),
                                 expected: "a model with at least one estimated variance component to profile (every component is held by --fix)")
        }
        guard !components.isEmpty else { return estimated }
        var chosen: Set<MultilevelFit.Component> = []
        for name in components {
            let text = name.trimmingSpaces()
            let matching = estimated.filter { $0.label == text || $0.name == text }
            guard !matching.isEmpty else {
                throw .invalidOption(name: "--component", value: name,
                                     expected: "an estimated component of this model: \(estimated.map(\.label).joined(separator: ", ")) (or its kind, e.g. \(estimated[0].name))")
            }
            chosen.formUnion(matching)
        }
        return estimated.filter(chosen.contains)
    }

    /// `--contours` as confidence levels, each strictly between 0 and 1.
    func contourLevels() throws(InputError) -> [Double] {
        guard let contours else { return [] }
        let levels = contours.split(separator: ",", omittingEmptySubsequences: false).map { Double(String($0).trimmingSpaces()) }
        guard !levels.isEmpty, levels.allSatisfy({ $0.map { $0 > 0 && $0 < 1 } ?? false }) else {
            throw .invalidOption(name: "--contours", value: contours, expected: "confidence levels between 0 and 1 separated by commas, e.g. 0.9,0.95,0.99")
        }
        return levels.compactMap { $0 }.sorted()
    }

    private func emit(_ svg: String) throws {
        try output.emit(svg)
    }
}

extension PlotKind: CaseInsensitiveArgument { init?(argument: String) { guard let v = Self.matching(argument) else { return nil }; self = v } }
