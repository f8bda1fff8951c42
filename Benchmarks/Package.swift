// swift-tools-version: 6.1
// The benchmark suite, a package of its own so that ordinary builds and tests of MetaSwift do not compile the
// benchmark stack. Run from this directory: `swift package --allow-writing-to-package-directory benchmark`.
import PackageDescription

let package = Package(
    name: "MetaSwiftBenchmarks",
    dependencies: [
        .package(name: "MetaSwift", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        /// The workloads, shared by the benchmark suite and the comparison runner: data loading, simulation from
        /// a fixed seed, and one function per workload.
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "MetaAnalysis", package: "MetaSwift"), .product(name: "MetaNumerics", package: "MetaSwift")],
            path: "Sources/BenchmarkSupport"
        ),
        /// package-benchmark suites (wall clock, CPU, mallocCountTotal).
        .executableTarget(
            name: "MetaSwiftBenchmarks",
            dependencies: [.product(name: "Benchmark", package: "benchmark"), "BenchmarkSupport"],
            path: "Benchmarks/MetaSwiftBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        /// Prints the median wall-clock time and the answers of each workload as JSON, for compare-metafor.sh.
        .executableTarget(
            name: "compare-runner",
            dependencies: ["BenchmarkSupport"],
            path: "Sources/CompareRunner"
        ),
    ]
)
