import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// `--method`: a τ² estimator of the random-effects model, or one of the methods for sparse binary data.
enum PoolMethod: ExpressibleByArgument, Equatable {
    case randomEffects(TauSquaredEstimator)
    /// Mantel–Haenszel (`rma.mh`).
    case mantelHaenszel
    /// Peto's one-step odds ratio (`rma.peto`).
    case peto
    /// Binomial–normal GLMM (`rma.glmm`).
    case glmm

    init?(argument: String) {
        switch argument.uppercased() {
        case "MH": self = .mantelHaenszel
        case "PETO": self = .peto
        case "GLMM": self = .glmm
        default:
            guard let estimator = TauSquaredEstimator(argument: argument) else { return nil }
            self = .randomEffects(estimator)
        }
    }

    static var allValueStrings: [String] { TauSquaredEstimator.allValueStrings + ["MH", "PETO", "GLMM"] }

    var estimator: TauSquaredEstimator? {
        if case let .randomEffects(e) = self { return e }
        return nil
    }
}

extension PoolCommand {
    /// MH, PETO and GLMM: pooled from the raw counts, with double-zero studies left out of the per-study
    /// effect sizes unless `--no-drop00` (`drop00 = TRUE` is the default of `rma.mh`, `rma.peto` and `rma.glmm`).
    func runSparseMethod(_ method: PoolMethod) throws {
        if robust.isRequested {
            throw InputError.invalidOption(name: "--robust", value: robust.cluster ?? "",
                                           expected: "an inverse-variance model (a tau^2 method, not MH, PETO or GLMM)")
        }
        let file = try effectSize.studyFile(data)
        let table = file.table
        let columns = try effectSize.columns()
        var escalc = effectSize.escalcOptions
        escalc.drop00 = effectSize.drop00Choice ?? true
        let measure = effectSize.measure
        let document: JSONValue
        let title: String
        let printed: String
        let notes: [String]
        do {
            switch method {
            case .mantelHaenszel:
                let fit = try MantelHaenszelFit.fit(measure: measure, data: table, columns: columns,
                                                    options: MantelHaenszelOptions(escalc: escalc, correct: !noContinuityCorrection))
                document = fit.jsonValue()
                printed = fit.printed()
                title = "Mantel-Haenszel common-effect model (measure \(measure.rawValue), k = \(fit.tableCount))"
                notes = EffectSizeDiagnostic.summarised(fit.effectSizes.diagnostics)
            case .peto:
                guard measure == .petoLogOddsRatio || measure == .logOddsRatio || measure == .generic else {
                    throw EstimationError.unsupportedMeasure(method: "PETO", measure: measure, supported: [.petoLogOddsRatio])
                }
                let fit = try PetoFit.fit(data: table, columns: columns, options: MantelHaenszelOptions(escalc: escalc))
                document = fit.jsonValue()
                printed = fit.printed()
                title = "Peto one-step odds ratio (k = \(fit.tableCount))"
                notes = EffectSizeDiagnostic.summarised(fit.effectSizes.diagnostics)
            case .glmm:
                let options = GLMMOptions(model: glmmModel ?? .unconditionalFixedStudyEffects,
                                          estimator: glmmEstimator ?? .maximumLikelihood,
                                          quadraturePoints: quadraturePoints, escalc: escalc)
                let fit = try BinomialNormalGLMM.fit(measure: measure, data: table, columns: columns, options: options)
                document = fit.jsonValue()
                printed = fit.printed()
                title = "Binomial-normal GLMM \(options.model.rawValue), \(options.estimator.rawValue) (measure \(measure.rawValue), k = \(fit.studyCount), "
                    + "\(fit.diagnostics.quadraturePoints == 1 ? "Laplace" : "\(fit.diagnostics.quadraturePoints)-point adaptive Gauss-Hermite"), "
                    + "\(fit.diagnostics.iterations) Newton iterations, gradient norm \(scientific(fit.diagnostics.gradientNorm)))"
                notes = EffectSizeDiagnostic.summarised(fit.effectSizes.diagnostics)
            case .randomEffects:
                preconditionFailure("random-effects methods are fitted by run()")
            }
        } catch let error as InputError {
            throw DataFileError.input(path: data, error)
        }
        let provenance = Provenance(
            toolVersion: Invocation.version,
            commandLine: Invocation.commandLine,
            options: [("measure", measure.rawValue), ("method", methodCode(method)),
                      ("level", NumberFormat.shortest(effectSize.level)), ("add", NumberFormat.shortest(effectSize.add)),
                      ("to", effectSize.to.rawValue), ("drop00", String(escalc.drop00))],
            inputPath: data, inputSHA256: file.sha256)
        try output.emit(SparseFitReport(title: title, document: document, notes: notes, provenance: provenance, printed: printed))
    }

    private func methodCode(_ method: PoolMethod) -> String {
        switch method {
        case .mantelHaenszel: return "MH"
        case .peto: return "PETO"
        case .glmm: return "GLMM " + (glmmModel ?? .unconditionalFixedStudyEffects).rawValue
            + (glmmEstimator == .commonEffect ? " EE" : "")
        case let .randomEffects(e): return e.rawValue
        }
    }
}

/// `x` with three significant digits in scientific notation (e.g. 1.26e-10), for figures such as a gradient norm
/// whose magnitude matters and whose 17 digits do not.
func scientific(_ x: Double) -> String {
    guard x.isFinite, x != 0 else { return "\(x)" }
    var mantissa = abs(x), exponent = 0
    while mantissa >= 10 { mantissa /= 10; exponent += 1 }
    while mantissa < 1 { mantissa *= 10; exponent -= 1 }
    mantissa = (mantissa * 100).rounded() / 100
    if mantissa >= 10 { mantissa /= 10; exponent += 1 }
    let digits = (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
    return (x < 0 ? "-" : "") + NumberFormat.fixed(mantissa, digits: 2) + "e" + digits
}
