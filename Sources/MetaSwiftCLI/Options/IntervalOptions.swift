import ArgumentParser
import MetaAnalysis

/// `--pi` and `--tau2-ci`: the prediction interval's quantile and further heterogeneity CIs, shared by `pool` and
/// `batch`.
struct IntervalOptions: ParsableArguments {
    @Option(name: .customLong("tau2-ci"), parsing: .singleValue,
            help: "Also report this heterogeneity CI: PL (profile likelihood), BJ (Biggerstaff-Jackson), BT (Biggerstaff-Tweedie), Wald (from SE(tau^2)) or SJ (Sidik-Jonkman); repeatable.")
    var extraIntervals: [HeterogeneityConfidenceIntervals.Method] = []

    @Option(name: .customLong("pi"),
            help: ArgumentHelp("Prediction interval quantile: default (the distribution of --test), t (t with k-p df), z (normal) or riley (t with k-2 df, Riley et al. 2011).", valueName: "TYPE"))
    var predictionInterval: PredictionIntervalDistribution?
}
