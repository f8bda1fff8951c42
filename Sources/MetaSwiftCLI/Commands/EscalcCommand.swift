import ArgumentParser
import MetaAnalysis
import MetaReport

/// `metaswift escalc`: per-study effect sizes and sampling variances, as metafor's `summary(escalc(...))`.
struct EscalcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalc",
        abstract: "Compute per-study effect sizes (yi, vi, sei, zi, pval, ci_lb, ci_ub) as metafor's escalc does.",
        discussion: """
        The CSV's columns are named as escalc's arguments: ai, bi, ci, di or ai, n1i, ci, n2i (2×2 tables: RR OR RD \
        AS PETO); m1i, sd1i, n1i, m2i, sd2i, n2i (MD SMD SMDH ROM); xi, ni (PR PLN PLO PAS PFT); ri, ni (COR ZCOR); \
        x1i, t1i, x2i, t2i (IRR IRD) or xi, ti (IRLN IR); m1i, m2i, sd1i, sd2i, ni, ri (MC SMCC SMCR); yi with vi or \
        sei (GEN). For MD SMD SMDH ROM, a study that reports a group's median with the range and/or quartiles \
        instead of its mean and SD leaves m1i/sd1i empty (or NA) and fills median1i with min1i, max1i and/or q1_1i, \
        q3_1i (median2i, min2i, max2i, q1_2i, q3_2i for group 2): the mean and SD are estimated with the formulas \
        of metafor's conv.fivenum (Luo et al. 2018; Wan et al. 2014; Shi et al. 2020; no skewness test) and each \
        estimate is reported. An \
        optional 'study' column labels the rows. Zero counts get --add (0.5) by metafor's rules; every \
        correction is reported (after the table; on standard error with --format csv; under "diagnostics" in JSON). \
        CSV output appends the computed columns to the input columns.
        """
    )

    @OptionGroup var effectSize: EffectSizeOptions

    @Option(help: ArgumentHelp("CSV file with one row per study.", valueName: "FILE"))
    var data: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let (file, columns, sizes) = try effectSize.effectSizes(dataPath: data)
        let provenance = Provenance(
                toolVersion: MetaSwiftCommand.version,
                commandLine: MetaSwiftCommand.commandLine,
                options: [
                    ("measure", sizes.measure.rawValue), ("add", NumberFormat.shortest(effectSize.add)),
                    ("to", effectSize.to.rawValue), ("drop00", String(effectSize.drop00)),
                    ("vtype", effectSize.escalcOptions.vtype.rawValue), ("level", NumberFormat.shortest(effectSize.level)),
                ] + columns.sorted { $0.key.rawValue < $1.key.rawValue }.map { ("map.\($0.key.rawValue)", $0.value) },
                inputPath: data, inputSHA256: file.sha256)
        try output.emit(EffectSizesReport(effectSizes: sizes, input: file.table, provenance: provenance))
    }
}
