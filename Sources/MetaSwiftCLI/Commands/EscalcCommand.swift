import ArgumentParser
import MetaAnalysis
import MetaReport

/// `metaswift escalc`: per-study effect sizes and sampling variances, as metafor's `summary(escalc(...))`.
struct EscalcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalc",
        abstract: "Compute per-study effect sizes (yi, vi, sei, zi, pval, ci_lb, ci_ub) as metafor's escalc does.",
        discussion: """
        The CSV's columns are named as escalc's arguments. Measures by family (metafor's codes):
          2×2 tables (ai, bi, ci, di or ai, n1i, ci, n2i): RR OR RD AS PETO; association PHI ZPHI YUQ YUY RTET ZTET \
        PBIT OR2D OR2DN OR2DL.
          Matched pairs (ai both, bi only 1, ci only 2, di neither): MPRD MPRR MPOR MPORC MPPETO.
          Person-time (x1i, t1i, x2i, t2i): IRR IRD IRSD; one group (xi, ti): IRLN IR IRS IRFT.
          Two groups, means (m1i, sd1i, n1i, m2i, sd2i, n2i): MD SMD SMDH ROM SMD1 SMD1H VR CVR; as correlations \
        RPB RBIS ZPB ZBIS; as log odds ratios D2OR D2ORN D2ORL; common language effect size / AUC CLESN AUCN.
          Reported AUC or common language effect size (ai = the area, n1i, n2i): CLES AUC.
          One group, means (mi, sdi, ni): MN SMN SDLN MNLN CVLN.
          Proportions (xi, ni or xi, mi): PR PLN PLO PAS PFT PRZ.
          Correlations (ri, ni): COR ZCOR UCOR; (semi-)partial (ti, ni, mi [, r2i]): PCOR ZPCOR SPCOR ZSPCOR; \
        R² (r2i, mi, ni): R2 ZR2.
          Paired designs (m1i, m2i, sd1i, sd2i, ni, ri): MC SMCC SMCR SMCRH SMCRP SMCRPH ROMC VRC CVRC CLESCN AUCCN.
          Reliability (ai = Cronbach's alpha, mi = items, ni): ARAW AHW ABT.
          Genotype counts (ai, bi heterozygous, ci): REH.
          Precomputed: yi with vi or sei (GEN).
        --vtype picks another sampling variance where metafor has one; --no-bias-correction is metafor's correct = FALSE. \
        For MD SMD SMDH ROM, a study that reports a group's median with the range and/or quartiles \
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
                toolVersion: Invocation.version,
                commandLine: Invocation.commandLine,
                options: [
                    ("measure", sizes.measure.rawValue), ("add", NumberFormat.shortest(effectSize.add)),
                    ("to", effectSize.to.rawValue), ("drop00", String(effectSize.drop00)),
                    ("vtype", effectSize.escalcOptions.vtype.rawValue), ("level", NumberFormat.shortest(effectSize.level)),
                ] + (effectSize.biasCorrection ? [] : [("correct", "false")]) + columns.sorted { $0.key.rawValue < $1.key.rawValue }.map { ("map.\($0.key.rawValue)", $0.value) },
                inputPath: data, inputSHA256: file.sha256)
        try output.emit(EffectSizesReport(effectSizes: sizes, input: file.table, provenance: provenance))
    }
}
