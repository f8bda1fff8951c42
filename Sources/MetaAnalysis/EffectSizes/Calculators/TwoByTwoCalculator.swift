#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// RR, OR, RD, AS and PETO from 2×2 tables: `ai, bi, ci, di`, or `ai, n1i, ci, n2i` (`bi = n1i − ai`,
/// `di = n2i − ci`). With p₁ = ai/n1i and p₂ = ci/n2i (after any continuity correction):
///
///     RR:   yi = log(p₁/p₂),                      vi = 1/ai − 1/n1i + 1/ci − 1/n2i
///     OR:   yi = log(p₁/(1−p₁)) − log(p₂/(1−p₂)), vi = 1/ai + 1/bi + 1/ci + 1/di
///     RD:   yi = p₁ − p₂,                         vi = p₁(1−p₁)/n1i + p₂(1−p₂)/n2i
///     AS:   yi = asin√p₁ − asin√p₂,               vi = 1/(4 n1i) + 1/(4 n2i)
///     PETO: yi = (ai − E)/V, vi = 1/V, E = (ai+ci) n1i/N, V = (ai+ci)(bi+di) n1i n2i / (N²(N−1))
///
/// (Fleiss & Berlin 2009, in *The Handbook of Research Synthesis*, ch. 13; Rücker et al. 2009 for AS;
/// Yusuf et al. 1985 for PETO; metafor's `?escalc`.) Other variances (`vtype`), with p̄ = (ai + ci)/(n1i + n2i)
/// the pooled proportion of the study and p̄₁, p̄₂ the groups' proportions pooled over all studies (Σai/Σn1i):
///
///     H0: RR (1 − p̄)/p̄ (1/n1 + 1/n2),  OR 1/(p̄(1 − p̄)) (1/n1 + 1/n2),  RD p̄(1 − p̄)(1/n1 + 1/n2)
///     AV: the LS formula with p̄₁, p̄₂ in place of p₁, p₂;   UB (RD): p₁(1−p₁)/(n1−1) + p₂(1−p₂)/(n2−1)
///
/// Association measures (n = ai + bi + ci + di; row sums n1, n2; column sums m1, m2):
///
///     PHI:  φ = (ai di − bi ci)/√(n1 n2 m1 m2); vi (LS = CS, multinomial sampling; Bishop, Fienberg & Holland
///           1975, 11.2) = (1 − φ² + φ(1 + φ²/2)(p1. − p2.)(p.1 − p.2)/√(p1. p2. p.1 p.2)
///                          − ¾φ²((p1. − p2.)²/(p1. p2.) + (p.1 − p.2)²/(p.1 p.2)))/n,  p.. the margins over n;
///           ST (rows fixed): the delta method in (p₁, p₂) with binomial variances
///     ZPHI: atanh φ, vi(φ)/(1 − φ²)²
///     YUQ:  Q = (OR − 1)/(OR + 1), vi = ¼(1 − Q²)² vi(log OR)        (Yule 1900; Bishop et al. 1975)
///     YUY:  Y = (√OR − 1)/(√OR + 1), vi = (1/16)(1 − Y²)² vi(log OR)  (Yule 1912)
///     RTET: the tetrachoric correlation by maximum likelihood (``TetrachoricCorrelation``); ZTET: atanh ρ̂,
///           vi(ρ̂)/(1 − ρ̂²)²
///     PBIT: Φ⁻¹(p₁) − Φ⁻¹(p₂), vi = Σ 2π pⱼ(1 − pⱼ) exp(zⱼ²)/nⱼ      (Sánchez-Meca et al. 2003)
///     OR2DL, OR2D: log OR · √3/π, vi · 3/π²;  OR2DN: log OR/1.65, vi/1.65²  (Hasselblad & Hedges 1995; Cox 1970)
enum TwoByTwoCalculator {
    static func compute(_ input: EscalcInput, options: EscalcOptions, labels: [String]) throws(InputError) -> CalculatedEffects {
        // One validation for escalc and the stratified methods (TwoByTwoTable+Reading).
        let tables = try TwoByTwoTable.read(input)
        let k = tables.count
        let hasZero = tables.map { $0.a == 0 || $0.b == 0 || $0.c == 0 || $0.d == 0 }
        let doubleZero = tables.map { ($0.a == 0 && $0.c == 0) || ($0.b == 0 && $0.d == 0) }
        let plan = ContinuityCorrectionPlan(hasZero: hasZero, doubleZero: doubleZero, options: options, labels: labels)
        var out = CalculatedEffects(plan: plan)
        var cells: [(a: Double, b: Double, c: Double, d: Double)] = []
        for i in 0..<k {
            let add = plan.dropped[i] ? 0 : plan.amount(i)
            let t = tables[i]
            cells.append((t.a + add, t.b + add, t.c + add, t.d + add))
        }
        for i in 0..<k where !plan.dropped[i] {
            let (a, b, c, d) = cells[i]
            let (yi, vi) = effect(input.measure, a: a, b: b, c: c, d: d, vtype: options.vtype)
            out.yi[i] = yi
            out.vi[i] = vi
        }
        if options.vtype == .averaged {
            // p̄₁ = Σai/Σn1i and p̄₂ = Σci/Σn2i over the studies with an estimate.
            var a = 0.0, n1 = 0.0, c = 0.0, n2 = 0.0
            for i in 0..<k where out.yi[i].isFinite {
                a += cells[i].a; n1 += cells[i].a + cells[i].b
                c += cells[i].c; n2 += cells[i].c + cells[i].d
            }
            let p1 = a / n1, p2 = c / n2
            for i in 0..<k where !plan.dropped[i] {
                let m1 = cells[i].a + cells[i].b, m2 = cells[i].c + cells[i].d
                out.vi[i] = binomialVariance(input.measure, p1: p1, n1: m1, p2: p2, n2: m2)
            }
        }
        return out
    }

    /// The large-sample variance of RR, OR or RD at proportions p₁, p₂ in groups of n1, n2.
    static func binomialVariance(_ measure: EffectMeasure, p1: Double, n1: Double, p2: Double, n2: Double) -> Double {
        switch measure {
        case .logRiskRatio: return (1 - p1) / (n1 * p1) + (1 - p2) / (n2 * p2)
        case .logOddsRatio: return 1 / (n1 * p1 * (1 - p1)) + 1 / (n2 * p2 * (1 - p2))
        default: return p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
        }
    }

    static func effect(_ measure: EffectMeasure, a: Double, b: Double, c: Double, d: Double,
                       vtype: VarianceType = .largeSample) -> (Double, Double) {
        let n1 = a + b, n2 = c + d
        let p1 = a / n1, p2 = c / n2
        let pooled = (a + c) / (n1 + n2)
        switch measure {
        case .logRiskRatio:
            let v = vtype == .underNull ? (1 - pooled) / pooled * (1 / n1 + 1 / n2) : 1 / a - 1 / n1 + 1 / c - 1 / n2
            return (log(p1 / p2), v)
        case .logOddsRatio:
            let v = vtype == .underNull ? (1 / n1 + 1 / n2) / (pooled * (1 - pooled)) : 1 / a + 1 / b + 1 / c + 1 / d
            return (log(p1 / (1 - p1)) - log(p2 / (1 - p2)), v)
        case .riskDifference:
            switch vtype {
            case .underNull: return (p1 - p2, pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            case .unbiased: return (p1 - p2, p1 * (1 - p1) / (n1 - 1) + p2 * (1 - p2) / (n2 - 1))
            default: return (p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
            }
        case .arcsineRiskDifference:
            return (asin(p1.squareRoot()) - asin(p2.squareRoot()), 1 / (4 * n1) + 1 / (4 * n2))
        case .petoLogOddsRatio:
            let n = n1 + n2
            let events = a + c, nonEvents = b + d
            let expected = events * n1 / n
            let v = events * nonEvents * (n1 / n) * (n2 / n) / (n - 1)
            return ((a - expected) / v, 1 / v)
        case .phi, .fisherZPhi:
            let r = phi(a: a, b: b, c: c, d: d, stratified: vtype == .stratified)
            return measure == .phi ? r : (atanh(r.0), r.1 / ((1 - r.0 * r.0) * (1 - r.0 * r.0)))
        case .yuleQ, .yuleY:
            let oddsRatio = (a * d) / (b * c), v = 1 / a + 1 / b + 1 / c + 1 / d
            if measure == .yuleQ {
                let q = (oddsRatio - 1) / (oddsRatio + 1)
                return (q, 0.25 * (1 - q * q) * (1 - q * q) * v)
            }
            let s = oddsRatio.squareRoot(), y = (s - 1) / (s + 1)
            return (y, (1 - y * y) * (1 - y * y) * v / 16)
        case .tetrachoricCorrelation, .fisherZTetrachoric:
            // An empty cell puts ρ̂ on the boundary ±1 (metafor reports ±1 there), where the variance is not defined.
            guard let t = TetrachoricCorrelation.estimate(a: a, b: b, c: c, d: d) else { return (.nan, .nan) }
            return measure == .tetrachoricCorrelation ? (t.rho, t.variance)
                : (atanh(t.rho), t.variance / ((1 - t.rho * t.rho) * (1 - t.rho * t.rho)))
        case .probitDifference:
            let z1 = Normal.quantile(p1), z2 = Normal.quantile(p2)
            return (z1 - z2, 2 * Double.pi * (p1 * (1 - p1) * exp(z1 * z1) / n1 + p2 * (1 - p2) * exp(z2 * z2) / n2))
        case .oddsRatioToSMD, .oddsRatioToSMDLogistic, .oddsRatioToSMDNormal:
            let y = log(p1 / (1 - p1)) - log(p2 / (1 - p2)), v = 1 / a + 1 / b + 1 / c + 1 / d
            let f = measure == .oddsRatioToSMDNormal ? 1 / 1.65 : 3.0.squareRoot() / Double.pi
            return (y * f, v * f * f)
        default:
            preconditionFailure("\(measure) is not a 2×2 measure")
        }
    }

    /// The phi coefficient and its variance: multinomial sampling (LS, CS), or the row totals fixed (ST), where
    /// φ = (p₁ − p₂)√(n1 n2/(m1 m2)) with m1 = n1 p₁ + n2 p₂ and the delta method gives
    /// ∂φ/∂p₁ = s − φ n1 (m2 − m1)/(2 m1 m2), ∂φ/∂p₂ = −s − φ n2 (m2 − m1)/(2 m1 m2), s = √(n1 n2/(m1 m2)).
    static func phi(a: Double, b: Double, c: Double, d: Double, stratified: Bool) -> (Double, Double) {
        let n1 = a + b, n2 = c + d, m1 = a + c, m2 = b + d, n = n1 + n2
        let s = (n1 * n2 / (m1 * m2)).squareRoot()
        let phi = (a * d - b * c) / ((n1 * n2).squareRoot() * (m1 * m2).squareRoot())
        if stratified {
            let p1 = a / n1, p2 = c / n2
            let g1 = s - phi * n1 * (m2 - m1) / (2 * m1 * m2)
            let g2 = -s - phi * n2 * (m2 - m1) / (2 * m1 * m2)
            return (phi, g1 * g1 * p1 * (1 - p1) / n1 + g2 * g2 * p2 * (1 - p2) / n2)
        }
        let r1 = n1 / n, r2 = n2 / n, c1 = m1 / n, c2 = m2 / n
        let rows = r1 - r2, columns = c1 - c2
        let v = (1 - phi * phi + phi * (1 + phi * phi / 2) * rows * columns / (r1 * r2 * c1 * c2).squareRoot()
                 - 0.75 * phi * phi * (rows * rows / (r1 * r2) + columns * columns / (c1 * c2))) / n
        return (phi, v)
    }
}
