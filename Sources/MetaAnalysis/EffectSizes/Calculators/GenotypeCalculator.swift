#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// REH, the relative excess heterozygosity of a biallelic marker, from genotype counts (`ai` homozygous for one
/// allele, `bi` heterozygous, `ci` homozygous for the other): the observed heterozygotes over those expected under
/// Hardy–Weinberg equilibrium given the homozygotes, on the log scale,
///
///     yi = log(bi/(2√(ai ci))),   vi = 1/bi + 1/(4 ai) + 1/(4 ci)   (the delta method; Ziegler et al. 2011)
///
/// A study with a zero count gets `add` in all three counts under `to = only0`.
enum GenotypeCalculator {
    static func compute(_ input: EscalcInput, options: EscalcOptions, labels: [String]) throws(InputError) -> CalculatedEffects {
        let a = try input.column(.ai), b = try input.column(.bi), c = try input.column(.ci)
        for column in [a, b, c] { try input.requireNonNegative(column, "a genotype count ≥ 0") }
        let k = input.rowCount
        let plan = ContinuityCorrectionPlan(hasZero: (0..<k).map { a[$0] == 0 || b[$0] == 0 || c[$0] == 0 }, doubleZero: nil,
                                            options: options, labels: labels)
        var out = CalculatedEffects(plan: plan)
        for i in 0..<k {
            let add = plan.amount(i)
            let ai = a[i] + add, bi = b[i] + add, ci = c[i] + add
            out.yi[i] = log(bi / (2 * (ai * ci).squareRoot()))
            out.vi[i] = 1 / bi + 1 / (4 * ai) + 1 / (4 * ci)
        }
        return out
    }
}
