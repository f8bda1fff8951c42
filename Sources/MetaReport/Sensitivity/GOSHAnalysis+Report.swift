import MetaAnalysis
import MetaData

extension GOSHAnalysis {
    /// A subset's membership as k characters, study 1 first: `1` included, `0` left out (metafor's `incl`).
    public func membership(_ mask: UInt64) -> String {
        String((0..<model.studyCount).map { mask & (1 << UInt64($0)) != 0 ? "1" : "0" })
    }

    /// SHA-256 of what the subsets' values depend on besides the subset: k, every effect, variance and user
    /// weight (bit patterns), the τ² estimator and its solver settings. Shards and subsets files carry it, so that
    /// subsets of other data are never merged or drawn (test, level and threads do not enter).
    public var fingerprint: [UInt8] {
        var bytes = Array("metaswift.gosh.fingerprint.1\n".utf8)
        func append(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        append(UInt64(model.studyCount))
        for (y, v) in zip(model.effectSizes, model.samplingVariances) { append(y.bitPattern); append(v.bitPattern) }
        if let weights = model.userWeights { bytes += Array("weights\n".utf8); for a in weights { append(a.bitPattern) } }
        bytes += Array("\(model.options.estimator.rawValue)\n\(model.options.control)\n".utf8)
        return SHA256.digest(bytes)
    }

    /// The CSV header line of the per-subset rows.
    public static let csvHeader = "incl,k,estimate,tau2,I2,H2,QE\n"

    /// CSV of `subsets`: `incl, k, estimate, tau2, I2, H2, QE`, one row per subset in the analysis' order.
    public func csv(_ subsets: [GOSHSubset]) -> String {
        var out = Self.csvHeader
        subsets.withUnsafeBufferPointer { appendCSVRows($0, to: &out) }
        return out
    }

    /// Appends one CSV row per subset (no header) to `out`: the streamed form of `csv(_:)`.
    public func appendCSVRows(_ subsets: UnsafeBufferPointer<GOSHSubset>, to out: inout String) {
        out.reserveCapacity(out.utf8.count + subsets.count * (model.studyCount + 90))
        for s in subsets {
            out += membership(s.mask) + "," + String(s.studyCount) + "," + NumberFormat.shortest(s.estimate) + ","
                + NumberFormat.shortest(s.tauSquared) + "," + NumberFormat.shortest(s.iSquared) + "," + NumberFormat.shortest(s.hSquared)
                + "," + NumberFormat.shortest(s.cochranQ) + "\n"
        }
    }

    /// The report of a summary (no rows): subsets, exhaustive, seed, and for the estimate and I² the exact
    /// minimum, mean and maximum with quantiles read from the histogram (to within one bin width).
    /// - Parameter histograms: include the histograms (`lower`, `upper`, `bin_width`, `counts`); the text table omits them.
    public func report(_ summary: GOSHSummary, histograms: Bool = true, notes: [String] = [], provenance: Provenance? = nil) -> AnalysisReport {
        func distribution(_ d: GOSHDistribution) -> JSONValue {
            let width = (d.upperEdge - d.lowerEdge) / Double(d.counts.count)
            var fields: [(String, JSONValue)] = [
                ("min", .double(d.minimum)), ("q025", .double(d.quantile(0.025))), ("median", .double(d.quantile(0.5))),
                ("q975", .double(d.quantile(0.975))), ("max", .double(d.maximum)), ("mean", .double(d.mean))]
            if histograms {
                fields.append(("histogram", .object([("lower", .double(d.lowerEdge)), ("upper", .double(d.upperEdge)),
                                                     ("bin_width", .double(width)),
                                                     ("counts", .array(d.counts.map { .number(Double($0)) }))])))
            }
            return .object(fields)
        }
        let m = model
        return AnalysisReport(
            title: "GOSH (Olkin, Dahabreh & Trikalinos 2012): \(m.estimator.rawValue) model on \(isExhaustive ? "all" : "a random sample of") \(summary.subsetCount) subsets of \(m.studyCount) studies (summary; quantiles to within one histogram bin)",
            fields: [
                ("k", .number(Double(m.studyCount))),
                ("method", .string(m.estimator.rawValue)),
                ("subsets", .number(Double(summary.subsetCount))),
                ("exhaustive", .bool(isExhaustive)),
                ("seed", isExhaustive ? .null : .number(Double(seed))),
                ("estimate_distribution", distribution(summary.estimate)),
                ("I2_distribution", distribution(summary.iSquared)),
            ],
            notes: notes, provenance: provenance)
    }

    /// The report: scalars (subsets, exhaustive, seed), the per-subset columns (JSON/CSV), and in the text
    /// form a summary of the estimate and I² over subsets.
    public func report(_ subsets: [GOSHSubset], notes: [String] = [], provenance: Provenance? = nil) -> AnalysisReport {
        func summary(_ values: [Double]) -> JSONValue {
            let sorted = values.sorted()
            func q(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(p * Double(sorted.count - 1)))] }
            return .object([("min", .double(sorted.first)), ("median", .double(q(0.5))), ("max", .double(sorted.last))])
        }
        let m = model
        return AnalysisReport(
            title: "GOSH (Olkin, Dahabreh & Trikalinos 2012): \(m.estimator.rawValue) model on \(isExhaustive ? "all" : "a random sample of") \(subsetCount) subsets of \(m.studyCount) studies",
            fields: [
                ("k", .number(Double(m.studyCount))),
                ("method", .string(m.estimator.rawValue)),
                ("subsets", .number(Double(subsetCount))),
                ("exhaustive", .bool(isExhaustive)),
                ("seed", isExhaustive ? .null : .number(Double(seed))),
                ("estimate_summary", summary(subsets.map(\.estimate))),
                ("I2_summary", summary(subsets.map(\.iSquared))),
            ],
            rowLabels: ("incl", subsets.map { membership($0.mask) }),
            columns: [
                ("k", subsets.map { .number(Double($0.studyCount)) }),
                ("estimate", subsets.map { .double($0.estimate) }),
                ("tau2", subsets.map { .double($0.tauSquared) }),
                ("I2", subsets.map { .double($0.iSquared) }),
                ("H2", subsets.map { .double($0.hSquared) }),
                ("QE", subsets.map { .double($0.cochranQ) }),
            ],
            notes: notes, provenance: provenance)
    }
}
