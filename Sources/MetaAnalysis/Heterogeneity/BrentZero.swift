/// Brent's (1973, ch. 4) "zero" procedure: a root of f in [a, b] with f(a)·f(b) ≤ 0, by inverse quadratic
/// interpolation, secant and bisection steps, stopping when the bracket is within 2ε|b| + tol/2.
///
/// Kept step for step as Brent published it (the procedure R's `uniroot` also implements), so that an interval
/// bound computed with metafor's loose default tolerance (2⁻¹³) can be reproduced exactly when asked for; with a
/// tight tolerance any correct root finder gives the same answer.
enum BrentZero {
    static func root(in lower: Double, _ upper: Double, lowerValue fa0: Double, upperValue fb0: Double,
                     tolerance: Double, maxIterations: Int = 1000, _ f: (Double) -> Double) -> (root: Double, iterations: Int) {
        let eps = Double.ulpOfOne
        var a = lower, b = upper, fa = fa0, fb = fb0
        var c = a, fc = fa
        if fa == 0 { return (a, 0) }
        if fb == 0 { return (b, 0) }
        for iteration in 0...maxIterations {
            let previousStep = b - a
            if abs(fc) < abs(fb) {
                a = b; b = c; c = a
                fa = fb; fb = fc; fc = fa
            }
            let tolAct = 2 * eps * abs(b) + tolerance / 2
            var newStep = (c - b) / 2
            if abs(newStep) <= tolAct || fb == 0 { return (b, iteration) }
            if abs(previousStep) >= tolAct && abs(fa) > abs(fb) {
                var p: Double, q: Double
                let cb = c - b
                if a == c {
                    let t1 = fb / fa
                    p = cb * t1
                    q = 1 - t1
                } else {
                    let qa = fa / fc, t1 = fb / fc, t2 = fb / fa
                    p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1))
                    q = (qa - 1) * (t1 - 1) * (t2 - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if p < 0.75 * cb * q - abs(tolAct * q) / 2 && p < abs(previousStep * q / 2) { newStep = p / q }
            }
            if abs(newStep) < tolAct { newStep = newStep > 0 ? tolAct : -tolAct }
            a = b; fa = fb
            b += newStep
            fb = f(b)
            if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) { c = a; fc = fa }
        }
        return (b, maxIterations)
    }
}
