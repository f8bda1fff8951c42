import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// `metaswift vcalc`: the sampling covariance matrix V of dependent effect sizes, as metafor's `vcalc`.
struct VcalcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vcalc",
        abstract: "Construct the sampling covariance matrix V of dependent effect sizes (metafor's vcalc).",
        discussion: """
        Effects in one --cluster (e.g. a study) covary; effects in different clusters are independent. \
        Several outcomes: --obs labels the estimates, --type their constructs; --rho gives the correlation of \
        different estimates of one type (with --obs) or of different types (with --type); with both, --rho \
        R_OBS,R_TYPE. Time points: --time1 (and --time2 for the second group of a contrast) with --phi, the \
        correlation phi^|t - u|. Contrasts sharing a group (multi-arm studies): --grp1/--grp2 label the two groups \
        of each contrast, --w1/--w2 their weights (e.g. sample sizes; 1 when absent). Reported matrices: --rvars \
        names the columns holding each cluster's var-cov rows (lower triangle used; --vi 1 keeps them unscaled). \
        The options combine as in vcalc. Output: CSV row1,row2,cov (1-based rows, upper triangle with the \
        diagonal, nonzero within-cluster entries only; `pool --V FILE` reads it back) or JSON (blocks per cluster).
        """
    )

    @Option(help: ArgumentHelp("CSV file with one row per effect.", valueName: "FILE"))
    var data: String

    @Option(help: ArgumentHelp("Column of the sampling variances, or a positive number for all rows (e.g. 1 with --rvars).", valueName: "COLUMN"))
    var vi: String

    @Option(help: ArgumentHelp("Column of the cluster (e.g. study): effects in different clusters are independent.", valueName: "COLUMN"))
    var cluster: String

    @Option(help: ArgumentHelp("Column distinguishing different estimates of the same construct.", valueName: "COLUMN"))
    var obs: String?

    @Option(help: ArgumentHelp("Column of the construct (outcome type) of each estimate.", valueName: "COLUMN"))
    var type: String?

    @Option(help: ArgumentHelp("Correlation(s): R_OBS with --obs, R_TYPE with --type, R_OBS,R_TYPE with both.", valueName: "R[,R]"))
    var rho: String?

    @Option(help: ArgumentHelp("Numeric column of the time point of each estimate (of group 1 of a contrast).", valueName: "COLUMN"))
    var time1: String?

    @Option(help: ArgumentHelp("Numeric column of the time point of group 2 of each contrast (default: --time1).", valueName: "COLUMN"))
    var time2: String?

    @Option(help: ArgumentHelp("Autocorrelation of estimates one time unit apart (phi^|t - u|).", valueName: "PHI"))
    var phi: Double?

    @Option(help: ArgumentHelp("Column labelling the first group of each contrast.", valueName: "COLUMN"))
    var grp1: String?

    @Option(help: ArgumentHelp("Column labelling the second group of each contrast.", valueName: "COLUMN"))
    var grp2: String?

    @Option(help: ArgumentHelp("Numeric column of the weight (e.g. sample size) of the first group.", valueName: "COLUMN"))
    var w1: String?

    @Option(help: ArgumentHelp("Numeric column of the weight of the second group (default: --w1).", valueName: "COLUMN"))
    var w2: String?

    @Option(help: ArgumentHelp("Columns holding each cluster's reported var-cov matrix, one column per matrix column.", valueName: "C1,C2,..."))
    var rvars: String?

    @Option(help: "Output format: csv (row1,row2,cov), json or table.")
    var format: OutputFormat = .csv

    @Option(help: ArgumentHelp("Write the output to FILE (atomically) instead of standard output.", valueName: "FILE"))
    var out: String?

    func run() throws {
        let file = try CSVFile(path: data)
        let table = file.table
        func column(_ name: String, _ flag: String) throws -> [Double] {
            do { return try table.numbers(name, neededBy: flag) } catch { throw DataFileError.input(path: data, error) }
        }
        func labels(_ name: String, _ flag: String) throws -> [String] {
            do { return try table.labels(name, neededBy: flag) } catch { throw DataFileError.input(path: data, error) }
        }
        let k = table.rowCount
        let variances: [Double]
        if !table.hasColumn(vi), let constant = DataTable.parseDouble(vi), constant.isFinite, constant > 0 {
            variances = [Double](repeating: constant, count: k)
        } else {
            variances = try column(vi, "--vi")
        }
        let clusters = try labels(cluster, "--cluster")
        var calculation = VarianceCalculation(variances: variances, clusters: clusters)

        if let rvars {
            let names = rvars.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
            let others = [("--obs", obs), ("--type", type), ("--rho", rho), ("--time1", time1), ("--time2", time2),
                          ("--grp1", grp1), ("--grp2", grp2), ("--w1", w1), ("--w2", w2)].filter { $0.1 != nil }.map(\.0)
                + (phi == nil ? [] : ["--phi"])
            guard others.isEmpty else {
                throw InputError.invalidOption(name: "--rvars", value: rvars,
                                               expected: "no \(others.joined(separator: ", ")): reported matrices replace the correlations")
            }
            guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
                throw InputError.invalidOption(name: "--rvars", value: rvars, expected: "a comma-separated list of column names")
            }
            calculation.reportedCovariances = try names.map { try column($0, "--rvars") }
        } else {
            calculation.types = try type.map { try labels($0, "--type") }
            calculation.observations = try obs.map { try labels($0, "--obs") }
            try assignCorrelations(&calculation)
            calculation.times1 = try time1.map { try column($0, "--time1") }
            calculation.times2 = try time2.map { try column($0, "--time2") }
            if (time1 != nil || time2 != nil) != (phi != nil) {
                throw InputError.invalidOption(name: "--phi", value: phi.map { NumberFormat.shortest($0) } ?? "(none)",
                                               expected: phi == nil ? "a value with --time1" : "--time1 as well: phi correlates time points")
            }
            calculation.autocorrelation = phi
            calculation.groups1 = try grp1.map { try labels($0, "--grp1") }
            calculation.groups2 = try grp2.map { try labels($0, "--grp2") }
            calculation.weights1 = try w1.map { try column($0, "--w1") }
            calculation.weights2 = try w2.map { try column($0, "--w2") }
        }
        let covariance = try calculation.covariance()

        let given: [(String, String?)] = [
            ("vi", vi), ("cluster", cluster), ("obs", obs), ("type", type), ("rho", rho), ("time1", time1),
            ("time2", time2), ("phi", phi.map { NumberFormat.shortest($0) }), ("grp1", grp1), ("grp2", grp2),
            ("w1", w1), ("w2", w2), ("rvars", rvars),
        ]
        let provenance = Provenance(toolVersion: Invocation.version, commandLine: Invocation.commandLine,
                                    options: given.compactMap { name, value in value.map { (name, $0) } },
                                    inputPath: data, inputSHA256: file.sha256)
        let text = SamplingCovarianceReport(covariance: covariance, clusters: clusters, provenance: provenance).rendered(format)
        if let out { try writeAtomically(text, to: out) } else { Console.current.write(text) }
    }

    /// `--rho` by vcalc's rule: R_OBS with --obs only, R_TYPE with --type only, both with both.
    private func assignCorrelations(_ calculation: inout VarianceCalculation) throws {
        guard let rho else {
            if obs != nil || type != nil {
                throw InputError.invalidOption(name: "--rho", value: "(none)",
                                               expected: "a correlation for the estimates that \(obs != nil ? "--obs" : "--type") distinguishes")
            }
            return
        }
        let values = try rho.split(separator: ",", omittingEmptySubsequences: false).map { text -> Double in
            guard let x = DataTable.parseDouble(String(text).trimmingSpaces()), x >= -1, x <= 1 else {
                throw InputError.invalidOption(name: "--rho", value: rho, expected: "correlations in [-1, 1], separated by a comma")
            }
            return x
        }
        switch (obs != nil, type != nil, values.count) {
        case (true, true, 2): (calculation.correlationWithinType, calculation.correlationBetweenTypes) = (values[0], values[1])
        case (true, false, 1): calculation.correlationWithinType = values[0]
        case (false, true, 1): calculation.correlationBetweenTypes = values[0]
        case (false, false, _):
            throw InputError.invalidOption(name: "--rho", value: rho, expected: "--obs and/or --type: they say which estimates rho correlates")
        default:
            throw InputError.invalidOption(name: "--rho", value: rho,
                                           expected: obs != nil && type != nil ? "two values R_OBS,R_TYPE with both --obs and --type" : "one value")
        }
    }
}

extension VarianceCalculationError: UserFacingError {}
