import ArgumentParser
import MetaData
import MetaAnalysis


/// `--measure`, `--map`, `--add`, `--to`, `--drop00`, `--level`: what `EffectSizes.compute` needs, shared by
/// every command that starts from study data.
struct EffectSizeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Effect size measure (escalc code); GEN reads precomputed yi with vi or sei.", valueName: "CODE"))
    var measure: EffectMeasure = .generic

    @Option(name: .customLong("map"), parsing: .singleValue,
            help: ArgumentHelp("Read escalc argument ARG from COLUMN, e.g. --map m1i=m_post (repeatable; ARG one of \(EscalcArgument.allCases.map(\.rawValue).joined(separator: ", "))).",
                               valueName: "ARG=COLUMN"))
    var mappings: [String] = []

    @Option(name: .customLong("add"),
            help: "Amount added to the counts of studies that get a continuity correction (default 0.5; 0 for PHI, ZPHI, IRSD, IRS, IRFT, as metafor).")
    var addOption: Double?

    /// `--add`, or metafor's default for the measure.
    var add: Double { addOption ?? measure.defaultAdd }

    @Option(help: "Which studies get the correction: only0 (those with a zero count), all, if0all (all, if any has a zero count), none.")
    var to: ContinuityCorrectionScope = .onlyZero

    @Flag(name: .customLong("drop00"), inversion: .prefixedNo,
          help: "Leave out two-group studies with no events (or only events) in both groups from the effect sizes (default: no; yes for pool --method MH, PETO, GLMM, as metafor).")
    var drop00Choice: Bool?

    /// `--drop00` given: escalc's default (`drop00 = FALSE`) unless the flag says otherwise. The sparse-data methods
    /// of `pool` read `drop00Choice` themselves, since their default is the other way round.
    var drop00: Bool { drop00Choice ?? false }

    @Option(name: .customLong("level"), help: ArgumentHelp("Confidence level in percent.", valueName: "level"))
    var levelArgument: Double = 95

    /// The confidence level in percent: a fraction above one half (`--level 0.95`) is read as a percentage, as
    /// metafor reads `level = 0.95`.
    var level: Double { Self.percent(level: levelArgument) }

    /// `--level` in percent (see ``level``).
    static func percent(level: Double) -> Double { level > 0.5 && level < 1 ? level * 100 : level }

    /// Refuses a level that is neither a percentage nor a fraction above one half: metafor would read 0.05 as
    /// α = 0.05, a 95 % interval, which a reader of the command line cannot guess.
    static func checkLevel(_ level: Double) throws(InputError) {
        guard level.isFinite, level > 0.5, level < 100 else {
            throw .invalidOption(name: "--level", value: "\(level)",
                                 expected: "a confidence level in percent between 0.5 and 100 (e.g. 95), or a fraction above 0.5 (e.g. 0.95)")
        }
    }

    func validate() throws { try Self.checkLevel(levelArgument) }

    @Option(help: ArgumentHelp("Sampling variance type (escalc's vtype): LS (default); UB, LS2, AV, H0 for SMD; HO for MD; AV, H0 for RR, OR; UB, AV, H0 for RD; CS, ST for PHI, ZPHI, RPB, ZPB; UB, AV for PR; AV for PLN, PLO; AV, H0, H0b for COR; UB, AV for UCOR; LS2 for SMDH; HO, AV, AVHO, LS2 for ROM; HO for MN; LS2 for VR, CVR, ROMC, VRC, CVRC; LS2, LS3, HO, H0 for CLESN, AUCN; LS2, H0, MAX for CLES, AUC; LS2, UB, H0 for SMCC, SMCR; LS2 for SMCRH, SMCRPH; AV for PCOR, SPCOR; LS2, AV, AV2 for R2.", valueName: "TYPE"))
    var vtype: VarianceType = .largeSample

    @Option(help: ArgumentHelp("RevMan 5 review (--data FILE.rm5): the comparison to read (needed when it has several outcomes).", valueName: "N"))
    var comparison: Int?

    @Option(help: ArgumentHelp("RevMan 5 review (--data FILE.rm5): the outcome within the comparison.", valueName: "M"))
    var outcome: Int?

    @Flag(name: .customLong("bias-correction"), inversion: .prefixedNo,
          help: "Apply the measure's small-sample or bias correction (metafor's correct = TRUE): SMD, SMDH, SMD1, SMD1H, ROM, VR, CVR, SMN, SDLN, CVLN, SMCC, SMCR, SMCRH, SMCRP, SMCRPH, ROMC, CVRC.")
    var biasCorrection: Bool = true

    /// The `--map` pairs as an argument → column map.
    func columns() throws(InputError) -> [EscalcArgument: String] {
        var columns: [EscalcArgument: String] = [:]
        for mapping in mappings {
            let parts = mapping.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty, let argument = EscalcArgument(rawValue: String(parts[0])) else {
                throw .invalidOption(name: "--map", value: mapping,
                                     expected: "ARG=COLUMN with ARG one of \(EscalcArgument.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            columns[argument] = String(parts[1])
        }
        return columns
    }

    var escalcOptions: EscalcOptions {
        EscalcOptions(add: add, to: to, drop00: drop00, vtype: vtype, level: level, correct: biasCorrection)
    }

    /// Reads `path` once (table and SHA-256) and computes the effect sizes; also returns the `--map` column map.
    func effectSizes(dataPath path: String) throws -> (file: CSVFile, columns: [EscalcArgument: String], sizes: EffectSizes) {
        let file = try studyFile(path)
        let columns = try columns()
        do {
            return (file, columns, try EffectSizes.compute(measure: measure, data: file.table, columns: columns, options: escalcOptions))
        } catch {
            throw DataFileError.input(path: path, error)
        }
    }

    /// The study rows of `path`: a CSV file, or one outcome of a RevMan 5 review (`.rm5`) as `import revman` writes it.
    func studyFile(_ path: String) throws -> CSVFile {
        guard RevManImport.isReviewFile(path) else {
            if comparison != nil || outcome != nil {
                throw InputError.invalidOption(name: comparison != nil ? "--comparison" : "--outcome",
                                               value: String(comparison ?? outcome ?? 0),
                                               expected: "a RevMan 5 review as --data (FILE.rm5); a CSV file has no comparisons or outcomes")
            }
            return try CSVFile(path: path)
        }
        let bytes = try DataFile.bytes(path)
        let chosen = try RevManImport.outcome(bytes: bytes, comparison: comparison, outcome: outcome)
        if measure == .generic, let revman = chosen.escalcMeasure, revman != .generic {
            throw InputError.invalidOption(name: "--measure", value: measure.rawValue,
                                           expected: "the measure of the RevMan outcome (\(RevManImport.poolOptions(chosen).joined(separator: " ")) reproduces RevMan's analysis)")
        }
        return CSVFile(path: path, table: chosen.table(), sha256: SHA256.hexDigest(bytes))
    }
}
